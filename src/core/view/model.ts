/**
 * What the views show, as one model built from the aggregates, and the patches that keep a copy of it
 * current: a change in one log changes only the rows it touches. Plain data (structured-clone and
 * JSON safe), shared by the engine's worker, the extension host and the dashboard webview.
 */
import type { LimitWindow } from '../codex/rateLimits';
import type { Forecast, NoForecast, Pace } from '../limits/pace';
import type { Source } from '../discovery';
import type { WindowId } from '../limits/windows';
import type { Severity } from '../limits/windows';
import type { PeriodRow } from '../reports/periods';
import type { SessionRow } from '../reports/sessions';
import type { RepositoryRow } from '../reports/repositories';

export interface Totals {
  tokens: number;
  cost: number;
  /** Some of the tokens are of a model without a price. */
  unpriced: boolean;
}

export interface LimitEntry extends WindowId {
  source: Source;
  percent: number;
  resetsAt?: number;
  /** When the value was fetched (Claude) or written (Codex). */
  observedAt: number;
  /** Older than the stale threshold. */
  stale: boolean;
  /** Its reset time has passed since the observation: shown as 0%. */
  hasReset: boolean;
  windowMinutes?: number;
  /** Claude: the endpoint's own severity for the window. */
  severity?: Severity;
  /** Codex: `rate_limit_reached_type` named this window as hit (until its reset). */
  reached?: string;
  /** Listed, but neither in the status bar nor alerted on: an inactive window of a kind this build does not know. */
  quiet?: boolean;
  /** Used against elapsed time of the window (windows of a known length). */
  pace?: Pace;
  /** When the window fills, from the observed percentages (an estimate), or why there is none. */
  forecast?: Forecast;
  noForecast?: NoForecast;
}

export type ClaudeLimitState = 'ok' | 'disabled' | 'pending' | 'no-token' | 'unauthorized' | 'rate-limited' | 'error';

export interface ClaudeStatus {
  state: ClaudeLimitState;
  message?: string;
  lastGoodAt?: number;
  nextAttemptAt?: number;
}

/**
 * Tokens of the last BURN_MINUTES whole minutes, per minute (a rate in tokens, never turned into percent):
 * the host reads the rate at its own clock, so an idle hour shows as no tokens, not as the last burst.
 */
export interface BurnRate {
  source: Source;
  /** Start of the minute after the last bucket (epoch ms). */
  endsAt: number;
  /** Tokens and cost of each minute, oldest first. */
  tokens: number[];
  cost: number[];
}

export interface BurnUp {
  source: Source;
  window: string;
  label: string;
  start: number;
  end: number;
  /** Cumulative tokens inside the window: [epoch ms, cumulative tokens]. */
  points: [number, number][];
  percentNow?: number;
}

export interface ThreadView extends SessionRow {
  inWorkspace: boolean;
  /** Tokens per day over the thread's last 14 active calendar days (sparkline). */
  spark: number[];
}

export interface RepoSummary extends Omit<RepositoryRow, 'threads'> {
  inWorkspace: boolean;
  threadCount: number;
  /** Sources of its threads. */
  sources: Source[];
}

export interface RepoDaily {
  repo: string;
  repoKey: string;
  /** Local day -> tokens, within the history window. */
  days: Record<string, number>;
  /** Local day -> API-equivalent cost (list prices), within the history window. */
  cost: Record<string, number>;
}

/**
 * Where the figures stand: `indexing` while a first index runs (nothing to show yet), `verifying`
 * while files are checked after the figures came from the persistent index, `ready` afterwards.
 */
export interface IndexingState {
  phase: 'starting' | 'indexing' | 'verifying' | 'ready';
  done: number;
  total: number;
}

/** The dashboard's threads table: the top threads by tokens per range and source (their keys). */
export type TopThreads = Record<'7d' | '30d' | '90d' | 'all', Record<'all' | Source, string[]>>;

/** Everything the views show that comes from the logs. */
export interface ViewModel {
  at: number;
  timezone: string;
  indexing: IndexingState;
  hasLogs: boolean;
  /** Codex's windows as last written (the host derives what is stale or reset at its own clock). */
  codexWindows: LimitWindow[];
  today: Record<'all' | Source, Totals>;
  todayWorkspace: Totals;
  week: Totals;
  weekWorkspace: Totals;
  burnRates: BurnRate[];
  burnUp: BurnUp[];
  /** By local day (within the history window), week (first day) and month. */
  daily: Record<string, PeriodRow>;
  weekly: Record<string, PeriodRow>;
  monthly: Record<string, PeriodRow>;
  repos: Record<string, RepoSummary>;
  /** By `source:sessionId`. */
  threads: Record<string, ThreadView>;
  repoDaily: Record<string, RepoDaily>;
  topThreads: TopThreads;
  workspaceFolders: string[];
  /** Threads whose log files are gone: their figures come from the persistent index. */
  threadsFromIndex: number;
}

/** Keyed rows that changed: upserted whole, or removed by key. */
export interface RowsPatch<T> {
  upsert?: Record<string, T>;
  remove?: string[];
}

type Scalar = 'at' | 'timezone' | 'indexing' | 'hasLogs' | 'codexWindows' | 'today' | 'todayWorkspace' | 'week' | 'weekWorkspace' | 'burnRates' | 'burnUp' | 'topThreads' | 'workspaceFolders' | 'threadsFromIndex';
type Keyed = 'daily' | 'weekly' | 'monthly' | 'repos' | 'threads' | 'repoDaily';

/** What changed: whole values for the small parts, keyed rows for the large ones. */
export type ViewPatch = Partial<Pick<ViewModel, Scalar>> & { [K in Keyed]?: RowsPatch<ViewModel[K][string]> };

export const KEYED: readonly Keyed[] = ['daily', 'weekly', 'monthly', 'repos', 'threads', 'repoDaily'];

/** Applies a patch to a model in place. */
export function applyPatch(view: ViewModel, patch: ViewPatch): void {
  for (const [k, v] of Object.entries(patch)) {
    if ((KEYED as readonly string[]).includes(k)) {
      const rows = view[k as Keyed] as Record<string, unknown>;
      const p = v as RowsPatch<unknown>;
      for (const key of p.remove ?? []) delete rows[key];
      Object.assign(rows, p.upsert ?? {});
    } else (view as unknown as Record<string, unknown>)[k] = v;
  }
}

/** What the views read: the model, with the limit windows of both sources at the host's clock. */
export interface UsageSnapshot extends ViewModel {
  limits: LimitEntry[];
  claude: ClaudeStatus;
}

/** Keyed rows in key order (days, weeks, months ascending). */
export function rowsInOrder<T>(rows: Record<string, T>): T[] {
  return Object.keys(rows)
    .sort()
    .map((k) => rows[k]);
}
