import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RepoResolver } from '../core/attribution';
import { claudeLogDirs, claudeRoots, codexHome, codexLogDirs, expandHome } from '../core/discovery';
import { UsageEngine } from '../core/engine';
import { ClaudeLimitPoller } from '../core/limits/poller';
import { SharedLimitState } from '../core/limits/sharedState';
import { claudeTokenSource } from '../core/limits/token';
import { fetchClaudeUsage } from '../core/limits/usageClient';
import { CLAUDE_USER_AGENT, checkEndpoint } from '../core/limits/endpoint';
import { UsageSnapshot, buildSnapshot } from '../core/snapshot';
import { EngineIndex } from '../core/persist/engineIndex';
import { systemTimeZone, isValidTimeZone } from '../core/time';
import { AgentUsageConfig } from './config';
import { Disposable, timer } from './disposable';
import { log, registerSecret } from './log';
import { LogWatcher } from '../core/live/logWatcher';

/** How often each window looks at the shared limit state (fetching only when due). */
const LIMIT_TICK_MS = 30_000;
/** Safety net for missed watcher events and folders created later. */
const RESCAN_MS = 120_000;
/** Files above which the first index shows a progress notification. */
const LARGE_INDEX_FILES = 200;
/** The persistent index is saved at most this often while logs change. */
const INDEX_SAVE_MS = 30_000;

export interface StoreEnv {
  env: NodeJS.ProcessEnv;
  home: string;
  globalStorage: string;
}

/**
 * The one owner of usage data in the extension host: the engine, the log watcher and the limit
 * sources. Views subscribe to onDidChange and read `snapshot`; none computes numbers of its own.
 */
export class UsageStore extends Disposable {
  private readonly emitter = this.register(new vscode.EventEmitter<UsageSnapshot>());
  readonly onDidChange = this.emitter.event;
  private engine!: UsageEngine;
  private index!: EngineIndex;
  private indexSaveTimer?: ReturnType<typeof setTimeout>;
  private indexDirty = false;
  private watcher?: LogWatcher;
  private watchedDirs = '';
  private poller?: ClaudeLimitPoller;
  private claudeState?: SharedLimitState;
  private current?: UsageSnapshot;
  private indexing = { done: 0, total: 0, finished: false };
  private resolver = new RepoResolver();
  private lastLogActivity = 0;
  private recomputeTimer?: ReturnType<typeof setTimeout>;
  private computing?: Promise<void>;
  private pending = false;
  private started = false;

  constructor(
    private cfg: AgentUsageConfig,
    private readonly envs: StoreEnv,
  ) {
    super();
    this.configure(cfg);
    this.register({ dispose: () => this.recomputeTimer && clearTimeout(this.recomputeTimer) });
    this.register({ dispose: () => this.indexSaveTimer && clearTimeout(this.indexSaveTimer) });
  }

  /** Where the persistent index lives (global storage). */
  get indexFile(): string {
    return this.index.file;
  }

  /** The engine's options (which roots it reads). */
  get engineOptions() {
    return this.engine.options;
  }

  get snapshot(): UsageSnapshot | undefined {
    return this.current;
  }

  /** All deduplicated events (export uses the full history, not the dashboard's window). */
  engineEvents() {
    return this.engine.events();
  }

  get config(): AgentUsageConfig {
    return this.cfg;
  }

  get timezone(): string {
    return this.cfg.timezone && isValidTimeZone(this.cfg.timezone) ? this.cfg.timezone : systemTimeZone();
  }

  private roots(): { claude: string[]; codex: string } {
    const home = this.envs.home;
    return {
      claude: this.cfg.claudeConfigDirs.length ? this.cfg.claudeConfigDirs.map((d) => path.resolve(expandHome(d, home))) : claudeRoots(this.envs.env, home),
      codex: this.cfg.codexHome ? path.resolve(expandHome(this.cfg.codexHome, home)) : codexHome(this.envs.env, home),
    };
  }

