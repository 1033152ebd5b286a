import { Level, Thresholds, windowLevel, worstLevel } from '../alerts/levels';
import { Source } from '../discovery';
import { Forecast, Pace } from '../limits/pace';
import { ClaudeLimitState, UsageSnapshot } from '../snapshot';

/**
 * What other extensions read through the exported API (`apiVersion` 1): a small, stable shape, not
 * the internal snapshot. Counts and official percentages only; never a token, a path or a prompt.
 */
export interface PublicLimit {
  source: Source;
  /** `fiveHour`, `weekly`, `weekly:fable`, ... */
  name: string;
  label: string;
  percent: number;
  /** Epoch ms. */
  resetsAt?: number;
  observedAt: number;
  stale: boolean;
  hasReset: boolean;
  /** Against the configured thresholds. */
  level: Level;
  pace?: Pace;
  /** An estimate from the official percentages over time. */
  forecast?: Forecast;
  /** `official` (Claude's usage endpoint) or `codex-logs` (Codex's own rollouts). */
  origin: 'official' | 'codex-logs';
}

export interface PublicState {
  apiVersion: 1;
  /** When the figures were computed (epoch ms). */
  at: number;
  /** Worst level per source, as the context keys `agentUsage.claude.level` / `agentUsage.codex.level`. */
  level: Record<Source, Level>;
  limits: PublicLimit[];
  today: Record<'all' | Source, { tokens: number; cost: number }>;
  claude: { state: ClaudeLimitState };
}

export function publicState(s: UsageSnapshot, t: Record<Source, Thresholds>): PublicState {
  const level: Record<Source, Level> = { claude: 'ok', codex: 'ok' };
  const limits: PublicLimit[] = [];
  for (const l of s.limits) {
    if (l.quiet) continue;
    const lv = l.hasReset ? 'ok' : windowLevel(l, t[l.source]); // as the meter colours it: a stale value is still the last known
    level[l.source] = worstLevel(level[l.source], lv);
    limits.push({
      source: l.source,
      name: l.name,
      label: l.label,
      percent: l.percent,
      ...(l.resetsAt !== undefined ? { resetsAt: l.resetsAt } : {}),
      observedAt: l.observedAt,
      stale: l.stale,
      hasReset: l.hasReset,
      level: lv,
      ...(l.pace ? { pace: l.pace } : {}),
      ...(l.forecast ? { forecast: l.forecast } : {}),
      origin: l.source === 'claude' ? 'official' : 'codex-logs',
    });
  }
  const money = (x: { tokens: number; cost: number }) => ({ tokens: x.tokens, cost: x.cost });
  return { apiVersion: 1, at: s.at, level, limits, today: { all: money(s.today.all), claude: money(s.today.claude), codex: money(s.today.codex) }, claude: { state: s.claude.state } };
}
