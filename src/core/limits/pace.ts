import { Observation } from './percentHistory';

/**
 * Pace and forecast of a limit window, from the official percentages alone (observed over wall-clock
 * time, idle time included). Local token counts never enter: they miss other machines and claude.ai.
 */

export interface Pace {
  /** How much of the window's time has passed, 0..100. */
  elapsedPercent: number;
  /** Used minus elapsed, in percentage points: positive is ahead of an even pace. */
  delta: number;
  status: 'ahead' | 'on' | 'behind';
}

/** Within this many points of an even pace counts as on pace. */
export const ON_PACE_POINTS = 5;

export function paceOf(percent: number, resetsAt: number | undefined, windowMs: number | undefined, now: number): Pace | undefined {
  if (resetsAt === undefined || !windowMs || now >= resetsAt) return undefined;
  const elapsedPercent = Math.min(100, Math.max(0, (100 * (now - (resetsAt - windowMs))) / windowMs));
  const delta = percent - elapsedPercent;
  return { elapsedPercent, delta, status: delta > ON_PACE_POINTS ? 'ahead' : delta < -ON_PACE_POINTS ? 'behind' : 'on' };
}

export interface Forecast {
  /** Percentage points per hour over the trailing window (the middle of the range). */
  pointsPerHour: number;
  /** When the window fills at the highest rate the observations allow. */
  fullAtEarliest: number;
  /** ... and at the lowest (undefined: the lowest rate is zero, it may never fill). */
  fullAtLatest?: number;
  /** Even the lowest rate fills the window before it resets: the projection toast's condition. */
  fillsBeforeReset: boolean;
  /** The slope was read from this instant to now. */
  since: number;
  observations: number;
}

export type NoForecast = 'few-observations' | 'flat' | 'idle' | 'burst' | 'full';

export interface ForecastOptions {
  /** No rise and no local activity for this long is idle: no forecast. */
  idleMs: number;
  /** The source's latest request in the local logs (its usage may rise before the percent ticks). */
  lastActivityAt?: number;
  /** A climb that rose for less than this is a burst, not a rate. */
  minRunMs?: number;
  /** The slope is read over this trailing wall-clock window (default: a fifth of the window, 30 min to 24 h). */
  lookbackMs?: number;
}

export const MIN_RUN_MS = 10 * 60_000;

export function lookbackFor(windowMs: number): number {
  return Math.min(24 * 3600_000, Math.max(30 * 60_000, windowMs / 5));
}

/**
 * When the window fills, from the percent's slope over a trailing wall-clock window ending now.
 * Percentages are whole points at best, so the slope is a range: the rise is known to ±1 point and
 * what is left to ±1 point. No forecast from fewer than two observations, a flat percent, a climb that
 * stopped more than `idleMs` ago, or one that rose for less than `minRunMs` (a burst is not a rate).
 */
export function forecastOf(history: readonly Observation[], resetsAt: number, windowMs: number, now: number, o: ForecastOptions): { forecast?: Forecast; reason?: NoForecast } {
  const obs = history.filter(([at]) => at <= now && at >= resetsAt - windowMs);
  if (obs.length < 2) return { reason: 'few-observations' };
  const last = obs[obs.length - 1];
  if (last[1] >= 100) return { reason: 'full' };
  const rises: number[] = [];
  for (let i = 1; i < obs.length; i++) if (obs[i][1] > obs[i - 1][1]) rises.push(i);
  if (!rises.length) return { reason: 'flat' };
  const lastRise = obs[rises[rises.length - 1]][0];
  if (now - Math.max(lastRise, o.lastActivityAt ?? -Infinity) > o.idleMs) return { reason: 'idle' };
  // The current climb: rises no further apart than a gap (idleMs, or twice the time one point takes at
  // an even pace, for long windows whose percent ticks slowly). It began at the observation before its
  // first rise, unless that one lies across a gap (then at the rise itself: when in the gap is unknown).
  const gap = Math.max(o.idleMs, (2 * windowMs) / 100);
  let first = rises.length - 1;
  while (first > 0 && obs[rises[first]][0] - obs[rises[first - 1]][0] <= gap) first--;
  const r = rises[first];
  const runStart = obs[r][0] - obs[r - 1][0] <= gap ? obs[r - 1][0] : obs[r][0];
  if (lastRise - runStart < (o.minRunMs ?? MIN_RUN_MS)) return { reason: 'burst' };
  const lookback = o.lookbackMs ?? lookbackFor(windowMs);
  let anchor = obs[0];
  for (const x of obs) if (x[0] <= now - lookback) anchor = x;
  const span = now - anchor[0];
  const rise = last[1] - anchor[1];
  if (rise <= 0 || span <= 0) return { reason: 'flat' };
  const left = 100 - last[1];
  const hi = (rise + 1) / span;
  const lo = Math.max(0, rise - 1) / span;
  const fullAtEarliest = now + Math.max(0, left - 1) / hi;
  const fullAtLatest = lo > 0 ? now + (left + 1) / lo : undefined;
  return {
    forecast: {
      pointsPerHour: (rise / span) * 3600_000,
      fullAtEarliest,
      ...(fullAtLatest !== undefined ? { fullAtLatest } : {}),
      fillsBeforeReset: fullAtLatest !== undefined && fullAtLatest < resetsAt,
      since: anchor[0],
      observations: obs.filter(([at]) => at >= anchor[0]).length,
    },
  };
}