  private configure(cfg: AgentUsageConfig): void {
    const r = this.roots();
    this.engine = new UsageEngine({ claudeRoots: r.claude, codexHome: r.codex });
    this.index = new EngineIndex(path.join(this.envs.globalStorage, 'usage-index.gz'), this.engine);
    this.resolver = new RepoResolver();
    const ep = checkEndpoint(cfg['limits.claude.endpoint']);
    if (!ep.ok) log.warn(`agentUsage.limits.claude.endpoint refused: ${ep.reason}. Claude limits are not fetched.`);
    this.poller =
      cfg['limits.claude.enabled'] && ep.ok
        ? new ClaudeLimitPoller({
            stateFile: path.join(this.envs.globalStorage, 'claude-usage.json'),
            intervalMs: cfg['limits.claude.pollMinutes'] * 60_000,
            tokens: claudeTokenSource(r.claude[0], this.envs.env, registerSecret),
            fetch: (token) => fetchClaudeUsage({ endpoint: ep.url.toString(), token, userAgent: CLAUDE_USER_AGENT }),
            log: (level, m) => log[level](m),
          })
        : undefined;
  }

  /** Indexes in the background, then watches. Call once after activation. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.initialIndex();
    this.register(timer(setInterval(() => void this.tickLimits(false), LIMIT_TICK_MS)));
    this.register(timer(setInterval(() => void this.rescan(), RESCAN_MS)));
    this.register(vscode.window.onDidChangeWindowState((s) => s.focused && void this.tickLimits(false)));
    void this.tickLimits(false);
  }

  private async initialIndex(): Promise<void> {
    const t0 = Date.now();
    // The persistent index first: the figures are there at once, and only changed files are read.
    const loaded = await this.index.load().catch((e: Error) => ({ kind: 'discarded' as const, reason: e.message }));
    if (loaded.kind === 'loaded') {
      log.info(`index: restored ${loaded.files} files (saved ${new Date(loaded.savedAt).toISOString()}) in ${Date.now() - t0} ms`);
      this.scheduleRecompute(0);
    } else if (loaded.kind === 'discarded') log.warn(`index: discarded (${loaded.reason}); rebuilding from the logs`);
    // A notification only for a first index of a large history (after a reload the index makes the
    // scan a matter of stats), decided on the scan's own file count.
    const firstIndex = loaded.kind !== 'loaded';
    let progress: ReturnType<typeof indexProgress> | undefined;
    let changedSince = firstIndex;
    try {
      const summary = await this.engine.scan((done, total) => {
        this.indexing = { done, total, finished: false };
        if (firstIndex && !progress && total > LARGE_INDEX_FILES) progress = indexProgress();
        progress?.report(done, total);
        if (done % 50 === 0) this.scheduleRecompute(0);
      });
      changedSince ||= summary.changedFiles > 0 || summary.removedFiles > 0;
      log.info(`indexed ${summary.files} files (${(summary.bytesRead / 1e6).toFixed(1)} MB) in ${Date.now() - t0} ms`);
      for (const d of this.engine.diagnostics()) log.warn(`${d.file}: ${d.readError ?? `${d.problemCount} unusable line(s), first at line ${d.problems[0]?.line}: ${d.problems[0]?.reason}`}`);
    } catch (e) {
      log.error(`indexing failed: ${(e as Error).message}`);
    } finally {
      progress?.end();
    }
    this.indexing = { ...this.indexing, finished: true };
    this.restartWatcher();
    this.scheduleRecompute(0);
    this.indexDirty ||= changedSince;
    await this.saveIndex();
  }

  /** Saves the persistent index now if anything changed since the last save. */
  async saveIndex(): Promise<void> {
    if (this.indexSaveTimer) clearTimeout(this.indexSaveTimer);
    this.indexSaveTimer = undefined;
    if (!this.indexDirty || !this.indexing.finished) return;
    this.indexDirty = false;
    try {
      const t0 = Date.now();
      const bytes = await this.index.save();
      log.info(`index: saved ${(bytes / 1e6).toFixed(2)} MB in ${Date.now() - t0} ms`);
    } catch (e) {
      this.indexDirty = true;
      log.warn(`index: not saved (${(e as Error).message})`);
    }
  }

  private markIndexDirty(): void {
    this.indexDirty = true;
    this.indexSaveTimer ??= setTimeout(() => void this.saveIndex(), INDEX_SAVE_MS);
  }

  private restartWatcher(): void {
    const r = this.roots();
    const dirs = [...claudeLogDirs(r.claude), ...codexLogDirs(r.codex)].filter((d) => existsSync(d));
    const key = dirs.join('\n');
    if (key === this.watchedDirs && this.watcher) return;
    this.watchedDirs = key;
    this.watcher?.dispose();
    this.watcher = this.register(
      new LogWatcher(dirs, {
        onBatch: (changed, removed) => void this.applyBatch(changed, removed),
        onError: (e) => log.warn(`watcher: ${e.message}`),
      }),
    );
    this.watcher.start();
    log.info(`watching ${dirs.length} log folder(s)`);
  }

