import type { BurnRate } from './model';

/** The token burn rate is read over this fixed trailing wall-clock window. */
export const BURN_MINUTES = 30;

/**
 * The burn rate at `now` (the host's clock, later than the view's): the minutes of the trailing
 * window that the buckets still cover, divided by the whole window's length, idle minutes included.
 */
export function burnRateAt(b: BurnRate, now: number): { tokensPerMinute: number; costPerHour: number } {
  const start = Math.floor(now / 60_000) * 60_000 + 60_000 - BURN_MINUTES * 60_000;
  const first = b.endsAt - b.tokens.length * 60_000;
  let tokens = 0;
  let cost = 0;
  for (let k = 0; k < b.tokens.length; k++) {
    if (first + k * 60_000 < start) continue;
    tokens += b.tokens[k];
    cost += b.cost[k];
  }
  return { tokensPerMinute: tokens / BURN_MINUTES, costPerHour: (cost / BURN_MINUTES) * 60 };
}

/** The start of the latest minute with tokens in the buckets, if any. */
export function lastActiveMinute(b: BurnRate): number | undefined {
  for (let k = b.tokens.length - 1; k >= 0; k--) if (b.tokens[k] > 0) return b.endsAt - (b.tokens.length - k) * 60_000;
  return undefined;
}
