import { ClaudeRecord } from './parse';

/** Is `a` the copy to keep over `b` (same key)? Largest token total wins; ties go to the earliest copy. */
export function preferClaude(a: ClaudeRecord, b: ClaudeRecord): boolean {
  if (a.total !== b.total) return a.total > b.total;
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
  if (a.file !== b.file) return a.file < b.file;
  return a.line < b.line;
}

/** Keeps, within one file, the largest copy of each key (streaming writes one line per content block). */
export function keepLargest(into: Map<string, ClaudeRecord>, r: ClaudeRecord): void {
  const prev = into.get(r.key);
  if (!prev || preferClaude(r, prev)) into.set(r.key, r);
}

/** One transcript's records with when it was written (its first and last record), to tell an original from a resumed copy. */
export interface ClaudeFileRecords {
  records: Iterable<ClaudeRecord>;
  /** [first, last] record timestamp of the file. */
  written: readonly [number, number];
}

/** Was `a`'s file written before `b`'s? An original starts no later and ends before the copy that continues it. */
function writtenBefore(a: ClaudeCopy, b: ClaudeCopy): boolean {
  if (a.written[0] !== b.written[0]) return a.written[0] < b.written[0];
  if (a.written[1] !== b.written[1]) return a.written[1] < b.written[1];
  return a.r.file < b.r.file;
}

/**
 * The records that count, across all files:
 * - one per `message.id:requestId` key, with the tokens of its largest copy (streaming grows
 *   `output_tokens`; resumed sessions copy history into new files);
 * - credited (session, folder, time) to the copy in the file that was written first: a resumed
 *   session's copies of earlier messages belong to the session that wrote them;
 * - when a message id has a non-sidechain copy, its sidechain copies are replays (`/btw`) and are dropped.
 */
export function dedupeClaude(files: Iterable<ClaudeFileRecords>): ClaudeRecord[] {
  const byMessage = new Map<string, ClaudeCopy[]>();
  for (const f of files) {
    for (const r of f.records) {
      const g = byMessage.get(r.messageId);
      if (g) g.push({ r, written: f.written });
      else byMessage.set(r.messageId, [{ r, written: f.written }]);
    }
  }
  const out: ClaudeRecord[] = [];
  for (const group of byMessage.values()) out.push(...dedupeGroup(group));
  return out;
}

/** One copy of a message: the record as one file holds it, with when that file was written. */
export interface ClaudeCopy {
  r: ClaudeRecord;
  written: readonly [number, number];
}

/** The records that count of one message id's copies (see dedupeClaude). */
export function dedupeGroup(group: readonly ClaudeCopy[]): ClaudeRecord[] {
  if (group.length === 1) return [group[0].r];
  const pool = group.some((x) => !x.r.sidechain) ? group.filter((x) => !x.r.sidechain) : group;
  const byKey = new Map<string, { largest: ClaudeRecord; first: ClaudeCopy }>();
  for (const x of pool) {
    const k = byKey.get(x.r.key);
    if (!k) byKey.set(x.r.key, { largest: x.r, first: x });
    else {
      if (preferClaude(x.r, k.largest)) k.largest = x.r;
      if (writtenBefore(x, k.first)) k.first = x;
    }
  }
  const out: ClaudeRecord[] = [];
  for (const { largest, first } of byKey.values()) {
    const o = first.r;
    out.push(o === largest ? o : { ...largest, sessionId: o.sessionId, cwd: o.cwd, gitBranch: o.gitBranch, file: o.file, line: o.line, timestamp: o.timestamp });
  }
  return out;
}
