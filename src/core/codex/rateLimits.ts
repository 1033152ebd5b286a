import { WindowId, windowId } from '../limits/windows';
import { CodexRateLimits, CodexWindow } from './schema';

/** One observed limit window, named by its length, and for a model's own limit by its `limit_id`. */
export interface LimitWindow extends WindowId {
  windowMinutes: number;
  /** 0-100 as reported; may exceed 100. */
  percent: number;
  /** Epoch ms, when known. */
  resetsAt?: number;
  /** Epoch ms of the line that carried it. */
  observedAt: number;
  planType?: string;
  /** `limit_id` of a model's own limit (absent for the main Codex meter). */
  limitId?: string;
  /** `rate_limit_reached_type` when it named this window as hit: shown as "limit reached" until its reset. */
  reached?: string;
}

/** The base of a window by its length: 300 min is the 5-hour window, 10080 the weekly one. */
export function windowName(minutes: number): string {
  if (minutes === 300) return 'fiveHour';
  if (minutes === 10080) return 'weekly';
  return `${minutes}m`;
}

/** `limit_id` null or "codex" is the main meter; other ids are a model's own limits. */
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

interface Owner {
  planType?: string;
  limitId?: string;
  limitName?: string;
}

function fromWindow(w: CodexWindow | null | undefined, observedAt: number, o: Owner): LimitWindow | undefined {
  if (!w || typeof w.window_minutes !== 'number' || w.window_minutes <= 0) return undefined;
  // One object literal, no spreads: this runs for every rate-limit line of every rollout.
  const id = windowId(windowName(w.window_minutes), o.limitId ? (o.limitName ?? o.limitId) : undefined, o.limitId);
  const out: LimitWindow = { name: id.name, base: id.base, label: id.label, windowMinutes: w.window_minutes, percent: w.used_percent, observedAt };
  if (id.scope !== undefined) out.scope = id.scope;
  const resetsAt = resetTime(w, observedAt);
  if (resetsAt !== undefined) out.resetsAt = resetsAt;
  if (o.planType) out.planType = o.planType;
  if (o.limitId) out.limitId = o.limitId;
  return out;
}

/** `rate_limit_reached_type`: a string in codex-rs (`rate_limit_reached`, ...); an object with `type` tolerated. */
function reachedType(v: unknown): string | undefined {
  if (typeof v === 'string' && v) return v;
  if (v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string') return (v as { type: string }).type;
  return undefined;
}

/**
 * The windows in one `rate_limits` snapshot, whatever its historical shape: the main meter's
 * (`limit_id` null or "codex") named by length, a model's own limits (other ids) as windows of their
 * own named by `limit_name`. `rate_limit_reached_type` marks the window that is hit (the one at 100%,
 * else the fullest).
 */
export function windowsFromRateLimits(rl: CodexRateLimits, observedAt: number): LimitWindow[] {
  const plan = rl.plan_type ?? undefined;
  const own: Owner = isCodexLimit(rl.limit_id) ? { planType: plan } : { planType: plan, limitId: rl.limit_id!, limitName: rl.limit_name ?? rl.limit_id!.replace(/^codex_/, '') };
  const out: LimitWindow[] = [];
  const push = (w: LimitWindow | undefined) => {
    if (w) out.push(w);
  };
  push(fromWindow(rl.primary, observedAt, own));
  push(fromWindow(rl.secondary, observedAt, own));
  // 0.40: flat fields (weekly_* without minutes is the weekly window).
  if (rl.primary_used_percent == null && rl.secondary_used_percent == null && rl.weekly_used_percent == null) return finish(out, rl);
  const flat: [number | null | undefined, number | null | undefined, number | null | undefined][] = [
    [rl.primary_used_percent, rl.primary_window_minutes, rl.primary_resets_in_seconds],
    [rl.secondary_used_percent, rl.secondary_window_minutes, rl.secondary_resets_in_seconds],
    [rl.weekly_used_percent, rl.weekly_window_minutes ?? 10080, rl.weekly_resets_in_seconds],
  ];
  for (const [used_percent, window_minutes, resets_in_seconds] of flat) {
    if (typeof used_percent === 'number') push(fromWindow({ used_percent, window_minutes, resets_in_seconds }, observedAt, own));
  }
  return finish(out, rl);
}

/** `rate_limit_reached_type` marks the window that is hit: the one at 100%, else the fullest. */
function finish(out: LimitWindow[], rl: CodexRateLimits): LimitWindow[] {
  const reached = reachedType(rl.rate_limit_reached_type);
  if (reached && out.length) {
    const full = out.filter((w) => w.percent >= 100);
    const top = Math.max(...out.map((w) => w.percent));
    for (const w of full.length ? full : out.filter((x) => x.percent === top)) w.reached = reached;
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

/** A window whose reset time has passed shows as reset (0%), not as the old percentage (nor as reached). */
export function effectivePercent(w: LimitWindow, now: number): { percent: number; hasReset: boolean } {
  if (w.resetsAt !== undefined && w.resetsAt <= now) return { percent: 0, hasReset: true };
  return { percent: w.percent, hasReset: false };
}
