import { LimitWindow, effectivePercent } from '../codex/rateLimits';

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

export interface LimitsReport {
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

export function limitsReport(codex: ReadonlyMap<string, LimitWindow>, now = Date.now()): LimitsReport {
  const other: Record<string, LimitView> = {};
  for (const [name, w] of codex) if (name !== 'fiveHour' && name !== 'weekly') other[name] = limitView(w, now);
  const pick = (n: string) => {
    const w = codex.get(n);
    return w ? limitView(w, now) : null;
  };
  return { codex: { fiveHour: pick('fiveHour'), weekly: pick('weekly'), other } };
}
