import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClaudeRecord, claudeRecordFromJson } from './claude/parse';
import { keepLargest } from './claude/dedupe';
import { CodexUsage } from './codex/accounting';
import { CodexSessionReader } from './codex/session';
import { LimitWindow, latestWindows } from './codex/rateLimits';
import { FileDiagnostics, newDiagnostics, reportProblem } from './diagnostics';
import { COMPRESSED_SUFFIX, LogFile, Source, claudeLogDirs, codexLogDirs, discoverLogFiles, isCompressedLog, logicalPath } from './discovery';
import { UsageEvent, ThreadHints } from './events';
import { ClaudeLedger } from './ledger/claudeLedger';
import { CodexLedger, codexIdFromName } from './ledger/codexLedger';
import { FileFacts, ThreadHintsLedger } from './ledger/threadHints';
import { CodexState, EngineState, FileState, deserializeState, serializeState } from './persist/engineState';
import { isInsideFolder } from './paths';
import { requestCost } from './pricing/pricing';
import { readCompressed } from './reader/compressedReader';
import { readAppended, unchanged } from './reader/incrementalReader';
import { TITLE_MAX_LINE, lineFilter, mayCarryUsage, trimPadding } from './reader/lineFilters';
import { claudePromptTitle, codexPromptTitle } from './titles';

export type { EngineState, SerializedFile } from './persist/engineState';

export interface EngineOptions {
  claudeRoots: string[];
  codexHome?: string;
  sources?: readonly Source[];
  /** Read buffer size in bytes. */
  chunkSize?: number;
  /** Files read at once during a scan. */
  concurrency?: number;
}

export interface ScanSummary {
  files: number;
  changedFiles: number;
  removedFiles: number;
  bytesRead: number;
}

/** What changed in the counted usage since the last flush: events that left, events that came, threads re-described. */
export interface EngineDelta {
  removed: UsageEvent[];
  added: UsageEvent[];
  /** Threads (`source:sessionId`) whose hints (folder, title, log deleted) changed. */
  threads: Set<string>;
  /** The Codex limit windows changed. */
  limits: boolean;
}

/** A transcript's first prompt is among its first user lines: tool results after that are not parsed for it. */
const TITLE_TRIES = 3;

const isUnder = (p: string, dir: string) => isInsideFolder(p, dir, false);

export function claudeEvent(r: ClaudeRecord): UsageEvent {
  return { id: `c:${r.key}`, source: 'claude', timestamp: r.timestamp, sessionId: r.sessionId, model: r.model, tokens: r.tokens, cost: r.costUSD ?? requestCost(r.model, r.tokens), costFromLog: r.costUSD !== undefined };
}

function codexEvents(session: string, usage: readonly CodexUsage[]): UsageEvent[] {
  return usage.map((u, i) => ({ id: `x:${session}:${i}`, source: 'codex', timestamp: u.timestamp, sessionId: session, model: u.model, tokens: u.tokens, cost: requestCost(u.model, u.tokens), costFromLog: false }));
}

/**
 * Owns the per-file reading state and turns it into deduplicated usage events. Reads only appended
 * bytes on each update; a replaced or truncated file is read again, what it held before kept as
 * retained history and deduplicated against the new read, so nothing is lost and nothing counts twice.
 * The cross-file accounting is kept up to date as files change (ledgers): `flush()` hands over what an
 * update changed, and nothing walks every event on an append.
 */
export class UsageEngine {
  private readonly files = new Map<string, FileState>();
  /** What deleted or rewritten files held: kept, never counted twice (see removeFile). */
  private readonly retained: FileState[] = [];
  private version = 0;
  private uids = 0;
  private readonly dirErrors = new Map<string, FileDiagnostics>();
  private readonly claude = new ClaudeLedger();
  private readonly codex = new CodexLedger();
  private readonly hints = new ThreadHintsLedger();
  private limitsDirty = true;
  private limitsCache = new Map<string, LimitWindow>();
  /** Titles of files known only from their retained history. */
  private readonly retainedTitles = new Map<string, string>();
  private readonly facts: FileFacts = {
    title: (f) => this.files.get(f)?.title ?? this.retainedTitles.get(f),
    live: (f) => this.files.has(f),
  };

  constructor(readonly options: EngineOptions) {}

  /** Increases whenever the usage changes. */
  get revision(): number {
    return this.version;
  }

