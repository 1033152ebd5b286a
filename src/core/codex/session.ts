import { TokenCounts } from '../tokens';
import { describeZodError } from '../diagnostics';
import {
  CodexEnvelopeSchema,
  CodexSessionMetaSchema,
  CodexTokenCountSchema,
  CodexTokenUsage,
  CodexTurnContextSchema,
} from './schema';
import { LimitWindow, windowsFromRateLimits } from './rateLimits';

/** Byte strings a Codex line must contain to be worth JSON.parse. */
export const CODEX_NEEDLES = ['"token_count"', '"session_meta"', '"turn_context"'];

/** Events of a fork's or spawned sub-agent's replayed parent history fall within this time of its start. */
export const REPLAY_WINDOW_MS = 2000;

export interface CodexUsage {
  timestamp: number;
  model: string;
  tokens: TokenCounts;
  line: number;
}

export interface CodexMeta {
  id?: string;
  forkedFromId?: string;
  spawned: boolean;
  startedAt?: number;
  cwd?: string;
  branch?: string;
  repositoryUrl?: string;
  cliVersion?: string;
}

type Totals = { input: number; cached: number; output: number; reasoning: number };

function totalsOf(u: CodexTokenUsage): Totals {
  return {
    input: u.input_tokens,
    cached: u.cached_input_tokens ?? 0,
    output: u.output_tokens,
    reasoning: u.reasoning_output_tokens ?? 0,
  };
}

const same = (a: Totals, b: Totals) =>
  a.input === b.input && a.cached === b.cached && a.output === b.output && a.reasoning === b.reasoning;
const dropped = (now: Totals, prev: Totals) =>
  now.input < prev.input || now.cached < prev.cached || now.output < prev.output || now.reasoning < prev.reasoning;
const fits = (part: Totals, whole: Totals) =>
  part.input <= whole.input && part.cached <= whole.cached && part.output <= whole.output && part.reasoning <= whole.reasoning;
const minus = (a: Totals, b: Totals): Totals => ({
  input: a.input - b.input,
  cached: a.cached - b.cached,
  output: a.output - b.output,
  reasoning: a.reasoning - b.reasoning,
});

function toTokens(t: Totals): TokenCounts {
  const cached = Math.min(t.cached, t.input);
  return { input: t.input - cached, output: t.output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: cached, reasoning: t.reasoning };
}

/** Everything a reader needs to go on where it stopped (persistent index). */
export interface CodexReaderState {
  meta: CodexMeta;
  model?: string;
  prev?: Totals;
  sawMeta: boolean;
  usage: CodexUsage[];
  limits: LimitWindow[];
}

export type CodexLineResult = { kind: 'ok' } | { kind: 'problem'; reason: string };

/**
 * Reads one rollout file's lines in order and turns them into usage increments:
 * - only a change of `total_token_usage` counts (re-emits add nothing); the increment is the delta of totals;
 * - a drop of the totals starts a new segment (its `last_token_usage`, or its totals), never a negative delta;
 * - totals equal to `last_token_usage` after non-zero totals are a restarted counter: the increment is `last`;
 * - in forks and spawned sub-agents, token counts replayed from the parent right after the start are a baseline only;
 * - the model is the one of the latest `turn_context`.
 */
export class CodexSessionReader {
  readonly meta: CodexMeta = { spawned: false };
  readonly usage: CodexUsage[] = [];
  /** Latest observed window per name in this file. */
  readonly limits = new Map<string, LimitWindow>();
  /** Counts limit snapshots taken (to notice a change). */
  limitUpdates = 0;
  private model: string | undefined;
  private prev: Totals | undefined;
  private sawMeta = false;

  get currentModel(): string | undefined {
    return this.model;
  }

  toState(): CodexReaderState {
    return { meta: { ...this.meta }, model: this.model, prev: this.prev, sawMeta: this.sawMeta, usage: this.usage, limits: [...this.limits.values()] };
  }

  static fromState(s: CodexReaderState): CodexSessionReader {
    const r = new CodexSessionReader();
    Object.assign(r.meta, s.meta);
    r.model = s.model;
    r.prev = s.prev;
    r.sawMeta = s.sawMeta;
    r.usage.push(...s.usage);
    for (const w of s.limits) r.limits.set(w.name, w);
    return r;
  }

  private isReplay(ts: number): boolean {
    const m = this.meta;
    return (m.forkedFromId !== undefined || m.spawned) && m.startedAt !== undefined && ts <= m.startedAt + REPLAY_WINDOW_MS;
  }

