import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { RepoResolver } from '../attribution';
import { claudeLogDirs, codexLogDirs } from '../discovery';
import { UsageEngine } from '../engine';
import { SharedLimitState } from '../limits/sharedState';
import { EngineIndex } from '../persist/engineIndex';
import { ViewFile } from '../persist/viewFile';
import { PeriodRow } from '../reports/periods';
import { SessionRow } from '../reports/sessions';
import { Weekday, ZonedCalendar } from '../time';
import { Aggregates, RECENT_MS } from '../view/aggregates';
import { claudeLimits, codexLimitEntries } from '../view/limits';
import { IndexingState, ViewModel, ViewPatch, applyPatch, rowsInOrder } from '../view/model';
import { Projector } from '../view/projector';
import { RepoIndex } from '../view/repos';
import { LogWatcher } from './logWatcher';

export interface LiveConfig {
  claudeRoots: string[];
  codexHome: string;
  timezone: string;
  weekStartsOn: Weekday;
  historyDays: number;
  workspaceFolders: string[];
  staleAfterMs: number;
  /** Where the persistent index (and the last view, for a fast start) live; none: no index. */
  indexFile?: string;
  /** Watch the log folders (off in tests that drive updates themselves). */
  watch?: boolean;
}

export interface LiveOutput {
  /** The whole view (at start, after a reconfiguration). */
  full(view: ViewModel): void;
  /** What changed since the last full view or patch. */
  patch(p: ViewPatch): void;
  log(level: 'info' | 'warn' | 'error' | 'debug', message: string): void;
}

/** The index is saved at most this often while logs change. */
const INDEX_SAVE_MS = 30_000;
/** Progress of a first index is reported at most this often. */
const PROGRESS_MS = 250;

/**
 * The live usage model: the engine (reading the logs incrementally), the aggregates it keeps current,
 * the repositories of the threads, and the projector that turns them into the view and its patches.
 * Runs in the engine's worker thread; the extension host only receives views and patches.
 */
export class LiveModel {
  private engine: UsageEngine;
  private index?: EngineIndex;
  private viewFile?: ViewFile;
  private agg!: Aggregates;
  private projector!: Projector;
  private repos = new RepoIndex(new RepoResolver());
  private indexing: IndexingState = { phase: 'starting', done: 0, total: 0 };
  private claude: SharedLimitState | undefined;
  private watcher?: LogWatcher;
  private dirty = false;
  private saveTimer?: ReturnType<typeof setTimeout>;
  private midnight?: ReturnType<typeof setTimeout>;
  private running: Promise<unknown> = Promise.resolve();
  /** The view as last sent (whole, then patched): what a next start shows first. Shares its rows with the projector. */
  private view?: ViewModel;
  private disposed = false;

  constructor(
    private cfg: LiveConfig,
    private readonly out: LiveOutput,
    private readonly now: () => number = Date.now,
  ) {
    this.engine = new UsageEngine({ claudeRoots: cfg.claudeRoots, codexHome: cfg.codexHome });
    if (cfg.indexFile) {
      this.index = new EngineIndex(cfg.indexFile, this.engine);
      this.viewFile = new ViewFile(path.join(path.dirname(cfg.indexFile), 'usage-view.gz'), this.index.key);
    }
    this.rebuild();
  }

  /** Restores the index (figures at once), verifies it against the logs or builds it, then watches. */
  start(): Promise<void> {
    return this.serial(async () => {
      const t0 = this.now();
      let restored = false;
      if (this.index) {
        // The last view first: figures before anything else is read.
        const view = await this.viewFile!.load(this.viewKey()).catch(() => undefined);
        if (view) {
          this.view = { ...view, indexing: { phase: 'verifying', done: 0, total: 0 } };
          this.out.full(this.view);
        }
        const r = await this.index.load().catch((e: Error) => ({ kind: 'discarded' as const, reason: e.message }));
        if (r.kind === 'loaded') {
          restored = true;
          this.out.log('info', `index: restored ${r.files} files (saved ${new Date(r.savedAt).toISOString()}) in ${this.now() - t0} ms`);
        } else if (r.kind === 'discarded') this.out.log('warn', `index: discarded (${r.reason}); rebuilding from the logs`);
      }
      this.indexing = { phase: restored ? 'verifying' : 'indexing', done: 0, total: 0 };
      if (restored) await this.sendFull();
      let last = 0;
      const summary = await this.engine.scan((done, total) => {
        this.indexing = { phase: this.indexing.phase, done, total };
        if (!restored && this.now() - last > PROGRESS_MS) {
          last = this.now();
          this.out.patch({ at: last, indexing: this.indexing });
        }
      });
      this.out.log('info', `indexed ${summary.files} files (${(summary.bytesRead / 1e6).toFixed(1)} MB read, ${summary.changedFiles} changed) in ${this.now() - t0} ms`);
      this.logDiagnostics();
      this.indexing = { phase: 'ready', done: summary.files, total: summary.files };
      if (restored) await this.update();
      else await this.sendFull();
      this.dirty ||= !restored || summary.changedFiles > 0 || summary.removedFiles > 0;
      await this.save();
      this.startWatching();
      this.scheduleMidnight();
    });
  }