  sourceOf(p: string): Source | undefined {
    const abs = path.resolve(p);
    if (!abs.endsWith('.jsonl') && !isCompressedLog(abs)) return undefined;
    const sources = this.options.sources ?? ['claude', 'codex'];
    if (sources.includes('codex') && this.options.codexHome && codexLogDirs(this.options.codexHome).some((d) => isUnder(abs, d)))
      return 'codex';
    // Claude transcripts are never compressed.
    if (!isCompressedLog(abs) && sources.includes('claude') && claudeLogDirs(this.options.claudeRoots).some((d) => isUnder(abs, d))) return 'claude';
    return undefined;
  }

  /**
   * Finds every log file, reads what is new in each and forgets files that are gone. A known file that
   * did not change costs one synchronous `stat` and nothing else.
   */
  async scan(onProgress?: (done: number, total: number) => void): Promise<ScanSummary> {
    const found = await discoverLogFiles(this.options, (p, err) => {
      const d = newDiagnostics(p);
      d.readError = err.message;
      this.dirErrors.set(p, d);
    });
    const present = new Set(found.map((f) => logicalPath(f.path)));
    let removed = 0;
    for (const p of [...this.files.keys()]) if (!present.has(p) && this.removeFile(p)) removed++;
    let changed = 0;
    let bytes = 0;
    let done = 0;
    const queue: LogFile[] = [];
    for (const f of found) {
      const st = this.files.get(logicalPath(f.path));
      let same = false;
      try {
        same = !!st?.pos && st.physical === f.path && unchanged(fs.statSync(f.path), st.pos, isCompressedLog(f.path));
      } catch {
        /* gone since the walk: read it (and find out) */
      }
      if (same) onProgress?.(++done, found.length);
      else queue.push(f);
    }
    let lastYield = Date.now();
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        // Small files are read synchronously: let the event loop breathe every few milliseconds.
        if (Date.now() - lastYield > 8) {
          await new Promise((r) => setImmediate(r));
          lastYield = Date.now();
        }
        const r = await this.readFile(f);
        if (r.changed) changed++;
        bytes += r.bytes;
        onProgress?.(++done, found.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 8) }, worker));
    return { files: found.length, changedFiles: changed, removedFiles: removed, bytesRead: bytes };
  }

  /**
   * Reads what was appended to one log (new, grown, replaced, truncated, or gone). Either representation
   * of a Codex rollout names the same log: the plain file is read when it exists, else its `.zst`.
   */
  async updateFile(p: string): Promise<boolean> {
    const abs = path.resolve(p);
    const source = this.sourceOf(abs);
    if (!source) return false;
    const plain = logicalPath(abs);
    const physical = fs.existsSync(plain) || source === 'claude' ? plain : plain + COMPRESSED_SUFFIX;
    return (await this.readFile({ path: physical, source })).changed;
  }

  /**
   * The paths of a batch of file events (added, changed, removed), read in turn: a removed log keeps
   * what it held, and a rollout whose plain file went away because it was compressed (or came back
   * when it was decompressed) goes on in its other representation. True if the usage changed.
   */
  async updatePaths(paths: Iterable<string>): Promise<boolean> {
    let any = false;
    for (const p of paths) any = (await this.updateFile(p)) || any;
    return any;
  }

  /**
   * A file was deleted (Claude Code's cleanup, a rename into the archive): what it held stays counted,
   * as retained history. A copy that appears elsewhere is deduplicated against it (message and
   * request ids for Claude, the session id for Codex), so nothing counts twice.
   */
  removeFile(p: string): boolean {
    const abs = logicalPath(path.resolve(p));
    const st = this.files.get(abs);
    if (!st) return false;
    this.files.delete(abs);
    this.retain(st);
    this.hints.fileChanged(abs);
    this.version++;
    return true;
  }

  /** Keeps what a state held as retained history (same uid: its copies and session stay as they are). */
  private retain(st: FileState): void {
    const has = st.source === 'claude' ? st.records.size > 0 : st.reader.observations.length > 0 || st.reader.limits.size > 0;
    if (!has) return;
    const kept = { ...st, retained: true } as FileState;
    this.retained.push(kept);
    if (kept.title !== undefined && !this.retainedTitles.has(kept.path)) this.retainedTitles.set(kept.path, kept.title);
    if (kept.source === 'codex') this.codex.touch(kept);
  }

  private newState(f: LogFile, logical: string): FileState {
    const diag = newDiagnostics(logical);
    const uid = ++this.uids;
    return f.source === 'claude'
      ? { uid, source: 'claude', path: logical, physical: f.path, diag, records: new Map() }
      : { uid, source: 'codex', path: logical, physical: f.path, diag, reader: new CodexSessionReader() };
  }

  private async readFile(f: LogFile): Promise<{ changed: boolean; bytes: number }> {
    const logical = logicalPath(f.path);
    let st = this.files.get(logical);
    if (!st || st.source !== f.source) {
      st = this.newState(f, logical);
      this.files.set(logical, st);
      this.hints.fileChanged(logical); // a log that is back: its threads' logs are no longer deleted
    }
    const state = st;
    const wasPhysical = state.physical;
    state.physical = f.path;
    let changed = false;
    let codexTouched = wasPhysical !== f.path;
    const fallbackSession = path.basename(logical, '.jsonl');
    const seekingTitle = () => state.title === undefined && (state.titleTries ?? 0) < TITLE_TRIES;
    const filter = lineFilter(f.source, seekingTitle);
    const onLine = (raw: Buffer, lineNo: number) => {
      // A line that matched only the title needle is parsed only if short (a long one is a tool result).
      if (raw.length > TITLE_MAX_LINE && !mayCarryUsage(f.source, raw)) {
        state.titleTries = (state.titleTries ?? 0) + 1;
        return;
      }
      const buf = trimPadding(raw);
      let value: unknown;
      try {
        value = JSON.parse(buf.toString('utf8'));
      } catch (e) {
        reportProblem(state.diag, lineNo, `invalid JSON: ${(e as Error).message.slice(0, 80)}`);
        return;
      }
      if (seekingTitle()) {
        const t = state.source === 'claude' ? claudePromptTitle(value) : codexPromptTitle(value);
        if (t !== undefined) {
          state.title = t;
          this.hints.fileChanged(logical);
          codexTouched = true;
          changed = true;
          return;
        }
        if ((value as { type?: unknown } | null)?.type === 'user') state.titleTries = (state.titleTries ?? 0) + 1;
      }
      if (state.source === 'claude') {
        const r = claudeRecordFromJson(value, state.path, lineNo, fallbackSession);
        if (r.kind === 'record') {
          const before = state.records.get(r.record.key);
          keepLargest(state.records, r.record);
          const now = state.records.get(r.record.key)!;
          if (now !== before) this.claude.upsert(state.uid, now);
          changed = true;
        } else if (r.kind === 'problem') reportProblem(state.diag, lineNo, r.reason);
      } else {
        const before = state.reader.observations.length;
        const limitsBefore = state.reader.limitUpdates;
        const hadMeta = state.reader.meta.id;
        const r = state.reader.handle(value, lineNo);
        if (r.kind === 'problem') reportProblem(state.diag, lineNo, r.reason);
        if (state.reader.limitUpdates !== limitsBefore) {
          this.limitsDirty = true;
          changed = true;
        }
        if (state.reader.observations.length !== before || state.reader.meta.id !== hadMeta) {
          codexTouched = true;
          changed = true;
        }
      }
    };
    const reset = () => {
      // The file was replaced or rewritten: keep what it gave as retained history (under its uid), read it anew.
      this.retain({ ...state } as FileState);
      state.uid = ++this.uids;
      state.diag = newDiagnostics(state.path);
      state.title = undefined;
      state.titleTries = 0;
      if (state.source === 'claude') state.records = new Map();
      else state.reader = new CodexSessionReader();
      codexTouched = true;
      this.limitsDirty = true;
      changed = true;
    };
    try {
      const read = isCompressedLog(f.path) ? readCompressed : readAppended;
      const r = await read(f.path, state.pos, { ...filter, chunkSize: this.options.chunkSize }, onLine, reset);
      state.pos = r.position;
      state.diag.readError = r.incomplete;
      if (state.source === 'codex' && codexTouched) this.codex.touch(state);
      if (changed) this.version++;
      return { changed, bytes: r.bytesRead };
    } catch (e) {
      if (state.source === 'codex' && codexTouched) this.codex.touch(state);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // Gone: unless its other representation is there (compressed, or decompressed back by a resume).
        const other = isCompressedLog(f.path) ? logical : logical + COMPRESSED_SUFFIX;
        if (f.source === 'codex' && fs.existsSync(other)) return this.readFile({ path: other, source: f.source });
        this.removeFile(logical);
        return { changed: true, bytes: 0 };
      }
      state.diag.readError = `${code ?? 'error'}: ${(e as Error).message}`;
      return { changed: false, bytes: 0 };
    }
  }

  /**
   * What changed since the last flush: the messages and sessions that updates touched are recounted,
   * and the events that left and came are handed over (an aggregate subtracts and adds exactly them).
   */
  flush(): EngineDelta {
    const c = this.claude.flush();
    const x = this.codex.flush();
    const removed: UsageEvent[] = c.removed.map(claudeEvent);
    const added: UsageEvent[] = c.added.map(claudeEvent);
    for (const r of c.added) this.hints.claudeRecord(r);
    for (const s of x.removed) removed.push(...codexEvents(s.session, s.usage));
    for (const s of x.added) added.push(...codexEvents(s.session, s.usage));
    for (const id of x.sessions) this.describeCodex(id);
    const threads = new Set(this.hints.dirty);
    this.hints.dirty.clear();
    const limits = this.limitsDirty;
    if (limits) {
      const all: LimitWindow[] = [];
      for (const st of [...this.files.values(), ...this.retained]) if (st.source === 'codex') all.push(...st.reader.limits.values());
      this.limitsCache = latestWindows(all);
      this.limitsDirty = false;
    }
    return { removed, added, threads, limits };
  }

  private describeCodex(id: string): void {
    const files = this.codex.filesOf(id) as CodexState[];
    // A rollout without token data (pre-0.32) describes no thread.
    if (!files.some((x) => x.reader.observations.length)) return;
    const main = files.reduce((a, b) => (preferCodex(b, a) ? b : a));
    const m = files.find((x) => x.reader.meta.id)?.reader.meta ?? main.reader.meta;
    this.hints.codexSession(id, { source: 'codex', sessionId: id, file: main.physical, cwd: m.cwd ?? main.reader.meta.cwd, branch: m.branch, repositoryUrl: m.repositoryUrl, files: [main.path, ...new Set(files.map((x) => x.path).filter((p) => p !== main.path))] });
  }

  /** Every counted usage event (after flushing what changed), in time order. */
  events(): UsageEvent[] {
    this.flush();
    const out: UsageEvent[] = [];
    for (const r of this.claude.records()) out.push(claudeEvent(r));
    for (const [id, usage] of this.codex.sessionUsage()) out.push(...codexEvents(id, usage));
    return out.sort((a, b) => a.timestamp - b.timestamp);
  }

  /** One thread's hints (folder, branch, title, whether its log is gone). */
  threadHint(key: string): ThreadHints | undefined {
    const h = this.hints.get(key, this.facts);
    // A Codex thread's log is deleted when every file of it is a retained history.
    if (h && h.source === 'codex') h.logDeleted = !this.codex.filesOf(h.sessionId).some((x) => !(x as CodexState).retained);
    return h;
  }

  /** Per thread (`source:sessionId`, in key order), what its logs say about where it ran. */
  threadHints(): Map<string, ThreadHints> {
    this.flush();
    const out = new Map<string, ThreadHints>();
    for (const k of [...this.hints.keys()].sort()) {
      const h = this.threadHint(k);
      if (h) out.set(k, h);
    }
    return out;
  }

  /** Every file's state, live and retained (the persistent index serializes them). */
  fileStates(): FileState[] {
    return [...this.files.values(), ...this.retained];
  }

  /** Everything needed to resume without reading unchanged files again (persistent index). */
  exportState(): EngineState {
    return { files: this.fileStates().map(serializeState) };
  }

  /** Replaces the engine's state with an index's; the next scan reads only what changed since. Returns the states made, in order. */
  importState(state: EngineState): FileState[] {
    const made: FileState[] = [];
    this.files.clear();
    this.retained.length = 0;
    this.claude.clear();
    this.codex.clear();
    this.hints.clear();
    this.retainedTitles.clear();
    for (const f of state.files) {
      const st = deserializeState(f, ++this.uids);
      made.push(st);
      if (f.retained) {
        this.retained.push(st);
        if (st.title !== undefined && !this.retainedTitles.has(st.path)) this.retainedTitles.set(st.path, st.title);
      }
      else this.files.set(f.path, st);
      if (st.source === 'claude') for (const r of st.records.values()) this.claude.upsert(st.uid, r);
      else this.codex.touch(st);
    }
    this.limitsDirty = true;
    this.version++;
    return made;
  }

  /** Files read so far and retained histories (for the UI). */
  counts(): { files: number; retained: number } {
    return { files: this.files.size, retained: this.retained.length };
  }

  /** Latest Codex limit windows across all rollouts, by window name. */
  codexLimits(): Map<string, LimitWindow> {
    this.flush();
    return this.limitsCache;
  }

  /** Files with unusable lines or read errors. */
  diagnostics(): FileDiagnostics[] {
    const out = [...this.dirErrors.values()];
    for (const st of this.files.values()) if (st.diag.problemCount > 0 || st.diag.readError) out.push(st.diag);
    return out;
  }
}

/** Of two files of one Codex session, the one that describes it (its log to open): a live file over a retained one, then the one that saw more. */
function preferCodex(a: CodexState, b: CodexState): boolean {
  if (!!a.retained !== !!b.retained) return !a.retained;
  const na = a.reader.observations.length;
  const nb = b.reader.observations.length;
  if (na !== nb) return na > nb;
  return a.path < b.path;
}

export { codexIdFromName };
