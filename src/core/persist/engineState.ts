import { ClaudeRecord } from '../claude/parse';
import { CodexReaderState, CodexSessionReader } from '../codex/session';
import { FileDiagnostics, newDiagnostics } from '../diagnostics';
import { Source } from '../discovery';
import { FilePosition } from '../reader/incrementalReader';
import { decodeClaude, encodeClaude } from './claudeCodec';

/** What the engine knows of one file (live, or the retained history of one that is gone or was rewritten). */
export interface BaseState {
  /** Unique per state: copies and sessions refer to it. */
  uid: number;
  /** The log's identity: its plain `.jsonl` path (a compressed rollout is the same log). */
  path: string;
  /** The file last read: `path`, or `path` + `.zst`. */
  physical: string;
  pos?: FilePosition;
  diag: FileDiagnostics;
  /** The first prompt, once seen. */
  title?: string;
  /** Candidate prompt lines parsed so far without finding a title (the search stops at a few). */
  titleTries?: number;
  /** The file is gone (or was rewritten): this is what it held. */
  retained?: boolean;
}
export interface ClaudeState extends BaseState {
  source: 'claude';
  /** Largest copy per dedupe key within this file. */
  records: Map<string, ClaudeRecord>;
}
export interface CodexState extends BaseState {
  source: 'codex';
  reader: CodexSessionReader;
}
export type FileState = ClaudeState | CodexState;

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

export function serializeState(st: FileState): SerializedFile {
  const pos = st.pos && { ...st.pos, head: st.pos.head.toString('base64') };
  const base = { path: st.path, ...(st.physical !== st.path ? { physical: st.physical } : {}), source: st.source, ...(st.retained ? { retained: true } : {}), ...(st.title !== undefined ? { title: st.title } : {}), ...(pos ? { pos } : {}), diag: { problemCount: st.diag.problemCount, problems: st.diag.problems } };
  return st.source === 'claude' ? { ...base, claude: encodeClaude(st.records.values()) } : { ...base, codex: st.reader.toState() };
}

export function deserializeState(f: SerializedFile, uid: number): FileState {
  const diag = { ...newDiagnostics(f.path), problemCount: f.diag.problemCount, problems: f.diag.problems };
  const pos = f.pos && { ...f.pos, head: Buffer.from(f.pos.head, 'base64') };
  const base = { uid, path: f.path, physical: f.physical ?? f.path, diag, pos, title: f.title, retained: f.retained };
  return f.source === 'claude'
    ? { ...base, source: 'claude', records: decodeClaude(f.path, f.claude ?? { strings: [], records: [] }) }
    : { ...base, source: 'codex', reader: CodexSessionReader.fromState(f.codex!) };
}
