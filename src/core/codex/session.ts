import { describeZodError } from '../diagnostics';
import { CodexEnvelopeSchema, CodexSessionMetaSchema, CodexTokenCountSchema, CodexTokenUsage, CodexTurnContextSchema } from './schema';
import { LimitWindow, windowsFromRateLimits } from './rateLimits';

/** Byte strings a Codex line must contain to be worth JSON.parse. */
export const CODEX_NEEDLES = ['"token_count"', '"session_meta"', '"turn_context"'];

/** Cumulative token totals: input (cached and cache writes included), cached, output (reasoning included), reasoning, cache writes. */
export type Totals = readonly [input: number, cached: number, output: number, reasoning: number, cacheWrite: number];

/** One `token_count` event whose totals changed from the file's previous one (re-emits are not kept). */
export interface CodexObservation {
  /** Epoch ms of the line. */
  ts: number;
  total: Totals;
  /** `last_token_usage`, when present. */
  last?: Totals;
  /** The model of the latest `turn_context` before it ('unknown' before any). */
  model: string;
  line: number;
}

export interface CodexMeta {
  id?: string;
  forkedFromId?: string;
  /** A spawned sub-agent's parent thread (`source.subagent.thread_spawn.parent_thread_id`). */
  parentThreadId?: string;
  spawned: boolean;
  startedAt?: number;
  cwd?: string;
  branch?: string;
  repositoryUrl?: string;
  cliVersion?: string;
  /** Line of the file's first `turn_context`: what a fork wrote before it is the history it inherited. */
  firstTurnLine?: number;
}

export function totalsOf(u: CodexTokenUsage): Totals {
  return [u.input_tokens, u.cached_input_tokens ?? 0, u.output_tokens, u.reasoning_output_tokens ?? 0, u.cache_write_input_tokens ?? 0];
}

export const sameTotals = (a: Totals, b: Totals) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3] && a[4] === b[4];

/** Everything a reader needs to go on where it stopped (persistent index). Observations as number arrays. */
export interface CodexReaderState {
  meta: CodexMeta;
  model?: string;
  sawMeta: boolean;
  /** Model names, indexed by the observations. */
  models: string[];
  /** [ts, line, model index, ...total(5), ...last(5) when present]. */
  observations: number[][];
  limits: LimitWindow[];
}

export type CodexLineResult = { kind: 'ok' } | { kind: 'problem'; reason: string };

/**
 * Reads one rollout file's lines in order: its session meta, the model of each turn, every change of
 * the cumulative token totals (an observation) and the latest rate limits per window. What counts is
 * decided per session across all its files (see accounting.ts), not here.
 */
export class CodexSessionReader {
  readonly meta: CodexMeta = { spawned: false };
  readonly observations: CodexObservation[] = [];
  /** Latest observed window per name in this file. */
  readonly limits = new Map<string, LimitWindow>();
  /** Counts limit snapshots taken (to notice a change). */
  limitUpdates = 0;
  private model: string | undefined;
  private sawMeta = false;

  get currentModel(): string | undefined {
    return this.model;
  }

  toState(): CodexReaderState {
    const models: string[] = [];
    const index = new Map<string, number>();
    const observations = this.observations.map((o) => {
      let m = index.get(o.model);
      if (m === undefined) index.set(o.model, (m = models.push(o.model) - 1));
      return [o.ts, o.line, m, ...o.total, ...(o.last ?? [])];
    });
    return { meta: { ...this.meta }, model: this.model, sawMeta: this.sawMeta, models, observations, limits: [...this.limits.values()] };
  }

  static fromState(s: CodexReaderState): CodexSessionReader {
    const r = new CodexSessionReader();
    Object.assign(r.meta, s.meta);
    r.model = s.model;
    r.sawMeta = s.sawMeta;
    for (const a of s.observations) {
      const total = a.slice(3, 8) as unknown as Totals;
      r.observations.push({ ts: a[0], line: a[1], model: s.models[a[2]], total, ...(a.length >= 13 ? { last: a.slice(8, 13) as unknown as Totals } : {}) });
    }
    for (const w of s.limits) r.limits.set(w.name, w);
    return r;
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
        this.meta.firstTurnLine ??= line;
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
    const spawn = (d.source as { subagent?: { thread_spawn?: { parent_thread_id?: unknown } } } | undefined)?.subagent?.thread_spawn;
    const started = d.timestamp ? Date.parse(d.timestamp) : NaN;
    Object.assign(this.meta, {
      id: d.id,
      forkedFromId: d.forked_from_id ?? undefined,
      parentThreadId: typeof spawn?.parent_thread_id === 'string' ? spawn.parent_thread_id : undefined,
      spawned: typeof spawn === 'object' && spawn !== null,
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
    // rate_limits: null (Team plans, exec mode) keeps the last known values.
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
    const prev = this.observations.at(-1);
    if (prev && sameTotals(prev.total, now)) return { kind: 'ok' }; // re-emitted on a rate-limit update
    const last = p.data.info?.last_token_usage;
    this.observations.push({ ts, total: now, ...(last ? { last: totalsOf(last) } : {}), model: this.model ?? 'unknown', line });
    return { kind: 'ok' };
  }
}
