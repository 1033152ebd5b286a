import { CodexRateLimits, CodexWindow } from './schema';

/** One observed limit window, named by its length. */
export interface LimitWindow {
  /** `fiveHour` (300 min), `weekly` (10080 min) or `<n>m`. */
  name: string;
  windowMinutes: number;
  /** 0-100 as reported; may exceed 100. */
  percent: number;
  /** Epoch ms, when known. */
  resetsAt?: number;
  /** Epoch ms of the line that carried it. */
  observedAt: number;
  planType?: string;
}

export function windowName(minutes: number): string {
  if (minutes === 300) return 'fiveHour';
  if (minutes === 10080) return 'weekly';
  return `${minutes}m`;
}

/** Codex writes rate limits for other products too; only null / "codex" are Codex's own. */
export function isCodexLimit(limitId: string | null | undefined): boolean {
  return limitId === undefined || limitId === null || limitId === 'codex';
}

function resetTime(w: Pick<CodexWindow, 'resets_at' | 'resets_in_seconds'>, observedAt: number): number | undefined {
  const r = w.resets_at;
  if (typeof r === 'number' && r > 0) return r < 1e11 ? r * 1000 : r; // unix seconds (ms tolerated)
  if (typeof r === 'string') {
    const t = Date.parse(r);
    if (Number.isFinite(t)) return t;
  }
  if (typeof w.resets_in_seconds === 'number') return observedAt + w.resets_in_seconds * 1000;
  return undefined;
}

function fromWindow(w: CodexWindow | null | undefined, observedAt: number, planType?: string): LimitWindow | undefined {
  if (!w || typeof w.window_minutes !== 'number' || w.window_minutes <= 0) return undefined;
  const resetsAt = resetTime(w, observedAt);
  return {
    name: windowName(w.window_minutes),
    windowMinutes: w.window_minutes,
    percent: w.used_percent,
    ...(resetsAt !== undefined ? { resetsAt } : {}),
    observedAt,
    ...(planType ? { planType } : {}),
  };
}

/** The windows in one `rate_limits` snapshot, whatever its historical shape. Empty for other limits. */
export function windowsFromRateLimits(rl: CodexRateLimits, observedAt: number): LimitWindow[] {
  if (!isCodexLimit(rl.limit_id)) return [];
  const plan = rl.plan_type ?? undefined;
  const out: LimitWindow[] = [];
  const push = (w: LimitWindow | undefined) => {
    if (w) out.push(w);
  };
  push(fromWindow(rl.primary, observedAt, plan));
  push(fromWindow(rl.secondary, observedAt, plan));
  // 0.40: flat fields (weekly_* without minutes is the weekly window).
  const flat: [number | null | undefined, number | null | undefined, number | null | undefined][] = [
    [rl.primary_used_percent, rl.primary_window_minutes, rl.primary_resets_in_seconds],
    [rl.secondary_used_percent, rl.secondary_window_minutes, rl.secondary_resets_in_seconds],
    [rl.weekly_used_percent, rl.weekly_window_minutes ?? 10080, rl.weekly_resets_in_seconds],
  ];
  for (const [used_percent, window_minutes, resets_in_seconds] of flat) {
    if (typeof used_percent === 'number') push(fromWindow({ used_percent, window_minutes, resets_in_seconds }, observedAt, plan));
  }
  return out;
}

/** Merges snapshots keeping, per window name, the most recently observed. */
export function latestWindows(all: Iterable<LimitWindow>): Map<string, LimitWindow> {
  const out = new Map<string, LimitWindow>();
  for (const w of all) {
    const prev = out.get(w.name);
    if (!prev || w.observedAt > prev.observedAt) out.set(w.name, w);
  }
  return out;
}

/** A window whose reset time has passed shows as reset (0%), not as the old percentage. */
export function effectivePercent(w: LimitWindow, now: number): { percent: number; hasReset: boolean } {
  if (w.resetsAt !== undefined && w.resetsAt <= now) return { percent: 0, hasReset: true };
  return { percent: w.percent, hasReset: false };
}
