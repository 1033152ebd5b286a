import { TokenCounts } from '../tokens';
import { CodexMeta, CodexObservation, Totals, sameTotals } from './session';

/** One counted increment of a Codex session's totals. */
export interface CodexUsage {
  timestamp: number;
  model: string;
  tokens: TokenCounts;
  line: number;
  /** The file whose event first reached these totals. */
  file: string;
}

/** One file of a session: its observations in file order. */
export interface SessionFile {
  file: string;
  observations: readonly CodexObservation[];
  /** Line of its first `turn_context` (a fork's inherited history is written before it). */
  firstTurnLine?: number;
}

/** What a fork or spawned sub-agent inherits from its parent. */
export interface ForkBaseline {
  /** Totals the parent reached: a child event with one of them replays the parent's history. */
  reached: ReadonlySet<string>;
  /** The parent's totals at the fork point (its latest event before the child started). */
  totals?: Totals;
}

export const totalsKey = (t: Totals) => t.join(',');

const dropped = (now: Totals, prev: Totals) => now.some((v, i) => v < prev[i]);
const fits = (part: Totals, whole: Totals) => part.every((v, i) => v <= whole[i]);
const minus = (a: Totals, b: Totals): Totals => a.map((v, i) => v - b[i]) as unknown as Totals;

/** Cached input and cache writes are parts of input_tokens; reasoning is inside output. */
export function codexTokens(t: Totals): TokenCounts {
  const cached = Math.min(t[1], t[0]);
  const written = Math.min(t[4], t[0] - cached);
  return { input: t[0] - cached - written, output: t[2], cacheWrite5m: written, cacheWrite1h: 0, cacheRead: cached, reasoning: t[3] };
}

/**
 * The increment an event adds after `prev` (the totals before it in the session's stream):
 * - the delta of totals;
 * - a drop of the totals starts a new segment: this turn (`last_token_usage`, or the totals);
 * - totals equal to `last_token_usage` after non-zero totals are a restarted counter: this turn;
 * - a fork's first event without a known baseline may continue the parent's accumulator: this turn only.
 */
function increment(prev: Totals | undefined, now: Totals, last: Totals | undefined, child: boolean): Totals {
  if (!prev) return child && last && fits(last, now) ? last : now;
  if (dropped(now, prev)) return last && fits(last, now) ? last : now;
  if (last && sameTotals(now, last)) return last;
  return minus(now, prev);
}

/**
 * A Codex session's usage from all its files (a session copied into another file, archived, compressed,
 * or resumed into a new file). Its cumulative totals only grow: an event whose totals the session (or a
 * fork's parent) had already reached is a replay, whatever its timestamp, and adds nothing; each
 * increment is dated by the event that first reached it. Files are taken in the order they started, one
 * stream: a resumed file continues from the totals its predecessor ended with.
 *
 * A fork or sub-agent whose parent's log is unknown (deleted before it was ever read) cannot be matched
 * against it: what it wrote before its own first `turn_context` is then taken as inherited history.
 */
export function accountSession(files: readonly SessionFile[], o: { child: boolean; parent?: ForkBaseline }): { usage: CodexUsage[]; replayed: number } {
  const ordered = [...files].sort((a, b) => (a.observations[0]?.ts ?? Infinity) - (b.observations[0]?.ts ?? Infinity) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // Totals reached -> the increment they produced (-1: none, e.g. the parent's or a zero increment).
  const seen = new Map<string, number>();
  for (const k of o.parent?.reached ?? []) seen.set(k, -1);
  const usage: CodexUsage[] = [];
  let replayed = 0;
  let prev: Totals | undefined = o.child ? o.parent?.totals : undefined;
  for (const f of ordered) {
    for (const ob of f.observations) {
      const k = totalsKey(ob.total);
      const at = seen.get(k);
      const inherited = o.child && !o.parent && f.firstTurnLine !== undefined && ob.line < f.firstTurnLine;
      if (at !== undefined || inherited) {
        replayed++;
        if (at !== undefined && at >= 0 && ob.ts < usage[at].timestamp) usage[at].timestamp = ob.ts;
        else if (at === undefined) seen.set(k, -1);
        prev = ob.total;
        continue;
      }
      const d = increment(prev, ob.total, ob.last, o.child);
      prev = ob.total;
      if (d[0] + d[2] === 0) {
        seen.set(k, -1);
        continue;
      }
      seen.set(k, usage.length);
      usage.push({ timestamp: ob.ts, model: ob.model, tokens: codexTokens(d), line: ob.line, file: f.file });
    }
  }
  return { usage, replayed };
}

/** A parent's baseline for a child that started at `startedAt`: every totals it reached, and its totals then. */
export function forkBaseline(parent: Iterable<CodexObservation>, startedAt: number | undefined): ForkBaseline {
  const reached = new Set<string>();
  let latest: CodexObservation | undefined;
  for (const ob of parent) {
    reached.add(totalsKey(ob.total));
    if (startedAt !== undefined && ob.ts <= startedAt && (!latest || ob.ts >= latest.ts)) latest = ob;
  }
  return { reached, totals: latest?.total };
}

/** What the session accounting needs of one file's reader. */
export interface ReadSessionFile {
  file: string;
  meta: CodexMeta;
  observations: readonly CodexObservation[];
}

/** The session's meta: the first file that saw its session_meta. */
export function sessionMeta(files: readonly ReadSessionFile[]): CodexMeta {
  return files.find((x) => x.meta.id)?.meta ?? files[0].meta;
}

/** The id of the session a fork or spawned sub-agent comes from. */
export function parentOf(m: CodexMeta): string | undefined {
  return m.forkedFromId ?? m.parentThreadId;
}

/** A session's usage from its files, a fork or sub-agent against its parent's files when they are known. */
export function sessionUsage(files: readonly ReadSessionFile[], parentFiles?: readonly ReadSessionFile[]): { usage: CodexUsage[]; replayed: number } {
  const m = sessionMeta(files);
  const child = m.forkedFromId !== undefined || m.spawned;
  const parent = child && parentFiles?.length ? forkBaseline(parentFiles.flatMap((p) => p.observations), m.startedAt) : undefined;
  return accountSession(
    files.map((x) => ({ file: x.file, observations: x.observations, firstTurnLine: x.meta.firstTurnLine })),
    { child, parent },
  );
}
