import { Source } from '../discovery';
import { UsageEvent } from '../events';
import { totalTokens } from '../tokens';
import { modelInScope } from './limits';
import { BURN_MINUTES } from './burnRate';
import { BurnRate, BurnUp, LimitEntry } from './model';

export const WEEK_MS = 7 * 86_400_000;
/** Tokens and cost per minute of the last BURN_MINUTES minutes up to `now`'s minute (inclusive). */
function burnRate(source: Source, events: readonly UsageEvent[], now: number): BurnRate {
  const endsAt = Math.floor(now / 60_000) * 60_000 + 60_000;
  const start = endsAt - BURN_MINUTES * 60_000;
  const tokens = new Array<number>(BURN_MINUTES).fill(0);
  const cost = new Array<number>(BURN_MINUTES).fill(0);
  for (let i = events.length - 1; i >= 0 && events[i].timestamp >= start; i--) {
    const e = events[i];
    if (e.source !== source || e.timestamp >= endsAt) continue;
    const k = Math.floor((e.timestamp - start) / 60_000);
    tokens[k] += totalTokens(e.tokens);
    cost[k] += e.cost ?? 0;
  }
  return { source, endsAt, tokens, cost };
}

/** At most n points, keeping the first and the last. */
function thin(points: [number, number][], n: number): [number, number][] {
  if (points.length <= n) return points;
  const step = (points.length - 1) / (n - 1);
  return Array.from({ length: n }, (_, k) => points[Math.round(k * step)]);
}

/**
 * Burn rates (per source) and burn-up series (every window with a known length; a
 * model's own window counts its model's tokens only), from the events of the last week in time order.
 */
export function burnFigures(limits: readonly LimitEntry[], recent: readonly UsageEvent[], now: number): { burnRates: BurnRate[]; burnUp: BurnUp[] } {
  const burnRates: BurnRate[] = (['claude', 'codex'] as const).map((s) => burnRate(s, recent, now));
  const burnUp: BurnUp[] = [];
  for (const l of limits) {
    const len = l.windowMinutes !== undefined ? l.windowMinutes * 60_000 : undefined;
    if (l.resetsAt === undefined || l.hasReset || len === undefined || len > WEEK_MS || l.quiet) continue;
    const start = l.resetsAt - len;
    let cum = 0;
    const points: [number, number][] = [[start, 0]];
    for (const e of recent) {
      if (e.source !== l.source || e.timestamp < start || e.timestamp > now) continue;
      if (l.scope && !modelInScope(e.model, l.scope)) continue;
      cum += totalTokens(e.tokens);
      points.push([e.timestamp, cum]);
    }
    burnUp.push({ source: l.source, window: l.name, label: l.label, start, end: l.resetsAt, points: thin(points, 300), percentNow: l.percent });
  }
  return { burnRates, burnUp };
}