  private async applyBatch(changed: string[], removed: string[]): Promise<void> {
    if (await this.engine.updatePaths([...removed, ...changed])) {
      this.lastLogActivity = Date.now();
      this.scheduleRecompute(0);
      this.markIndexDirty();
    }
  }

  private async rescan(): Promise<void> {
    const before = this.engine.revision;
    await this.engine.scan();
    this.restartWatcher();
    if (this.engine.revision !== before) {
      this.scheduleRecompute(0);
      this.markIndexDirty();
    }
  }

  /** Fetches the Claude limits when due (one request per interval across windows), or at once if forced. */
  private async tickLimits(force: boolean): Promise<void> {
    if (!this.poller) {
      this.claudeState = undefined;
      return;
    }
    const active = vscode.window.state.focused || Date.now() - this.lastLogActivity < this.cfg['limits.claude.pollMinutes'] * 60_000;
    try {
      const r = active || force ? await this.poller.tick(force) : { state: await this.poller.read() };
      if (JSON.stringify(r.state) !== JSON.stringify(this.claudeState)) {
        this.claudeState = r.state;
        this.scheduleRecompute(0);
      }
    } catch (e) {
      log.warn(`Claude limits: ${(e as Error).message}`);
    }
  }

  /** Refresh command: re-read the logs and fetch limits now (Retry-After still honoured). */
  async refresh(): Promise<void> {
    await this.rescan();
    await this.tickLimits(true);
    this.scheduleRecompute(0);
    await this.computing;
  }

  applyConfig(cfg: AgentUsageConfig): void {
    this.cfg = cfg;
    this.configure(cfg);
    this.indexing = { done: 0, total: 0, finished: false };
    if (this.started) {
      void this.initialIndex();
      void this.tickLimits(false);
    }
  }

  /** Recomputes the snapshot (debounced, never two at once) and fires onDidChange. */
  scheduleRecompute(delayMs = 100): void {
    if (this.recomputeTimer) return;
    this.recomputeTimer = setTimeout(() => {
      this.recomputeTimer = undefined;
      if (this.computing) {
        this.pending = true;
        return;
      }
      this.computing = this.recompute().finally(() => {
        this.computing = undefined;
        if (this.pending) {
          this.pending = false;
          this.scheduleRecompute(0);
        }
      });
    }, delayMs);
  }

  private async recompute(): Promise<void> {
    if (this.isDisposed) return;
    try {
      const snap = await buildSnapshot({
        now: Date.now(),
        events: this.engine.events(),
        hints: this.engine.threadHints(),
        codexLimits: this.engine.codexLimits(),
        claude: { enabled: !!this.poller, state: this.claudeState },
        workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file' || f.uri.scheme === 'vscode-remote').map((f) => f.uri.fsPath),
        timezone: this.timezone,
        weekStartsOn: this.cfg.weekStartsOn,
        staleAfterMs: this.cfg['limits.staleAfterMinutes'] * 60_000,
        indexing: this.indexing,
        resolver: this.resolver,
        historyDays: this.cfg['dashboard.historyDays'],
      });
      this.current = snap;
      this.emitter.fire(snap);
    } catch (e) {
      log.error(`snapshot failed: ${(e as Error).stack ?? e}`);
    }
  }

  /** Waits until the first index is done and a snapshot reflects it (tests, export). */
  async whenReady(timeoutMs = 60_000): Promise<UsageSnapshot> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      if (this.current?.indexing.finished && !this.recomputeTimer && !this.computing) return this.current;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('Agent Usage: the index is not ready');
  }
}

/** The progress notification of a first index: shown on demand, closed by end(). */
function indexProgress(): { report(done: number, total: number): void; end(): void } {
  let end!: () => void;
  const ended = new Promise<void>((r) => (end = r));
  let sink: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  let last = 0;
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Agent Usage: indexing Claude Code and Codex logs' }, async (p) => {
    sink = p;
    await ended;
  });
  return {
    report(done, total) {
      const pct = Math.floor((100 * done) / Math.max(1, total));
      if (sink && pct > last) {
        sink.report({ increment: pct - last, message: `${done} of ${total} files` });
        last = pct;
      }
    },
    end,
  };
}

export function defaultStoreEnv(globalStorage: string): StoreEnv {
  return { env: process.env, home: os.homedir(), globalStorage };
}
