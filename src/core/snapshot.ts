import { RepoResolver } from './attribution';
import { LimitWindow } from './codex/rateLimits';
import { ThreadHints, UsageEvent } from './events';
import { SharedLimitState } from './limits/sharedState';
import { Weekday, ZonedCalendar } from './time';
import { Source } from './discovery';
import { lastActiveMinute } from './view/burnRate';
import { Aggregates, RECENT_MS } from './view/aggregates';
import { ForecastInput, claudeLimits, claudeStatus, codexLimitEntries, withPace } from './view/limits';
import { IndexingState, LimitEntry, UsageSnapshot, ViewModel } from './view/model';
import { Projector } from './view/projector';
import { RepoIndex } from './view/repos';

export type { BurnRate, ClaudeLimitState, ClaudeStatus, LimitEntry, RepoSummary, ThreadView, Totals, UsageSnapshot } from './view/model';
export { claudeStatus, modelInScope } from './view/limits';
export type { ForecastInput } from './view/limits';
export { isInside } from './view/projector';

export interface SnapshotInput {
  now: number;
  events: readonly UsageEvent[];
  hints: ReadonlyMap<string, ThreadHints>;
  codexLimits: ReadonlyMap<string, LimitWindow>;
  claude: { enabled: boolean; state?: SharedLimitState };
  workspaceFolders: readonly string[];
  timezone: string;
  weekStartsOn: Weekday;
  staleAfterMs: number;
  indexing: { done: number; total: number; finished: boolean } | IndexingState;
  resolver: RepoResolver;
  historyDays: number;
}

/**
 * The limit windows of both sources at `now`, beside the view (the host's clock decides stale and
 * reset), with their pace and, from the percent history, their forecast.
 */
export function withLimits(view: ViewModel, claude: { enabled: boolean; state?: SharedLimitState }, now: number, staleAfterMs: number, forecast?: ForecastInput): UsageSnapshot {
  const raw: LimitEntry[] = [...(claude.enabled ? claudeLimits(claude.state, now, staleAfterMs) : []), ...codexLimitEntries(view.codexWindows, now, staleAfterMs)];
  const lastActivityAt: Partial<Record<Source, number>> = {};
  for (const b of view.burnRates) {
    const t = lastActiveMinute(b);
    if (t !== undefined) lastActivityAt[b.source] = t + 60_000; // within that minute: its end
  }
  const limits = raw.map((l) => withPace(l, now, forecast && { lastActivityAt, ...forecast }));
  return { ...view, limits, claude: claudeStatus(claude.enabled, claude.state) };
}

/** Everything the views show, built at once from a list of events (tests, the benchmark; the extension keeps it live). */
export async function buildSnapshot(i: SnapshotInput): Promise<UsageSnapshot> {
  const agg = Aggregates.fromEvents(i.events, new ZonedCalendar(i.timezone, i.weekStartsOn), i.now - RECENT_MS);
  const repos = new RepoIndex(i.resolver);
  await repos.update([...agg.threads.keys()].map((k) => [k, i.hints.get(k)] as const));
  const windows = [...i.codexLimits.values()];
  const limits = (now: number) => [...(i.claude.enabled ? claudeLimits(i.claude.state, now, i.staleAfterMs) : []), ...codexLimitEntries(windows, now, i.staleAfterMs)];
  const indexing: IndexingState = 'phase' in i.indexing ? i.indexing : { phase: i.indexing.finished ? 'ready' : 'indexing', done: i.indexing.done, total: i.indexing.total };
  const view = new Projector({ agg, hint: (k) => i.hints.get(k), repo: (k) => repos.of(k), limits }, { timezone: i.timezone, weekStartsOn: i.weekStartsOn, historyDays: i.historyDays, workspaceFolders: i.workspaceFolders }).full(i.now, indexing, windows);
  return withLimits(view, i.claude, i.now, i.staleAfterMs);
}
