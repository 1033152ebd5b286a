import { LimitWindow, effectivePercent } from '../codex/rateLimits';
import { SharedLimitState } from '../limits/sharedState';
import { claudeWindows } from '../limits/schema';

export interface LimitView {
  percent: number;
  /** The percent as last observed (before a passed reset). */
  observedPercent: number;
  windowMinutes: number;
  resetsAt: string | null;
  observedAt: string;
  /** The reset time has passed since the observation: the window shows as reset. */
  hasReset: boolean;
  planType?: string;
}

export interface ClaudeLimitsView {
  fiveHour: LimitView | null;
  weekly: LimitView | null;
  other: Record<string, LimitView>;
  /** ok, or why there are no (fresh) values: no-token, unauthorized, rate-limited, error, disabled. */
  status: string;
  message?: string;
}

export interface LimitsReport {
  claude?: ClaudeLimitsView;
  codex: { fiveHour: LimitView | null; weekly: LimitView | null; other: Record<string, LimitView> };
}

export function limitView(w: LimitWindow, now: number): LimitView {
  const { percent, hasReset } = effectivePercent(w, now);
  return {
    percent,
    observedPercent: w.percent,
    windowMinutes: w.windowMinutes,
    resetsAt: w.resetsAt !== undefined ? new Date(w.resetsAt).toISOString() : null,
    observedAt: new Date(w.observedAt).toISOString(),
    hasReset,
    ...(w.planType ? { planType: w.planType } : {}),
  };
}

/** Claude's windows from the shared limit state (official values, as last fetched). */
export function claudeLimitsView(state: SharedLimitState | undefined, now: number, status: string, message?: string): ClaudeLimitsView {
  const out: ClaudeLimitsView = { fiveHour: null, weekly: null, other: {}, status, ...(message ? { message } : {}) };
  if (!state?.lastGood) return out;
  for (const w of claudeWindows(state.lastGood.data)) {
    const v = limitView({ name: w.name, windowMinutes: w.name === 'fiveHour' ? 300 : 10080, percent: w.percent, resetsAt: w.resetsAt, observedAt: state.lastGood.at }, now);
    if (w.name === 'fiveHour' || w.name === 'weekly') out[w.name] = v;
    else out.other[w.name] = v;
  }
  return out;
}

export function limitsReport(codex: ReadonlyMap<string, LimitWindow>, now = Date.now()): LimitsReport {
  const other: Record<string, LimitView> = {};
  for (const [name, w] of codex) if (name !== 'fiveHour' && name !== 'weekly') other[name] = limitView(w, now);
  const pick = (n: string) => {
    const w = codex.get(n);
    return w ? limitView(w, now) : null;
  };
  return { codex: { fiveHour: pick('fiveHour'), weekly: pick('weekly'), other } };
}
