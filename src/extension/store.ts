import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { claudeRoots, codexHome, uniqueFolders } from '../core/discovery';
import { expandHome, normaliseFolder } from '../core/paths';
import { EngineClient } from '../core/live/client';
import { LiveConfig } from '../core/live/liveModel';
import { ExportRows } from '../core/live/protocol';
import { ClaudeLimitPoller } from '../core/limits/poller';
import { SharedLimitState } from '../core/limits/sharedState';
import { PercentHistoryFile, historyKey } from '../core/limits/percentHistory';
import { claudeWindows } from '../core/limits/schema';
import { claudeTokenSource } from '../core/limits/token';
import { fetchClaudeUsage } from '../core/limits/usageClient';
import { CLAUDE_USER_AGENT, checkEndpoint } from '../core/limits/endpoint';
import { UsageSnapshot, withLimits } from '../core/snapshot';
import { systemTimeZone, isValidTimeZone } from '../core/time';
import { ViewModel, ViewPatch, applyPatch } from '../core/view/model';
import { AgentUsageConfig } from './config';
import { Disposable } from './disposable';
import { log, registerSecret } from './log';

/** Files above which the first index shows a progress notification. */
const LARGE_INDEX_FILES = 200;

export interface StoreEnv {
  env: NodeJS.ProcessEnv;
  home: string;
  globalStorage: string;
  /** The engine worker's script (dist/engineWorker.js in the package). */
  workerFile: string;
}

/** What changed in the store: a new whole view, a patch of it, or the limit windows (Claude's poll). */
export interface StoreChange {
  full?: boolean;
  patch?: ViewPatch;
  limits?: boolean;
}

/**
 * The one owner of usage data in the extension host. The logs are read, counted and aggregated in the
 * engine's worker thread; the store keeps the view it sends (whole once, then patches) and the Claude
 * limit poller's state. Views subscribe to onDidChange and read `snapshot`; none computes numbers of its own.
 */
export class UsageStore extends Disposable {
  private readonly emitter = this.register(new vscode.EventEmitter<StoreChange>());
  readonly onDidChange = this.emitter.event;
  private client?: EngineClient;
  private view?: ViewModel;
  private poller?: ClaudeLimitPoller;
  private claudeState?: SharedLimitState;
  private lastLogActivity = 0;
  private limitTimer?: ReturnType<typeof setTimeout>;
  private progress?: ReturnType<typeof indexProgress>;
  private started = false;
  private readyWaiters: (() => void)[] = [];
  private roots!: { claude: string[]; codex: string };
  /** The official percentages over time (shared with the other windows): pace and forecasts. */
  private readonly history: PercentHistoryFile;
  private historySave?: ReturnType<typeof setTimeout>;

  constructor(
    private cfg: AgentUsageConfig,
    private readonly envs: StoreEnv,
  ) {
    super();
    this.history = new PercentHistoryFile(path.join(envs.globalStorage, 'percent-history.json'), (m) => log.warn(`percent history: ${m}`));
    this.configure(cfg);
    this.register({ dispose: () => this.limitTimer && clearTimeout(this.limitTimer) });
    this.register({ dispose: () => this.historySave && clearTimeout(this.historySave) });
    this.register({ dispose: () => void this.client?.dispose() });
  }

  /** Where the persistent index lives (global storage). */
  get indexFile(): string {
    return path.join(this.envs.globalStorage, 'usage-index.gz');
  }

  /** Which roots the engine reads. */
  get engineOptions() {
    return { claudeRoots: this.roots.claude, codexHome: this.roots.codex };
  }

  /** What the views show, with the limit windows at this moment. */
  get snapshot(): UsageSnapshot | undefined {
    if (!this.view) return undefined;
    const forecast = { history: this.history.history, idleMs: this.cfg['forecast.idleMinutes'] * 60_000 };
    return withLimits(this.view, { enabled: !!this.poller, state: this.claudeState }, Date.now(), this.cfg['limits.staleAfterMinutes'] * 60_000, forecast);
  }

  get config(): AgentUsageConfig {
    return this.cfg;
  }

  get timezone(): string {
    return this.cfg.timezone && isValidTimeZone(this.cfg.timezone) ? this.cfg.timezone : systemTimeZone();
  }