  /** File events from the watcher (or a test): read what changed and send the patch. */
  paths(paths: string[]): Promise<void> {
    return this.serial(async () => {
      if (await this.engine.updatePaths(paths)) {
        this.dirty = true;
        this.scheduleSave();
      }
      await this.update();
    });
  }

  /** Looks at every log again (the Refresh command): what changed is read, the rest costs a stat each. */
  refresh(): Promise<void> {
    return this.serial(async () => {
      const s = await this.engine.scan();
      if (s.changedFiles || s.removedFiles) this.dirty = true;
      this.startWatching();
      await this.update();
    });
  }

  /** Claude's official windows changed (the host polls them): burn-ups and projections follow. */
  setClaude(state: SharedLimitState | undefined): Promise<void> {
    return this.serial(async () => {
      this.claude = state;
      await this.update();
    });
  }

  /** A new configuration: the calendar, history or workspace changed; the view is rebuilt and sent whole. */
  configure(cfg: LiveConfig): Promise<void> {
    return this.serial(async () => {
      const rootsChanged = cfg.claudeRoots.join('\n') !== this.cfg.claudeRoots.join('\n') || cfg.codexHome !== this.cfg.codexHome;
      this.cfg = cfg;
      if (rootsChanged) throw new Error('log folders changed: start a new model');
      this.rebuild();
      await this.sendFull();
    });
  }

  /** Daily rows of the whole history and every thread, for an export. */
  exportRows(): Promise<{ daily: PeriodRow[]; sessions: SessionRow[] }> {
    return this.serial(async () => {
      const all = new Projector(this.projectorSources(), { ...this.projector.config, historyDays: 1e6 }).full(this.now(), this.indexing, []);
      return { daily: rowsInOrder(all.daily), sessions: Object.values(all.threads).sort((a, b) => b.lastActivity.localeCompare(a.lastActivity)) };
    });
  }

  /** Saves the persistent index (and the view) if anything changed since the last save. */
  saveIndex(): Promise<void> {
    return this.serial(() => this.save());
  }

  private async save(): Promise<void> {
    {
      if (this.saveTimer) clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      if (!this.index || !this.dirty || this.indexing.phase !== 'ready') return;
      this.dirty = false;
      try {
        const t0 = this.now();
        const { bytes, serialized } = await this.index.save();
        const t1 = this.now();
        if (this.view) await this.viewFile!.save(this.viewKey(), this.view);
        this.out.log('info', `index: saved ${(bytes / 1e6).toFixed(2)} MB (${serialized} file(s) compressed again) in ${t1 - t0} ms, the view in ${this.now() - t1} ms`);
      } catch (e) {
        this.dirty = true;
        this.out.log('warn', `index: not saved (${(e as Error).message})`);
      }
    }
  }

  /** Resolves once the work queued so far is done. */
  idle(): Promise<void> {
    return this.serial(async () => undefined);
  }

  /** Everything counted (tests, the CLI's reports). */
  get usageEngine(): UsageEngine {
    return this.engine;
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.dispose();
    if (this.saveTimer) clearTimeout(this.saveTimer);
    if (this.midnight) clearTimeout(this.midnight);
  }

  /** Work runs one piece at a time, in order. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.running.then(fn);
    this.running = next.catch(() => undefined);
    return next;
  }

  private viewKey(): string {
    return [this.cfg.timezone, this.cfg.weekStartsOn, this.cfg.historyDays, ...this.cfg.workspaceFolders].join('\n');
  }

  private projectorSources() {
    return {
      agg: this.agg,
      hint: (k: string) => this.engine.threadHint(k),
      repo: (k: string) => this.repos.of(k),
      limits: (now: number) => [...claudeLimits(this.claude, now, this.cfg.staleAfterMs), ...codexLimitEntries(this.engine.codexLimits().values(), now, this.cfg.staleAfterMs)],
    };
  }

  /** Aggregates and projector from scratch (a new calendar or configuration). */
  private rebuild(): void {
    const now = this.now();
    this.agg = Aggregates.fromEvents(this.engine.events(), new ZonedCalendar(this.cfg.timezone, this.cfg.weekStartsOn), now - RECENT_MS);
    this.agg.clearDirty();
    this.projector = new Projector(this.projectorSources(), { timezone: this.cfg.timezone, weekStartsOn: this.cfg.weekStartsOn, historyDays: this.cfg.historyDays, workspaceFolders: this.cfg.workspaceFolders });
  }