  handle(value: unknown, line: number): CodexLineResult {
    if (typeof value !== 'object' || value === null || !('payload' in value)) return { kind: 'ok' }; // pre-0.32: no token data
    const env = CodexEnvelopeSchema.safeParse(value);
    if (!env.success) return { kind: 'problem', reason: describeZodError(env.error) };
    const ts = Date.parse(env.data.timestamp);
    if (!Number.isFinite(ts)) return { kind: 'problem', reason: 'timestamp: not a date' };
    const payload = env.data.payload;
    switch (env.data.type) {
      case 'session_meta':
        return this.onMeta(payload, ts);
      case 'turn_context': {
        const p = CodexTurnContextSchema.safeParse(payload);
        if (!p.success) return { kind: 'problem', reason: describeZodError(p.error) };
        if (p.data.model) this.model = p.data.model;
        if (p.data.cwd && !this.meta.cwd) this.meta.cwd = p.data.cwd;
        return { kind: 'ok' };
      }
      case 'event_msg':
        if ((payload as { type?: unknown } | null)?.type !== 'token_count') return { kind: 'ok' };
        return this.onTokenCount(payload, ts, line);
      default:
        return { kind: 'ok' };
    }
  }

  private onMeta(payload: unknown, ts: number): CodexLineResult {
    if (this.sawMeta) return { kind: 'ok' }; // a fork replays its parent's meta after its own
    const p = CodexSessionMetaSchema.safeParse(payload);
    if (!p.success) return { kind: 'problem', reason: describeZodError(p.error) };
    this.sawMeta = true;
    const d = p.data;
    const src = d.source as { subagent?: { thread_spawn?: unknown } } | undefined;
    const started = d.timestamp ? Date.parse(d.timestamp) : NaN;
    Object.assign(this.meta, {
      id: d.id,
      forkedFromId: d.forked_from_id ?? undefined,
      spawned: typeof src === 'object' && src !== null && typeof src.subagent === 'object' && src.subagent !== null && 'thread_spawn' in src.subagent,
      startedAt: Number.isFinite(started) ? started : ts,
      cwd: d.cwd ?? this.meta.cwd,
      branch: d.git?.branch ?? undefined,
      repositoryUrl: d.git?.repository_url ?? undefined,
      cliVersion: d.cli_version ?? undefined,
    });
    return { kind: 'ok' };
  }

  private onTokenCount(payload: unknown, ts: number, line: number): CodexLineResult {
    const p = CodexTokenCountSchema.safeParse(payload);
    if (!p.success) return { kind: 'problem', reason: describeZodError(p.error) };
    if (p.data.rate_limits) {
      for (const w of windowsFromRateLimits(p.data.rate_limits, ts)) {
        const prev = this.limits.get(w.name);
        if (!prev || w.observedAt >= prev.observedAt) {
          this.limits.set(w.name, w);
          this.limitUpdates++;
        }
      }
    }
    const total = p.data.info?.total_token_usage;
    if (!total) return { kind: 'ok' }; // info null on the first events
    const now = totalsOf(total);
    const lastRaw = p.data.info?.last_token_usage;
    const last = lastRaw ? totalsOf(lastRaw) : undefined;
    const prev = this.prev;
    this.prev = now;
    if (this.isReplay(ts)) return { kind: 'ok' }; // baseline from the parent's replayed history
    let delta: Totals;
    if (!prev) {
      // A fork without a replayed baseline may continue the parent's accumulator: count only its own turn.
      delta = (this.meta.forkedFromId !== undefined || this.meta.spawned) && last && fits(last, now) ? last : now;
    } else if (same(now, prev)) {
      return { kind: 'ok' }; // re-emitted on a rate-limit update
    } else if (dropped(now, prev)) {
      delta = last && fits(last, now) ? last : now; // a new segment
    } else if (last && same(now, last)) {
      // Totals equal to this turn alone, after non-zero totals: the accumulator restarted (a fork's own
      // counter after its parent's replayed totals). A continuing one would read prev + last.
      delta = last;
    } else {
      delta = minus(now, prev);
    }
    if (delta.input + delta.output === 0) return { kind: 'ok' };
    this.usage.push({ timestamp: ts, model: this.model ?? 'unknown', tokens: toTokens(delta), line });
    return { kind: 'ok' };
  }
}
