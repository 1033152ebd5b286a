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

/**
 * The records that count, across all files:
 * - one per `message.id:requestId` key, the largest copy (resumed sessions copy history into new files);
 * - when a message id has a non-sidechain copy, its sidechain copies are replays (`/btw`) and are dropped.
 */
export function dedupeClaude(files: Iterable<Iterable<ClaudeRecord>>): ClaudeRecord[] {
  const byMessage = new Map<string, ClaudeRecord[]>();
  for (const f of files) {
    for (const r of f) {
      const g = byMessage.get(r.messageId);
      if (g) g.push(r);
      else byMessage.set(r.messageId, [r]);
    }
  }
  const out: ClaudeRecord[] = [];
  for (const group of byMessage.values()) {
    if (group.length === 1) {
      out.push(group[0]);
      continue;
    }
    const pool = group.some((r) => !r.sidechain) ? group.filter((r) => !r.sidechain) : group;
    const byKey = new Map<string, ClaudeRecord>();
    for (const r of pool) keepLargest(byKey, r);
    for (const r of byKey.values()) out.push(r);
  }
  return out;
}
