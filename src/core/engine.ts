import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClaudeRecord, CLAUDE_NEEDLES, claudeRecordFromJson } from './claude/parse';
import { dedupeClaude, keepLargest } from './claude/dedupe';
import { parentOf, sessionMeta, sessionUsage } from './codex/accounting';
import { CODEX_NEEDLES, CodexReaderState, CodexSessionReader } from './codex/session';
import { LimitWindow, latestWindows } from './codex/rateLimits';
import { FileDiagnostics, newDiagnostics, reportProblem } from './diagnostics';
import { COMPRESSED_SUFFIX, LogFile, Source, claudeLogDirs, codexLogDirs, discoverLogFiles, isCompressedLog, logicalPath } from './discovery';
import { UsageEvent, ThreadHints } from './events';
import { decodeClaude, encodeClaude } from './persist/claudeCodec';
import { requestCost } from './pricing/pricing';
import { readCompressed } from './reader/compressedReader';
import { FilePosition, readAppended } from './reader/incrementalReader';
import { CLAUDE_TITLE_NEEDLE, CODEX_TITLE_NEEDLE, claudePromptTitle, codexPromptTitle } from './titles';

export interface EngineOptions {
  claudeRoots: string[];
  codexHome?: string;
  sources?: readonly Source[];
  /** Read buffer size in bytes. */
  chunkSize?: number;
  /** Files read at once during a scan. */
  concurrency?: number;
}

interface BaseState {
  /** The log's identity: its plain `.jsonl` path (a compressed rollout is the same log). */
  path: string;
  /** The file last read: `path`, or `path` + `.zst`. */
  physical: string;
  pos?: FilePosition;
  diag: FileDiagnostics;
  /** The first prompt, once seen. */
  title?: string;
  /** Candidate prompt lines parsed so far without finding a title (the search stops at TITLE_TRIES). */
  titleTries?: number;
  /** The file is gone (or was rewritten): this is what it held. */
  retained?: boolean;
}
interface ClaudeState extends BaseState {
  source: 'claude';
  /** Largest copy per dedupe key within this file. */
  records: Map<string, ClaudeRecord>;
}
interface CodexState extends BaseState {
  source: 'codex';
  reader: CodexSessionReader;
}
type FileState = ClaudeState | CodexState;

/** One file in the persistent index: where reading stopped and what it gave so far. */
export interface SerializedFile {
  path: string;
  /** The representation last read, when not the plain path (`.jsonl.zst`). */
  physical?: string;
  source: Source;
  retained?: boolean;
  title?: string;
  pos?: { offset: number; size: number; mtimeMs: number; ino: number; dev: number; lines: number; head: string; tailOpen: boolean; compressed?: boolean };
  diag: { problemCount: number; problems: FileDiagnostics['problems'] };
  /** Claude records, one array each (see encodeClaude), with a string table. */
  claude?: { strings: string[]; records: number[][] };
  codex?: CodexReaderState;
}

export interface EngineState {
  files: SerializedFile[];
}

export interface ScanSummary {
  files: number;
  changedFiles: number;
  removedFiles: number;
  bytesRead: number;
}

const claudeNeedles = CLAUDE_NEEDLES.map((s) => Buffer.from(s));
const codexNeedles = CODEX_NEEDLES.map((s) => Buffer.from(s));
// Until a file's title is known, its prompt lines pass the pre-filter too.
const claudeTitleNeedles = [...claudeNeedles, Buffer.from(CLAUDE_TITLE_NEEDLE)];
/** A transcript's first prompt is among its first user lines: tool results after that are not parsed for it. */
const TITLE_TRIES = 3;
/** A prompt is a short line; a longer one that only matched the title needle (a tool result) is not parsed. */
const TITLE_MAX_LINE = 32 * 1024;
/**
 * Claude Code writes `"role":"user"` in a user message's first few hundred bytes; user messages never carry
 * usage, and their tool results are most of a transcript's bytes: they are skipped without a full scan.
 */
const CLAUDE_USER_MARKER = Buffer.from('"role":"user"');
const USER_MARKER_WINDOW = 1024;
/**
 * `file-history-snapshot` lines (file backups, written first in the line) carry no usage and can make a
 * transcript hundreds of MB: rejected from their first bytes, and a long one is dropped unbuffered.
 */
