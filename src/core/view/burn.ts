import { Source } from '../discovery';
import { UsageEvent } from '../events';
import { totalTokens } from '../tokens';
import { modelInScope } from './limits';
import { BurnUp, LimitEntry, Projection } from './model';

export const WEEK_MS = 7 * 86_400_000;
const WINDOW_MS: Record<string, number> = { fiveHour: 5 * 3600_000, weekly: WEEK_MS };

/** Burn rate of the last 30 minutes with activity, and when the window would reach 100% at that rate. */
function projection(source: Source, l: LimitEntry, events: readonly UsageEvent[], now: number): Projection | undefined {
  const len = WINDOW_MS[l.name];
  if (!len || l.resetsAt === undefined || l.hasReset || l.percent <= 0) return undefined;
  const start = l.resetsAt - len;
  const inWindow = events.filter((e) => e.source === source && e.timestamp >= start && e.timestamp <= now);
  if (inWindow.length < 2) return undefined;
  const windowTokens = inWindow.reduce((n, e) => n + totalTokens(e.tokens), 0);
  const last = inWindow[inWindow.length - 1].timestamp;
  const recent = inWindow.filter((e) => e.timestamp >= last - 30 * 60_000);
  const span = Math.max(1, (recent[recent.length - 1].timestamp - recent[0].timestamp) / 60_000);
  const recentTokens = recent.reduce((n, e) => n + totalTokens(e.tokens), 0);
  const recentCost = recent.reduce((n, e) => n + (e.cost ?? 0), 0);
  const tokensPerMinute = recentTokens / span;
  const p: Projection = { source, window: l.name, tokensPerMinute, costPerHour: (recentCost / span) * 60 };
  if (now - last > 30 * 60_000 || windowTokens === 0) return p; // idle: no projection
  const tokensPerPercent = windowTokens / l.percent;
  const minutesToFull = ((100 - l.percent) * tokensPerPercent) / tokensPerMinute;
  const fullAt = now + minutesToFull * 60_000;
  if (fullAt < l.resetsAt) p.fullAt = Math.max(now, fullAt);
  return p;
}

/** At most n points, keeping the first and the last. */
function thin(points: [number, number][], n: number): [number, number][] {
  if (points.length <= n) return points;
  const step = (points.length - 1) / (n - 1);
  return Array.from({ length: n }, (_, k) => points[Math.round(k * step)]);
}

/**
 * Projections (the two main windows) and burn-up series (every window with a known length; a
 * model's own window counts its model's tokens only), from the events of the last week in time order.
 */
export function burnFigures(limits: readonly LimitEntry[], recent: readonly UsageEvent[], now: number): { projections: Projection[]; burnUp: BurnUp[] } {
  const projections: Projection[] = [];
  const burnUp: BurnUp[] = [];
  for (const l of limits) {
    if (l.name === 'fiveHour' || l.name === 'weekly') {
      const p = projection(l.source, l, recent, now);
      if (p) projections.push(p);
    }
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
  return { projections, burnUp };
}