  private liveConfig(): LiveConfig {
    return {
      claudeRoots: this.roots.claude,
      codexHome: this.roots.codex,
      timezone: this.timezone,
      weekStartsOn: this.cfg.weekStartsOn,
      historyDays: this.cfg['dashboard.historyDays'],
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file' || f.uri.scheme === 'vscode-remote').map((f) => f.uri.fsPath),
      staleAfterMs: this.cfg['limits.staleAfterMinutes'] * 60_000,
      indexFile: this.indexFile,
    };
  }

  private configure(cfg: AgentUsageConfig): void {
    const home = this.envs.home;
    this.roots = {
      claude: cfg.claudeConfigDirs.length ? uniqueFolders(cfg.claudeConfigDirs.map((d) => expandHome(d, home, this.envs.env))) : claudeRoots(this.envs.env, home),
      codex: cfg.codexHome ? normaliseFolder(expandHome(cfg.codexHome, home, this.envs.env)) : codexHome(this.envs.env, home),
    };
    const ep = checkEndpoint(cfg['limits.claude.endpoint']);
    if (!ep.ok) log.warn(`agentUsage.limits.claude.endpoint refused: ${ep.reason}. Claude limits are not fetched.`);
    this.poller =
      cfg['limits.claude.enabled'] && ep.ok
        ? new ClaudeLimitPoller({
            stateFile: path.join(this.envs.globalStorage, 'claude-usage.json'),
            intervalMs: cfg['limits.claude.pollMinutes'] * 60_000,
            tokens: claudeTokenSource(this.roots.claude[0], this.envs.env, registerSecret),
            fetch: (token) => fetchClaudeUsage({ endpoint: ep.url.toString(), token, userAgent: CLAUDE_USER_AGENT }),
            log: (level, m) => log[level](m),
          })
        : undefined;
    if (!this.poller) this.claudeState = undefined;
  }

  /** Starts the engine worker (index, then watching) and the limit poll. Call once after activation. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.startClient();
    this.register(vscode.window.onDidChangeWindowState((s) => s.focused && void this.tickLimits(false)));
    // What the other windows (and earlier sessions) observed, before the first poll adds to it.
    void this.history.load().then(
      () => this.emitter.fire({ limits: true }),
      (e: Error) => log.warn(`percent history: ${e.message}`),
    ).finally(() => void this.tickLimits(false));
  }

  /** Records the official percentages just observed; the file is written a few seconds later. */
  private observe(windows: Iterable<{ source: string; name: string; at: number; percent: number; resetsAt?: number }>): void {
    let changed = false;
    for (const w of windows) changed = this.history.record(historyKey(w.source, w.name), w.at, w.percent, w.resetsAt) || changed;
    if (!changed || this.historySave) return;
    this.historySave = setTimeout(() => {
      this.historySave = undefined;
      void this.history.save().catch((e: Error) => log.warn(`percent history: ${e.message}`));
    }, 5_000);
  }

  private observeCodex(v: ViewModel): void {
    this.observe(v.codexWindows.map((w) => ({ source: 'codex', name: w.name, at: w.observedAt, percent: w.percent, resetsAt: w.resetsAt })));
  }

  private observeClaude(s: SharedLimitState | undefined): void {
    const good = s?.lastGood;
    if (good) this.observe(claudeWindows(good.data).map((w) => ({ source: 'claude', name: w.name, at: good.at, percent: w.percent, resetsAt: w.resetsAt })));
  }

  private startClient(): void {
    void this.client?.dispose();
    this.view = undefined;
    this.client = new EngineClient(this.envs.workerFile, this.liveConfig(), {
      full: (v) => this.onFull(v),
      patch: (p) => this.onPatch(p),
      log: (level, m) => (level === 'debug' ? log.debug(m) : log[level](m)),
    });
    this.client.start();
    if (this.claudeState) this.client.setClaude(this.claudeState);
  }

  private onFull(v: ViewModel): void {
    this.view = v;
    this.observeCodex(v);
    this.onIndexing();
    this.emitter.fire({ full: true });
  }

  private onPatch(p: ViewPatch): void {
    if (!this.view) return;
    applyPatch(this.view, p);
    if (p.codexWindows) this.observeCodex(this.view);
    if (p.threads || p.daily) this.lastLogActivity = Date.now();
    this.onIndexing();
    this.emitter.fire({ patch: p });
  }