const CLAUDE_SNAPSHOT_MARKER = Buffer.from('"type":"file-history-snapshot"');
const SNAPSHOT_MARKER_WINDOW = 64;
/** Codex writes the line type at the start of its envelope: `{"timestamp":"…","type":"event_msg","payload":{"type":"token_count"`. */
const CODEX_NEEDLE_WINDOW = 512;
const codexTitleNeedles = [...codexNeedles, Buffer.from(CODEX_TITLE_NEEDLE)];

function isUnder(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Codex session id from `rollout-<date>-<uuid>.jsonl` (or `.jsonl.zst`). */
function codexIdFromName(p: string): string | undefined {
  return /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(?:\.zst)?$/i.exec(p)?.[1];
}

/** Is this Claude line one that never carries usage, judged from its first bytes? */
function claudeNoUsage(head: Buffer): boolean {
  if (head.subarray(0, SNAPSHOT_MARKER_WINDOW).indexOf(CLAUDE_SNAPSHOT_MARKER) !== -1) return true;
  return head.length > USER_MARKER_WINDOW && head.subarray(0, USER_MARKER_WINDOW).indexOf(CLAUDE_USER_MARKER) !== -1;
}

/**
 * Owns the per-file reading state and turns it into deduplicated usage events. Reads only appended
 * bytes on each update; a replaced or truncated file is read again, what it held before kept as
 * retained history and deduplicated against the new read, so nothing is lost and nothing counts twice.
 */
export class UsageEngine {
  private readonly files = new Map<string, FileState>();
  /** What deleted or rewritten files held: kept, never counted twice (see removeFile). */
  private readonly retained: FileState[] = [];
  private version = 0;
  private readonly dirErrors = new Map<string, FileDiagnostics>();
  private cache?: { version: number; events: UsageEvent[]; threads: Map<string, ThreadHints> };

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

  /** Finds every log file, reads what is new in each and forgets files that are gone. */
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
    const queue = [...found];
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
    this.version++;
    return true;
  }

  private retain(st: FileState): void {
    const has = st.source === 'claude' ? st.records.size > 0 : st.reader.observations.length > 0 || st.reader.limits.size > 0;
    if (!has) return;
    this.retained.push({ ...st, retained: true } as FileState);
  }

  private newState(f: LogFile, logical: string): FileState {
    const diag = newDiagnostics(logical);
    return f.source === 'claude'
      ? { source: 'claude', path: logical, physical: f.path, diag, records: new Map() }
      : { source: 'codex', path: logical, physical: f.path, diag, reader: new CodexSessionReader() };
  }

  private async readFile(f: LogFile): Promise<{ changed: boolean; bytes: number }> {
    const logical = logicalPath(f.path);
    let st = this.files.get(logical);
    if (!st || st.source !== f.source) {
      st = this.newState(f, logical);
      this.files.set(logical, st);
    }
    const state = st;
    state.physical = f.path;
    let changed = false;
    const fallbackSession = path.basename(logical, '.jsonl');
    const usageNeedles = f.source === 'claude' ? claudeNeedles : codexNeedles;
    const window = f.source === 'codex' ? CODEX_NEEDLE_WINDOW : undefined;
    const seekingTitle = () => state.title === undefined && (state.titleTries ?? 0) < TITLE_TRIES;
    const titleNeedles = f.source === 'claude' ? claudeTitleNeedles : codexTitleNeedles;
    // The pre-filter, per line and for the file's current state: usage lines always; prompt lines while
    // a title is wanted; Claude user messages (their tool results are most bytes) skipped from their start.
    const accept = (line: Buffer): boolean => {
      if (!seekingTitle()) {
        if (f.source === 'claude' && claudeNoUsage(line)) return false;
        return hasAny(line, usageNeedles, window);
      }
      if (f.source === 'claude' && line.subarray(0, SNAPSHOT_MARKER_WINDOW).indexOf(CLAUDE_SNAPSHOT_MARKER) !== -1) return false;
      return hasAny(line, titleNeedles, window);
    };
    // A line longer than the splitter buffers, judged from its first 64 KB: longer than any prompt
    // worth a title, so only a line that may carry usage is kept whole.
    const early = (head: Buffer): boolean => (f.source === 'claude' ? !claudeNoUsage(head) : hasAny(head, usageNeedles, window));
    const onLine = (raw: Buffer, lineNo: number) => {
      // A line that matched only the title needle is parsed only if short (a long one is a tool result).
      if (raw.length > TITLE_MAX_LINE && !hasAny(raw, usageNeedles, window)) {
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
          changed = true;
          return;
        }
        if ((value as { type?: unknown } | null)?.type === 'user') state.titleTries = (state.titleTries ?? 0) + 1;
      }
      if (state.source === 'claude') {
        const r = claudeRecordFromJson(value, state.path, lineNo, fallbackSession);
        if (r.kind === 'record') {
          keepLargest(state.records, r.record);
          changed = true;
        } else if (r.kind === 'problem') reportProblem(state.diag, lineNo, r.reason);
      } else {
        const before = state.reader.observations.length + state.reader.limitUpdates;
        const r = state.reader.handle(value, lineNo);
        if (r.kind === 'problem') reportProblem(state.diag, lineNo, r.reason);
        if (state.reader.observations.length + state.reader.limitUpdates !== before) changed = true;
      }
    };
    const reset = () => {
      // The file was replaced or rewritten: keep what it gave as retained history, read it anew.
      this.retain({ ...state } as FileState);
      state.diag = newDiagnostics(state.path);
      state.title = undefined;
      state.titleTries = 0;
      if (state.source === 'claude') state.records = new Map();
      else state.reader = new CodexSessionReader();
      changed = true;
    };
    try {
      const read = isCompressedLog(f.path) ? readCompressed : readAppended;
      const r = await read(f.path, state.pos, { accept, early, chunkSize: this.options.chunkSize }, onLine, reset);
      state.pos = r.position;
      state.diag.readError = r.incomplete;
      if (changed) this.version++;
      return { changed, bytes: r.bytesRead };
    } catch (e) {
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

  /** Deduplicated usage events of all files (cached until the next change). */
  events(): UsageEvent[] {
    return this.computed().events;
  }

  /** Per thread (`source:sessionId`), what its logs say about where it ran. */
  threadHints(): Map<string, ThreadHints> {
    return this.computed().threads;
  }

  private computed(): { events: UsageEvent[]; threads: Map<string, ThreadHints> } {
    if (this.cache && this.cache.version === this.version) return this.cache;
    const events: UsageEvent[] = [];
    const threads = new Map<string, ThreadHints>();
    const claudeFiles: { records: Iterable<ClaudeRecord>; written: [number, number] }[] = [];
    const codexBySession = new Map<string, CodexState[]>();
    for (const st of [...this.files.values(), ...this.retained]) {
      if (st.source === 'claude') {
        if (st.records.size) claudeFiles.push({ records: st.records.values(), written: writtenSpan(st.records.values()) });
      } else {
        const id = st.reader.meta.id ?? codexIdFromName(st.path) ?? st.path;
        const list = codexBySession.get(id);
        if (list) list.push(st);
        else codexBySession.set(id, [st]);
      }
    }
    for (const r of dedupeClaude(claudeFiles)) {
      const cost = r.costUSD ?? requestCost(r.model, r.tokens);
      events.push({ source: 'claude', timestamp: r.timestamp, sessionId: r.sessionId, model: r.model, tokens: r.tokens, cost, costFromLog: r.costUSD !== undefined });
      const key = `claude:${r.sessionId}`;
      const h = threads.get(key);
      // The main transcript (not a sub-agent file) and its latest cwd describe the thread.
      if (!h || (!r.sidechain && (h.file.includes(`${path.sep}subagents${path.sep}`) || !h.cwd)))
        threads.set(key, { source: 'claude', sessionId: r.sessionId, file: r.file, cwd: r.cwd, branch: r.gitBranch, title: this.files.get(r.file)?.title ?? h?.title, logDeleted: !this.files.has(r.file) });
      else if (!h.title) h.title = this.files.get(r.file)?.title;
    }
    for (const [id, states] of codexBySession) {
      const main = states.reduce((a, b) => (preferCodex(b, a) ? b : a));
      const read = (list: CodexState[]) => list.map((x) => ({ file: x.path, meta: x.reader.meta, observations: x.reader.observations }));
      const files = read(states);
      const m = sessionMeta(files);
      const parentId = parentOf(m);
      const parent = parentId ? codexBySession.get(parentId) : undefined;
      const { usage } = sessionUsage(files, parent && read(parent));
      threads.set(`codex:${id}`, { source: 'codex', sessionId: id, file: main.physical, cwd: m.cwd ?? main.reader.meta.cwd, branch: m.branch, repositoryUrl: m.repositoryUrl, title: main.title ?? states.find((x) => x.title)?.title, logDeleted: states.every((x) => x.retained === true) });
      for (const u of usage) {
        events.push({ source: 'codex', timestamp: u.timestamp, sessionId: id, model: u.model, tokens: u.tokens, cost: requestCost(u.model, u.tokens), costFromLog: false });
      }
    }
    events.sort((a, b) => a.timestamp - b.timestamp);
    this.cache = { version: this.version, events, threads };
    return this.cache;
  }

  /** Everything needed to resume without reading unchanged files again (persistent index). */
  exportState(): EngineState {
    const out: SerializedFile[] = [];
    for (const st of [...this.files.values(), ...this.retained]) {
      const pos = st.pos && { ...st.pos, head: st.pos.head.toString('base64') };
      const base = { path: st.path, ...(st.physical !== st.path ? { physical: st.physical } : {}), source: st.source, ...(st.retained ? { retained: true } : {}), ...(st.title !== undefined ? { title: st.title } : {}), ...(pos ? { pos } : {}), diag: { problemCount: st.diag.problemCount, problems: st.diag.problems } };
      out.push(st.source === 'claude' ? { ...base, claude: encodeClaude(st.records.values()) } : { ...base, codex: st.reader.toState() });
    }
    return { files: out };
  }

  /** Replaces the engine's state with an index's; the next scan reads only what changed since. */
  importState(state: EngineState): void {
    this.files.clear();
    this.retained.length = 0;
    for (const f of state.files) {
      const diag = { ...newDiagnostics(f.path), problemCount: f.diag.problemCount, problems: f.diag.problems };
      const pos = f.pos && { ...f.pos, head: Buffer.from(f.pos.head, 'base64') };
      const base = { path: f.path, physical: f.physical ?? f.path, diag, pos, title: f.title, retained: f.retained };
      const st: FileState =
        f.source === 'claude'
          ? { ...base, source: 'claude', records: decodeClaude(f.path, f.claude ?? { strings: [], records: [] }) }
          : { ...base, source: 'codex', reader: CodexSessionReader.fromState(f.codex!) };
      if (f.retained) this.retained.push(st);
      else this.files.set(f.path, st);
    }
    this.version++;
  }

  /** Files read so far and retained histories (for the UI). */
  counts(): { files: number; retained: number } {
    return { files: this.files.size, retained: this.retained.length };
  }

  /** Latest Codex limit windows across all rollouts, by window name. */
  codexLimits(): Map<string, LimitWindow> {
    const all: LimitWindow[] = [];
    for (const st of [...this.files.values(), ...this.retained]) if (st.source === 'codex') all.push(...st.reader.limits.values());
    return latestWindows(all);
  }

  /** Files with unusable lines or read errors. */
  diagnostics(): FileDiagnostics[] {
    const out = [...this.dirErrors.values()];
    for (const st of this.files.values()) if (st.diag.problemCount > 0 || st.diag.readError) out.push(st.diag);
    return out;
  }
}

function hasAny(b: Buffer, needles: Buffer[], window?: number): boolean {
  const part = window !== undefined && b.length > window ? b.subarray(0, window) : b;
  return needles.some((n) => part.indexOf(n) !== -1);
}

/** NUL padding (a file preallocated or cut by a crash) and blanks around a line are not part of it. */
function trimPadding(b: Buffer): Buffer {
  let start = 0;
  let end = b.length;
  while (start < end && (b[start] === 0 || b[start] === 32 || b[start] === 9 || b[start] === 13)) start++;
  while (end > start && (b[end - 1] === 0 || b[end - 1] === 32 || b[end - 1] === 9 || b[end - 1] === 13)) end--;
  return start === 0 && end === b.length ? b : b.subarray(start, end);
}

/** Of two files of one Codex session, the one that describes it (its log to open): a live file over a retained one, then the one that saw more. */
function preferCodex(a: CodexState, b: CodexState): boolean {
  if (!!a.retained !== !!b.retained) return !a.retained;
  const na = a.reader.observations.length;
  const nb = b.reader.observations.length;
  if (na !== nb) return na > nb;
  return a.path < b.path;
}

/** First and last record time of a transcript. */
function writtenSpan(records: Iterable<ClaudeRecord>): [number, number] {
  let first = Infinity;
  let last = -Infinity;
  for (const r of records) {
    if (r.timestamp < first) first = r.timestamp;
    if (r.timestamp > last) last = r.timestamp;
  }
  return [first, last];
}
