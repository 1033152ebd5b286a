import * as path from 'node:path';
import { RepoResolver } from './attribution';
import { LimitWindow, effectivePercent } from './codex/rateLimits';
import { Source } from './discovery';
import { ThreadHints, UsageEvent } from './events';
import { SharedLimitState } from './limits/sharedState';
import { KNOWN_LIMIT_KINDS, claudeWindows } from './limits/schema';
import { Severity, WindowId, baseMinutes, scopeKey } from './limits/windows';
import { PeriodRow, periodReport, rollUp } from './reports/periods';
import { RepositoryRow, repositoryReport } from './reports/repositories';
import { SessionRow, sessionReport } from './reports/sessions';
import { WEEKDAYS, Weekday, ZonedCalendar, weekStartOf } from './time';
import { totalTokens } from './tokens';

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
}

export type ClaudeLimitState = 'ok' | 'disabled' | 'pending' | 'no-token' | 'unauthorized' | 'rate-limited' | 'error';

export interface ClaudeStatus {
  state: ClaudeLimitState;
  message?: string;
  lastGoodAt?: number;
  nextAttemptAt?: number;
}

export interface Totals {
  tokens: number;
  cost: number;
  /** Some of the tokens are of a model without a price. */
  unpriced: boolean;
}

export interface Projection {
  source: Source;
  window: string;
  /** Tokens per minute over the last 30 minutes of activity (an estimate). */
  tokensPerMinute: number;
  costPerHour: number;
  /** When the window reaches 100% at this rate, if before its reset. */
  fullAt?: number;
}

export interface ThreadView extends SessionRow {
  inWorkspace: boolean;
  /** Tokens per day over the thread's last 14 active-calendar days (sparkline). */
  spark: number[];
}

export interface RepoView extends Omit<RepositoryRow, 'threads'> {
  inWorkspace: boolean;
  threads: ThreadView[];
}

export interface UsageSnapshot {
  at: number;
  timezone: string;
  indexing: { done: number; total: number; finished: boolean };
  hasLogs: boolean;
  limits: LimitEntry[];
  claude: ClaudeStatus;
  today: Record<'all' | Source, Totals>;
  todayWorkspace: Totals;
  week: Totals;
  weekWorkspace: Totals;
  projections: Projection[];
  daily: PeriodRow[];
  weekly: PeriodRow[];
  monthly: PeriodRow[];
  repos: RepoView[];
  workspaceFolders: string[];
  /** Threads whose log files are gone: their figures come from the persistent index. */
  threadsFromIndex: number;
  /** Tokens per local day for each repository (heatmap), within the history window. */
  repoDaily: { repo: string; repoKey: string; days: Record<string, number> }[];
  /** Cumulative tokens inside the current windows, for burn-up charts: [epoch ms, cumulative tokens]. */
  burnUp: { source: Source; window: string; label: string; start: number; end: number; points: [number, number][]; percentNow?: number }[];
}

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
  indexing: { done: number; total: number; finished: boolean };
  resolver: RepoResolver;
  historyDays: number;
}

const WINDOW_MS: Record<string, number> = { fiveHour: 5 * 3600_000, weekly: 7 * 86_400_000 };

