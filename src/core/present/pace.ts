import { formatDuration } from '../format';
import { Forecast, NoForecast, Pace } from '../limits/pace';
import { LimitEntry } from '../view/model';

/** "15 pts ahead of pace", "on pace", "8 pts behind pace". */
export function paceText(p: Pace): string {
  const pts = Math.round(Math.abs(p.delta));
  return p.status === 'on' ? 'on pace' : `${pts} pt${pts === 1 ? '' : 's'} ${p.status === 'ahead' ? 'ahead of' : 'behind'} pace`;
}

export const NO_FORECAST: Record<NoForecast, string> = {
  'few-observations': 'no forecast yet (fewer than two observations this cycle)',
  flat: 'no forecast: the percentage has not risen',
  idle: 'no forecast while idle',
  burst: 'no forecast: a burst is not a rate yet',
  full: 'full',
};

/** "1h 10m–2h 5m" from now, or "1h 10m or later" when the slow end may never fill. */
export function forecastRange(f: Forecast, now: number): string {
  const early = formatDuration(Math.max(0, f.fullAtEarliest - now));
  return f.fullAtLatest !== undefined ? `${early}–${formatDuration(Math.max(0, f.fullAtLatest - now))}` : `${early} or later`;
}

/**
 * "full in 1h 10m–2h 5m at 12.0 pts/h, before the reset (estimate)", or why there is no forecast. The
 * range is what the whole-point percentages allow; "before the reset" only when even its late end is.
 */
export function forecastText(l: LimitEntry, now: number): string | undefined {
  const f = l.forecast;
  if (!f) return l.noForecast ? NO_FORECAST[l.noForecast] : undefined;
  const range = forecastRange(f, now);
  const reset = l.resetsAt !== undefined && f.fullAtEarliest >= l.resetsAt ? 'after the reset' : f.fillsBeforeReset ? 'before the reset' : 'possibly before the reset';
  return `full in ${range} at ${f.pointsPerHour.toFixed(1)} pts/h, ${reset} (estimate)`;
}
