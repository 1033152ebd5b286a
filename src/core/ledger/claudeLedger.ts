import { ClaudeCopy, dedupeGroup } from '../claude/dedupe';
import { ClaudeRecord } from '../claude/parse';

interface FileSpan {
  /** [first, last] record time: which copy of a message was written first (see dedupeGroup). */
  written: [number, number];
  /** Messages this file shares with another file: their credit may move when this span moves. */
  shared: Set<string>;
}

interface Copy {
  uid: number;
  r: ClaudeRecord;
}

export interface RecordDelta {
  removed: ClaudeRecord[];
  added: ClaudeRecord[];
}

/**
 * Claude's cross-file accounting, kept up to date one record at a time: every copy of every message
 * (by file), and the records that count per message id. A change to one file touches only the
 * messages it holds (and, when its span moves, the ones it shares with another file); `flush`
 * recomputes those and hands over what left and what came.
 */
export class ClaudeLedger {
  private readonly copies = new Map<string, Copy[]>();
  private readonly out = new Map<string, ClaudeRecord[]>();
  private readonly spans = new Map<number, FileSpan>();
  private readonly dirty = new Set<string>();

  /** A file (`uid`) holds this copy of a record (new, or larger than the one it held for this key). */
  upsert(uid: number, r: ClaudeRecord): void {
    let span = this.spans.get(uid);
    if (!span) this.spans.set(uid, (span = { written: [r.timestamp, r.timestamp], shared: new Set() }));
    else if (r.timestamp < span.written[0] || r.timestamp > span.written[1]) {
      span.written = [Math.min(span.written[0], r.timestamp), Math.max(span.written[1], r.timestamp)];
      for (const m of span.shared) this.dirty.add(m);
    }
    let list = this.copies.get(r.messageId);
    if (!list) this.copies.set(r.messageId, (list = []));
    const i = list.findIndex((c) => c.uid === uid && c.r.key === r.key);
    if (i >= 0) list[i] = { uid, r };
    else {
      list.push({ uid, r });
      if (list.some((c) => c.uid !== uid)) for (const c of list) this.spans.get(c.uid)?.shared.add(r.messageId);
    }
    this.dirty.add(r.messageId);
  }

  /** Recomputes the messages touched since the last flush. */
  flush(): RecordDelta {
    const removed: ClaudeRecord[] = [];
    const added: ClaudeRecord[] = [];
    for (const m of this.dirty) {
      const list = this.copies.get(m) ?? [];
      const next = dedupeGroup(list.map((c): ClaudeCopy => ({ r: c.r, written: this.spans.get(c.uid)!.written })));
      const prev = this.out.get(m) ?? [];
      if (sameRecords(prev, next)) continue;
      removed.push(...prev);
      added.push(...next);
      this.out.set(m, next);
    }
    this.dirty.clear();
    return { removed, added };
  }

  /** Every record that counts (after a flush). */
  *records(): Iterable<ClaudeRecord> {
    for (const list of this.out.values()) yield* list;
  }

  clear(): void {
    this.copies.clear();
    this.out.clear();
    this.spans.clear();
    this.dirty.clear();
  }
}

function sameRecords(a: readonly ClaudeRecord[], b: readonly ClaudeRecord[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    const t = x.tokens;
    const u = y.tokens;
    if (x.key !== y.key || x.timestamp !== y.timestamp || x.sessionId !== y.sessionId || x.model !== y.model || x.file !== y.file || x.costUSD !== y.costUSD || x.cwd !== y.cwd) return false;
    if (t.input !== u.input || t.output !== u.output || t.cacheWrite5m !== u.cacheWrite5m || t.cacheWrite1h !== u.cacheWrite1h || t.cacheRead !== u.cacheRead) return false;
  }
  return true;
}
