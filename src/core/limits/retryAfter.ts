/**
 * Parses a Retry-After header: delay-seconds or an HTTP date. Returns the delay in ms from `now`,
 * or undefined when absent or unreadable. Never negative.
 */
export function parseRetryAfter(value: string | string[] | undefined | null, now: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === null) return undefined;
  const s = v.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  if (!Number.isFinite(t)) return undefined;
  return Math.max(0, t - now);
}