  private codexWindows() {
    return [...this.engine.codexLimits().values()];
  }

  /**
   * The engine's state into the aggregates (after an index load), then the whole view; or, when the host
   * shows the saved view already, a patch of what differs from it (most often little: no second copy).
   */
  private async sendFull(): Promise<void> {
    const d = this.engine.flush();
    this.agg.apply(d.removed, d.added);
    await this.repos.update([...this.agg.threads.keys()].map((k) => [k, this.engine.threadHint(k)] as const));
    this.agg.clearDirty();
    const shown = this.view;
    if (shown && this.indexing.phase === 'verifying') {
      this.projector.prime(shown);
      const p = this.projector.patch(this.now(), { threads: this.agg.threads.keys(), days: this.agg.days.keys(), all: true }, { indexing: this.indexing, codexWindows: this.codexWindows() });
      applyPatch(shown, p);
      this.out.patch(p);
      return;
    }
    this.view = this.projector.full(this.now(), this.indexing, this.codexWindows());
    this.out.full(this.view);
  }

  /** What the last updates changed, through the aggregates, as one patch (none when nothing changed). */
  private async update(): Promise<void> {
    if (this.disposed) return;
    const now = this.now();
    const d = this.engine.flush();
    this.agg.apply(d.removed, d.added);
    this.agg.prune(now - RECENT_MS);
    const threads = new Set([...this.agg.dirty.threads, ...d.threads]);
    const moved = await this.repos.update([...threads].map((k) => [k, this.agg.threads.has(k) ? this.engine.threadHint(k) : undefined] as const));
    for (const k of moved) threads.add(k);
    const p = this.projector.patch(now, { threads, days: this.agg.dirty.days }, { indexing: this.indexing, ...(d.limits ? { codexWindows: this.codexWindows() } : {}) });
    this.agg.clearDirty();
    const { at, ...rest } = p;
    if (Object.keys(rest).length === 0 || at === undefined) return;
    if (this.view) applyPatch(this.view, p);
    this.out.patch(p);
  }

  private logDiagnostics(): void {
    const diags = this.engine.diagnostics();
    if (!diags.length) return;
    const lines = diags.reduce((n, x) => n + x.problemCount, 0);
    const unreadable = diags.filter((x) => x.readError);
    const first = diags.find((x) => x.problems.length);
    // One line, not one per unusable line; the details at debug level.
    this.out.log('info', `${lines} unusable line(s) in ${diags.length - unreadable.length} file(s)${unreadable.length ? `, ${unreadable.length} file(s) or folder(s) unreadable` : ''}${first ? `; first: ${first.file}:${first.problems[0].line}: ${first.problems[0].reason}` : ''}`);
    for (const x of diags) this.out.log('debug', `${x.file}: ${x.readError ?? `${x.problemCount} unusable line(s), first at line ${x.problems[0]?.line}: ${x.problems[0]?.reason}`}`);
  }

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => void this.saveIndex(), INDEX_SAVE_MS);
  }

  /** Today and this week move on at local midnight: one patch then, no timer work in between. */
  private scheduleMidnight(): void {
    if (this.disposed) return;
    const now = this.now();
    const cal = new ZonedCalendar(this.cfg.timezone, this.cfg.weekStartsOn);
    const today = cal.day(now);
    // The first minute of the next local day (any zone, DST included), found by halving.
    let lo = now;
    let hi = now + 26 * 3600_000;
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2);
      if (cal.day(mid) === today) lo = mid;
      else hi = mid;
    }
    this.midnight = setTimeout(() => {
      void this.serial(() => this.update());
      this.scheduleMidnight();
    }, hi - now + 1000);
    this.midnight.unref?.();
  }

  private startWatching(): void {
    if (this.cfg.watch === false || this.disposed) return;
    const dirs = [...claudeLogDirs(this.cfg.claudeRoots), ...codexLogDirs(this.cfg.codexHome)].filter((d) => existsSync(d));
    if (this.watcher && this.watched === dirs.join('\n')) return;
    this.watched = dirs.join('\n');
    this.watcher?.dispose();
    this.watcher = new LogWatcher(dirs, {
      onBatch: (changed, removed) => void this.paths([...removed, ...changed]),
      onError: (e) => this.out.log('warn', `watcher: ${e.message}`),
      // What was written while the watcher walked the folders raised no event: one stat pass catches it.
      onReady: () => void this.refresh(),
    });
    this.watcher.start();
    this.out.log('info', `watching ${dirs.length} log folder(s)`);
  }
  private watched = '';
}
