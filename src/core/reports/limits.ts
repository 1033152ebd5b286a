import { LimitWindow, effectivePercent } from '../codex/rateLimits';
import { SharedLimitState } from '../limits/sharedState';
import { claudeWindows } from '../limits/schema';
import { Severity, baseMinutes } from '../limits/windows';
import { Pace, paceOf } from '../limits/pace';

export interface LimitView {
  /** Unique per source: `weekly`, `weekly:fable`, `fiveHour:codex_gpt-5.3-codex-spark`. */
  name: string;
  /** "5-hour", "Weekly · Fable". */
  label: string;
  /** The model a window is scoped to, for a model's own limit. */
  scope?: string;
  percent: number;
  /** The percent as last observed (before a passed reset). */
  observedPercent: number;
  windowMinutes: number | null;
  resetsAt: string | null;
  observedAt: string;
  /** The reset time has passed since the observation: the window shows as reset. */
  hasReset: boolean;
  planType?: string;
  /** Claude: the endpoint's severity. */
  severity?: Severity;
  /** Codex: the limit is hit now (`rate_limit_reached_type`). */
  reached?: string;
  /** Used against elapsed time of the window (delta in points: positive is ahead of an even pace). */
  pace?: Pace;
}

export interface ClaudeLimitsView {
  fiveHour: LimitView | null;
  weekly: LimitView | null;
  /** Every other window by name (a model's weekly limit, code-named buckets). */
  other: Record<string, LimitView>;
  /** All windows, in the endpoint's order. */
  windows: LimitView[];
  /** ok, or why there are no (fresh) values: no-token, unauthorized, rate-limited, error, disabled. */
  status: string;
  message?: string;
}

export interface CodexLimitsView {
  fiveHour: LimitView | null;
  weekly: LimitView | null;
  other: Record<string, LimitView>;
  windows: LimitView[];
}

export interface LimitsReport {
  claude?: ClaudeLimitsView;
  codex: CodexLimitsView;
}

export function limitView(w: LimitWindow & { severity?: Severity }, now: number): LimitView {
  const { percent, hasReset } = effectivePercent(w, now);
  return {
    name: w.name,
    label: w.label,
    ...(w.scope ? { scope: w.scope } : {}),
    percent,
    observedPercent: w.percent,
    windowMinutes: Number.isFinite(w.windowMinutes) ? w.windowMinutes : null,
    resetsAt: w.resetsAt !== undefined ? new Date(w.resetsAt).toISOString() : null,
    observedAt: new Date(w.observedAt).toISOString(),
    hasReset,
    ...(w.planType ? { planType: w.planType } : {}),
    ...(w.severity && !hasReset ? { severity: w.severity } : {}),
    ...(w.reached && !hasReset ? { reached: w.reached } : {}),
    ...withPace(hasReset ? undefined : paceOf(percent, w.resetsAt, Number.isFinite(w.windowMinutes) ? w.windowMinutes * 60_000 : undefined, now)),
  };
}

function withPace(p: Pace | undefined): { pace?: Pace } {
  return p ? { pace: { elapsedPercent: round1(p.elapsedPercent), delta: round1(p.delta), status: p.status } } : {};
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function byName(views: LimitView[]): Pick<CodexLimitsView, 'fiveHour' | 'weekly' | 'other'> {
  const other: Record<string, LimitView> = {};
  for (const v of views) if (v.name !== 'fiveHour' && v.name !== 'weekly') other[v.name] = v;
  return { fiveHour: views.find((v) => v.name === 'fiveHour') ?? null, weekly: views.find((v) => v.name === 'weekly') ?? null, other };
}

/** Claude's windows from the shared limit state (official values, as last fetched), `limits[]` first. */
export function claudeLimitsView(state: SharedLimitState | undefined, now: number, status: string, message?: string): ClaudeLimitsView {
  const windows = state?.lastGood
    ? claudeWindows(state.lastGood.data).map((w) => limitView({ ...w, windowMinutes: baseMinutes(w.base) ?? NaN, observedAt: state.lastGood!.at }, now))
    : [];
  return { ...byName(windows), windows, status, ...(message ? { message } : {}) };
}

export function limitsReport(codex: ReadonlyMap<string, LimitWindow>, now = Date.now()): LimitsReport {
  const windows = [...codex.values()].map((w) => limitView(w, now));
  return { codex: { ...byName(windows), windows } };
}