  /** A progress notification only for a first index of a large history; waiters woken when ready. */
  private onIndexing(): void {
    const ix = this.view!.indexing;
    if (ix.phase === 'indexing' && !this.progress && ix.total > LARGE_INDEX_FILES) this.progress = indexProgress();
    this.progress?.report(ix.done, ix.total);
    if (ix.phase === 'ready') {
      this.progress?.end();
      this.progress = undefined;
      for (const w of this.readyWaiters.splice(0)) w();
    }
  }

  /** Saves the persistent index now if anything changed since the last save (the worker writes it). */
  async saveIndex(): Promise<void> {
    await this.client?.save().catch((e: Error) => log.warn(`index: ${e.message}`));
  }

  /**
   * Fetches the Claude limits when due (one request per interval across windows), or at once if
   * forced; the next look is scheduled when the next fetch can be due, no sooner.
   */
  private async tickLimits(force: boolean): Promise<void> {
    if (this.limitTimer) clearTimeout(this.limitTimer);
    this.limitTimer = undefined;
    if (!this.poller) return;
    const active = vscode.window.state.focused || Date.now() - this.lastLogActivity < this.cfg['limits.claude.pollMinutes'] * 60_000;
    try {
      const r = active || force ? await this.poller.tick(force) : { state: await this.poller.read() };
      if (JSON.stringify(r.state) !== JSON.stringify(this.claudeState)) {
        this.claudeState = r.state;
        this.observeClaude(r.state);
        this.client?.setClaude(r.state);
        this.emitter.fire({ limits: true });
      }
    } catch (e) {
      log.warn(`Claude limits: ${(e as Error).message}`);
    }
    if (this.isDisposed) return;
    const s = this.claudeState;
    const interval = this.cfg['limits.claude.pollMinutes'] * 60_000;
    const due = Math.max(s?.backoffUntil ?? 0, (s?.attemptedAt ?? 0) + interval);
    this.limitTimer = setTimeout(() => void this.tickLimits(false), Math.min(interval, Math.max(5_000, due - Date.now() + 1000)));
  }

  /** Refresh command: re-read the logs and fetch limits now (Retry-After still honoured). */
  async refresh(): Promise<void> {
    await Promise.all([this.client?.refresh().catch((e: Error) => log.warn(`refresh: ${e.message}`)), this.tickLimits(true)]);
  }

  /** Daily totals of the whole history and every thread (Export). */
  async exportRows(): Promise<ExportRows> {
    if (!this.client) throw new Error('Agent Usage is not started');
    return this.client.exportRows();
  }

  /** A settings change: new log folders start a new engine; anything else reconfigures it. */
  applyConfig(cfg: AgentUsageConfig): void {
    const roots = JSON.stringify(this.roots);
    const live = JSON.stringify(this.liveConfig());
    this.cfg = cfg;
    this.configure(cfg);
    if (this.started) {
      if (JSON.stringify(this.roots) !== roots) this.startClient();
      else if (JSON.stringify(this.liveConfig()) !== live) this.client?.configure(this.liveConfig());
      void this.tickLimits(false);
    }
    this.emitter.fire({ limits: true });
  }

  /** The open folders changed: the workspace figures follow. */
  workspaceChanged(): void {
    this.client?.configure(this.liveConfig());
  }

  /** Waits until the index is ready and the worker has done what it was asked (tests, export). */
  async whenReady(timeoutMs = 60_000): Promise<UsageSnapshot> {
    const timeout = new Promise<never>((_, rej) => setTimeout(() => rej(new Error('Agent Usage: the index is not ready')), timeoutMs).unref());
    if (this.view?.indexing.phase !== 'ready') await Promise.race([new Promise<void>((r) => this.readyWaiters.push(r)), timeout]);
    await Promise.race([this.client?.idle(), timeout]);
    return this.snapshot!;
  }
}

/** The progress notification of a first index: shown on demand, closed by end(). */
function indexProgress(): { report(done: number, total: number): void; end(): void } {
  let end!: () => void;
  const ended = new Promise<void>((r) => (end = r));
  let sink: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  let last = 0;
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Agent Usage: indexing Claude Code and Codex logs') }, async (p) => {
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

export function defaultStoreEnv(globalStorage: string, extensionPath: string): StoreEnv {
  return { env: process.env, home: os.homedir(), globalStorage, workerFile: path.join(extensionPath, 'dist', 'engineWorker.js') };
}
