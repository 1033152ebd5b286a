import { FSWatcher, watch } from 'chokidar';
import { isLogName } from '../discovery';

export interface LogWatcherEvents {
  /** Files added or appended to, and files deleted (renamed away), in one debounced batch. */
  onBatch(changed: string[], removed: string[]): void;
  onError(err: Error): void;
  /** The initial walk of the folders is done: a file created during it raised no event. */
  onReady?(): void;
}

/**
 * Watches the log folders (new files, appends, renames into the archive, deletions, a rollout turning
 * into its `.jsonl.zst` and back) and hands the paths over in debounced batches. Symlinks are not
 * followed (a loop cannot trap it).
 */
export class LogWatcher {
  private watcher?: FSWatcher;
  private changed = new Set<string>();
  private removed = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;
  private settleTimer?: ReturnType<typeof setTimeout>;
  private settling = new Set<string>();

  constructor(
    private readonly dirs: string[],
    private readonly events: LogWatcherEvents,
    private readonly debounceMs = 150,
    /** After a batch its files are looked at once more: a write that lands after the last read may raise no event. */
    private readonly settleMs = 400,
  ) {}

  start(): void {
    if (!this.dirs.length) return;
    this.watcher = watch(this.dirs, {
      ignoreInitial: true,
      followSymlinks: false,
      depth: 12,
      ignored: (p, stats) => !!stats?.isFile() && !isLogName(p),
    });
    this.watcher.on('add', (p) => this.queue(p, false));
    this.watcher.on('change', (p) => this.queue(p, false));
    this.watcher.on('unlink', (p) => this.queue(p, true));
    this.watcher.on('error', (e) => this.events.onError(e instanceof Error ? e : new Error(String(e))));
    this.watcher.on('ready', () => this.events.onReady?.());
  }

  private queue(p: string, removed: boolean): void {
    if (!isLogName(p)) return;
    if (removed) {
      this.changed.delete(p);
      this.removed.add(p);
    } else {
      this.removed.delete(p);
      this.changed.add(p);
    }
    this.timer ??= setTimeout(() => this.flush(), this.debounceMs);
  }

  private flush(): void {
    this.timer = undefined;
    const changed = [...this.changed];
    const removed = [...this.removed];
    this.changed.clear();
    this.removed.clear();
    if (changed.length || removed.length) this.events.onBatch(changed, removed);
    for (const p of changed) this.settling.add(p);
    for (const p of removed) this.settling.delete(p);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = this.settling.size ? setTimeout(() => this.settle(), this.settleMs) : undefined;
  }

  /** The settle pass: the last batch's files once more (an unchanged file costs one stat). */
  private settle(): void {
    this.settleTimer = undefined;
    const paths = [...this.settling];
    this.settling.clear();
    if (paths.length) this.events.onBatch(paths, []);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    void this.watcher?.close();
    this.watcher = undefined;
  }
}