export function isInside(p: string | undefined, folders: readonly string[]): boolean {
  if (!p) return false;
  return folders.some((f) => {
    const rel = path.relative(f, p);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

function zeroTotals(): Totals {
  return { tokens: 0, cost: 0, unpriced: false };
}

function addTotals(t: Totals, e: UsageEvent): void {
  t.tokens += totalTokens(e.tokens);
  if (e.cost === undefined) t.unpriced = true;
  else t.cost += e.cost;
}

export function claudeStatus(enabled: boolean, s: SharedLimitState | undefined): ClaudeStatus {
  if (!enabled) return { state: 'disabled' };
  if (!s || (s.attemptedAt === undefined && !s.lastGood)) return { state: 'pending' };
  const base = { lastGoodAt: s.lastGood?.at, nextAttemptAt: s.backoffUntil };
  if (!s.error) return { state: 'ok', ...base };
  const kind = s.error.kind;
  const state: ClaudeLimitState = kind === 'no-token' || kind === 'unauthorized' || kind === 'rate-limited' ? kind : 'error';
  return { state, message: s.error.message, ...base };
}

function claudeLimits(s: SharedLimitState | undefined, now: number, staleAfterMs: number): LimitEntry[] {
  if (!s?.lastGood) return [];
  const at = s.lastGood.at;
  return claudeWindows(s.lastGood.data).map((w) => {
    const hasReset = w.resetsAt !== undefined && w.resetsAt <= now;
    const quiet = w.isActive === false && !KNOWN_LIMIT_KINDS.has(w.kind); // only limits[] entries carry is_active
    return {
      source: 'claude',
      name: w.name,
      base: w.base,
      ...(w.scope ? { scope: w.scope } : {}),
      label: w.label,
      percent: hasReset ? 0 : w.percent,
      resetsAt: w.resetsAt,
      observedAt: at,
      stale: now - at > staleAfterMs,
      hasReset,
      windowMinutes: baseMinutes(w.base),
      ...(w.severity && !hasReset ? { severity: w.severity } : {}),
      ...(quiet ? { quiet } : {}),
    };
  });
}

function codexLimitEntries(m: ReadonlyMap<string, LimitWindow>, now: number, staleAfterMs: number): LimitEntry[] {
  return [...m.values()].map((w) => {
    const e = effectivePercent(w, now);
    // A window that has reset is known to be 0% until the next observation: not stale.
    return {
      source: 'codex',
      name: w.name,
      base: w.base,
      ...(w.scope ? { scope: w.scope } : {}),
      label: w.label,
      percent: e.percent,
      resetsAt: w.resetsAt,
      observedAt: w.observedAt,
      stale: !e.hasReset && now - w.observedAt > staleAfterMs,
      hasReset: e.hasReset,
      windowMinutes: w.windowMinutes,
      ...(w.reached && !e.hasReset ? { reached: w.reached } : {}),
    };
  });
}

/** Does a model's name belong to a window scoped to `scope` (e.g. "Fable" and claude-fable-5)? */
export function modelInScope(model: string, scope: string): boolean {
  return model.toLowerCase().includes(scopeKey(scope));
}

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

function sparkline(events: readonly UsageEvent[], cal: ZonedCalendar): number[] {
  const byDay = new Map<string, number>();
  for (const e of events) {
    const d = cal.day(e.timestamp);
    byDay.set(d, (byDay.get(d) ?? 0) + totalTokens(e.tokens));
  }
  return [...byDay.keys()].sort().slice(-14).map((d) => byDay.get(d)!);
}

/** Everything the views show, computed once per change. */
export async function buildSnapshot(i: SnapshotInput): Promise<UsageSnapshot> {
  const cal = new ZonedCalendar(i.timezone, i.weekStartsOn);
  const today = cal.day(i.now);
  const week = cal.week(i.now);
  const sinceDate = new Date(i.now - i.historyDays * 86_400_000).toISOString().slice(0, 10);
  const ro = { timezone: i.timezone, weekStartsOn: i.weekStartsOn };
  const sessions = await sessionReport(i.events, i.hints, { ...ro, includeTitles: true }, i.resolver);
  const folders = [...i.workspaceFolders];
  // A repository belongs to the workspace if it is inside an open folder or an open folder is inside it.
  const rootInWs = (root: string | undefined) => root !== undefined && (isInside(root, folders) || folders.some((f) => isInside(f, [root])));
  const threadInWs = (s: SessionRow) => rootInWs(s.repoRoot) || isInside(s.cwd, folders);
  const wsThreads = new Set(sessions.sessions.filter(threadInWs).map((s) => `${s.source}:${s.sessionId}`));
  const byThread = new Map<string, UsageEvent[]>();
  for (const e of i.events) {
    const k = `${e.source}:${e.sessionId}`;
    let l = byThread.get(k);
    if (!l) byThread.set(k, (l = []));
    l.push(e);
  }
  const repos: RepoView[] = repositoryReport(sessions.sessions).map((r) => {
    const threads = r.threads.map((t) => ({ ...t, inWorkspace: wsThreads.has(`${t.source}:${t.sessionId}`), spark: sparkline(byThread.get(`${t.source}:${t.sessionId}`) ?? [], cal) }));
    return { ...r, threads, inWorkspace: threads.some((t) => t.inWorkspace) || rootInWs(r.repoRoot) };
  });
  repos.sort((a, b) => Number(b.inWorkspace) - Number(a.inWorkspace));
  const repoOfThread = new Map<string, RepoView>();
  for (const r of repos) for (const t of r.threads) repoOfThread.set(`${t.source}:${t.sessionId}`, r);
  const repoDaily = new Map<string, { repo: string; repoKey: string; days: Record<string, number> }>();
  for (const e of i.events) {
    const d = cal.day(e.timestamp);
    if (d < sinceDate) continue;
    const r = repoOfThread.get(`${e.source}:${e.sessionId}`);
    if (!r) continue;
    let row = repoDaily.get(r.repoKey);
    if (!row) repoDaily.set(r.repoKey, (row = { repo: r.repo, repoKey: r.repoKey, days: {} }));
    row.days[d] = (row.days[d] ?? 0) + totalTokens(e.tokens);
  }
  // Today's and this week's totals, all and this workspace's, in one pass.
  const t = { all: zeroTotals(), claude: zeroTotals(), codex: zeroTotals(), todayWs: zeroTotals(), week: zeroTotals(), weekWs: zeroTotals() };
  for (const e of i.events) {
    const isToday = cal.day(e.timestamp) === today;
    const isWeek = cal.week(e.timestamp) === week;
    if (!isToday && !isWeek) continue;
    const ws = wsThreads.has(`${e.source}:${e.sessionId}`);
    if (isToday) {
      addTotals(t.all, e);
      addTotals(t[e.source], e);
      if (ws) addTotals(t.todayWs, e);
    }
    if (isWeek) {
      addTotals(t.week, e);
      if (ws) addTotals(t.weekWs, e);
    }
  }
  const allDays = periodReport(i.events, 'daily', ro).rows;
  const limits = [...claudeLimits(i.claude.state, i.now, i.staleAfterMs), ...codexLimitEntries(i.codexLimits, i.now, i.staleAfterMs)];
  const projections: Projection[] = [];
  const burnUp: UsageSnapshot['burnUp'] = [];
  // Only the last week's events can be inside a current window.
  const recent = i.events.filter((e) => e.timestamp >= i.now - WINDOW_MS.weekly - 3600_000);
  for (const l of limits) {
    if (l.name === 'fiveHour' || l.name === 'weekly') {
      const p = projection(l.source, l, recent, i.now);
      if (p) projections.push(p);
    }
    // Every window with a known length gets a burn-up: a scoped one counts its model's tokens only.
    const len = l.windowMinutes !== undefined ? l.windowMinutes * 60_000 : undefined;
    if (l.resetsAt === undefined || l.hasReset || len === undefined || len > WINDOW_MS.weekly || l.quiet) continue;
    const start = l.resetsAt - len;
    let cum = 0;
    const points: [number, number][] = [[start, 0]];
    for (const e of recent) {
      if (e.source !== l.source || e.timestamp < start || e.timestamp > i.now) continue;
      if (l.scope && !modelInScope(e.model, l.scope)) continue;
      cum += totalTokens(e.tokens);
      points.push([e.timestamp, cum]);
    }
    burnUp.push({ source: l.source, window: l.name, label: l.label, start, end: l.resetsAt, points: thin(points, 300), percentNow: l.percent });
  }
  return {
    at: i.now,
    timezone: i.timezone,
    indexing: i.indexing,
    hasLogs: i.events.length > 0,
    limits,
    claude: claudeStatus(i.claude.enabled, i.claude.state),
    today: { all: t.all, claude: t.claude, codex: t.codex },
    todayWorkspace: t.todayWs,
    week: t.week,
    weekWorkspace: t.weekWs,
    projections,
    daily: allDays.filter((d) => String(d.date) >= sinceDate),
    weekly: rollUp(allDays, 'week', (d) => weekStartOf(d, WEEKDAYS.indexOf(i.weekStartsOn))).slice(-26),
    monthly: rollUp(allDays, 'month', (d) => d.slice(0, 7)).slice(-24),
    repos,
    workspaceFolders: folders,
    threadsFromIndex: sessions.sessions.filter((x) => x.logDeleted).length,
    repoDaily: [...repoDaily.values()],
    burnUp,
  };
}

/** At most n points, keeping the first and the last. */
function thin(points: [number, number][], n: number): [number, number][] {
  if (points.length <= n) return points;
  const step = (points.length - 1) / (n - 1);
  return Array.from({ length: n }, (_, k) => points[Math.round(k * step)]);
}
