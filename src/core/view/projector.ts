import { Attribution } from '../attribution';
import { Source } from '../discovery';
import { folderName, isInsideFolder, normaliseFolder } from '../paths';
import { ThreadHints } from '../events';
import { PERIOD_KEY, PeriodRow } from '../reports/periods';
import { sessionRow } from '../reports/sessions';
import { Weekday, weekStartOf, WEEKDAYS } from '../time';
import { Aggregates, DayAgg, Sum, SumMap } from './aggregates';
import { burnFigures } from './burn';
import { KEYED, LimitEntry, RepoDaily, RepoSummary, RowsPatch, ThreadView, TopThreads, Totals, ViewModel, ViewPatch } from './model';

export interface ProjectorConfig {
  timezone: string;
  weekStartsOn: Weekday;
  historyDays: number;
  workspaceFolders: readonly string[];
}

export interface ProjectorSources {
  agg: Aggregates;
  hint(thread: string): ThreadHints | undefined;
  repo(thread: string): Attribution | undefined;
  /** Every limit window at `now` (Claude's as the host last sent them, Codex's from the rollouts). */
  limits(now: number): LimitEntry[];
}

export function isInside(p: string | undefined, folders: readonly string[]): boolean {
  if (!p) return false;
  return folders.some((f) => isInsideFolder(p, f));
}

function totalsOf(s: Sum | undefined): Totals {
  return s ? { tokens: s.total, cost: s.cost, unpriced: s.unpriced > 0 } : { tokens: 0, cost: 0, unpriced: false };
}

function addTotals(into: Totals, s: Sum | undefined): void {
  if (!s) return;
  into.tokens += s.total;
  into.cost += s.cost;
  into.unpriced ||= s.unpriced > 0;
}

/** A report row (daily, weekly, monthly) from day aggregates, shaped as periodReport shapes it. */
function periodRow(keyName: string, key: string, days: readonly DayAgg[]): PeriodRow {
  const total = new Sum();
  const byModel = new SumMap<string>();
  const bySource = new SumMap<Source>();
  for (const d of days) {
    total.merge(d.total);
    byModel.merge(d.byModel);
    bySource.merge(d.bySource);
  }
  const sources: PeriodRow['sources'] = {};
  for (const src of bySource.keys().sort()) {
    const s = bySource.map.get(src)!;
    sources[src] = { ...s.fields(), totalCost: s.cost };
  }
  const unpriced = byModel.unpriced().sort();
  return { [keyName]: key, ...total.fields(), totalCost: total.cost, modelsUsed: byModel.keys().sort(), modelBreakdowns: byModel.breakdowns(), sources, ...(unpriced.length ? { unpricedModels: unpriced } : {}) };
}

const RANGES = { '7d': 7, '30d': 30, '90d': 90, all: Infinity } as const;
const TOP = 10;

/** The first day of the history window (as the dashboard and the old snapshot counted it). */
function sinceDate(now: number, days: number): string {
  return new Date(now - days * 86_400_000).toISOString().slice(0, 10);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Builds the view model from the aggregates, whole (`full`) or as a patch of what changed since the
 * last call (`patch`): the rows of the days, weeks and months touched, the threads and repositories
 * touched, and the small figures when they differ. What it sent last is remembered, nothing else.
 */
export class Projector {
  private threads = new Map<string, ThreadView>();
  private repoThreads = new Map<string, Set<string>>();
  private repos = new Map<string, RepoSummary>();
  private repoDaily = new Map<string, RepoDaily>();
  private scalars = new Map<string, string>();
  private since = '';
  /** Rows a primed view holds (see prime): a patch against it removes the ones that are gone. */
  private primed?: { days: string[]; weeks: string[]; months: string[] };

  constructor(
    private readonly src: ProjectorSources,
    private cfg: ProjectorConfig,
  ) {}

  get config(): ProjectorConfig {
    return this.cfg;
  }

  /**
   * Takes a view the host already holds (the last one saved, shown at start) as what was sent: the next
   * `patch` with `all` recomputes every row but sends only what differs from it.
   */
  prime(view: ViewModel): void {
    this.threads = new Map(Object.entries(view.threads));
    this.repoThreads.clear();
    for (const [k, t] of this.threads) {
      let m = this.repoThreads.get(t.repoKey);
      if (!m) this.repoThreads.set(t.repoKey, (m = new Set()));
      m.add(k);
    }
    this.repos = new Map(Object.entries(view.repos));
    this.repoDaily = new Map(Object.entries(view.repoDaily));
    this.scalars = new Map(Object.entries(view).filter(([k]) => k !== 'at' && !(KEYED as readonly string[]).includes(k)).map(([k, v]) => [k, JSON.stringify(v)]));
    this.since = '';
    this.primed = { days: Object.keys(view.daily), weeks: Object.keys(view.weekly), months: Object.keys(view.monthly) };
  }

  /** The whole model; what follows are patches against it. */
  full(now: number, indexing: ViewModel['indexing'], codexWindows: ViewModel['codexWindows']): ViewModel {
    this.threads.clear();
    this.repoThreads.clear();
    this.repos.clear();
    this.repoDaily.clear();
    this.scalars.clear();
    this.since = '';
    const p = this.patch(now, { threads: this.src.agg.threads.keys(), days: this.src.agg.days.keys(), all: true }, { indexing, codexWindows });
    const rows = <T>(r: RowsPatch<T> | undefined) => ({ ...(r?.upsert ?? {}) });
    return {
      at: now,
      timezone: this.cfg.timezone,
      indexing,
      hasLogs: this.src.agg.events > 0,
      codexWindows,
      today: p.today!,
      todayWorkspace: p.todayWorkspace!,
      week: p.week!,
      weekWorkspace: p.weekWorkspace!,
      burnRates: p.burnRates!,
      burnUp: p.burnUp!,
      daily: rows(p.daily),
      weekly: rows(p.weekly),
      monthly: rows(p.monthly),
      repos: rows(p.repos),
      threads: rows(p.threads),
      repoDaily: rows(p.repoDaily),
      topThreads: p.topThreads!,
      workspaceFolders: [...this.cfg.workspaceFolders],
      threadsFromIndex: p.threadsFromIndex!,
    };
  }

  /**
   * What changed: `touched` names the threads and days whose aggregates, hints or repository changed
   * (`all`: a new configuration, every row is recomputed); scalars are included when they differ.
   */
  patch(now: number, touched: { threads: Iterable<string>; days: Iterable<string>; all?: boolean }, extra: Partial<Pick<ViewModel, 'indexing' | 'codexWindows'>> = {}): ViewPatch {
    const agg = this.src.agg;
    const cal = agg.cal;
    const out: ViewPatch = { at: now };
    // Threads, then the repositories they are in (before and after).
    const threads: RowsPatch<ThreadView> = {};
    const repoKeys = new Set<string>();
    const primed = this.primed;
    this.primed = undefined;
    const touchedThreads = primed ? new Set([...touched.threads, ...this.threads.keys()]) : touched.threads;
    for (const k of touchedThreads) {
      const was = this.threads.get(k);
      const next = this.threadView(k);
      if (was) repoKeys.add(was.repoKey);
      if (!next) {
        if (was) {
          this.threads.delete(k);
          this.repoThreads.get(was.repoKey)?.delete(k);
          (threads.remove ??= []).push(k);
        }
        continue;
      }
      repoKeys.add(next.repoKey);
      if (was && was.repoKey !== next.repoKey) this.repoThreads.get(was.repoKey)?.delete(k);
      let m = this.repoThreads.get(next.repoKey);
      if (!m) this.repoThreads.set(next.repoKey, (m = new Set()));
      m.add(k);
      this.threads.set(k, next);
      if (!was || JSON.stringify(was) !== JSON.stringify(next)) (threads.upsert ??= {})[k] = next;
    }
    if (threads.upsert || threads.remove) out.threads = threads;

    // Day rows within the history window; a window that moved on drops and adds days.
    const since = sinceDate(now, this.cfg.historyDays);
    const moved = since !== this.since;
    const days = new Set<string>([...touched.days, ...(primed?.days ?? [])]);
    const daily: RowsPatch<PeriodRow> = {};
    if (moved) {
      for (const d of agg.days.keys()) if ((d >= since) !== (d >= this.since) || touched.all) days.add(d);
      this.since = since;
    }
    for (const d of days) {
      const a = agg.days.get(d);
      if (a && d >= since) (daily.upsert ??= {})[d] = periodRow(PERIOD_KEY.daily, d, [a]);
      else (daily.remove ??= []).push(d);
    }
    if (daily.upsert || daily.remove?.length) out.daily = daily;
    // Weeks and months touched, rolled up from their days.
    const ws = WEEKDAYS.indexOf(this.cfg.weekStartsOn);
    const weeks = new Set([...[...days].map((d) => weekStartOf(d, ws)), ...(primed?.weeks ?? [])]);
    const months = new Set([...[...days].map((d) => d.slice(0, 7)), ...(primed?.months ?? [])]);
    const weekly: RowsPatch<PeriodRow> = {};
    for (const w of weeks) {
      const list = Array.from({ length: 7 }, (_, i) => agg.days.get(addDays(w, i))).filter((x): x is DayAgg => !!x);
      if (list.length) (weekly.upsert ??= {})[w] = periodRow(PERIOD_KEY.weekly, w, list);
      else (weekly.remove ??= []).push(w);
    }
    if (weeks.size) out.weekly = weekly;
    const monthly: RowsPatch<PeriodRow> = {};
    for (const m of months) {
      const list: DayAgg[] = [];
      for (let d = `${m}-01`; d.startsWith(m); d = addDays(d, 1)) {
        const a = agg.days.get(d);
        if (a) list.push(a);
      }
      if (list.length) (monthly.upsert ??= {})[m] = periodRow(PERIOD_KEY.monthly, m, list);
      else (monthly.remove ??= []).push(m);
    }
    if (months.size) out.monthly = monthly;

    // Repositories (and their heatmap rows) of the threads touched.
    const repos: RowsPatch<RepoSummary> = {};
    const repoDaily: RowsPatch<RepoDaily> = {};
    if (moved || touched.all) for (const r of this.repoThreads.keys()) repoKeys.add(r);
    for (const r of repoKeys) {
      const summary = this.repoSummary(r);
      const heat = summary && this.repoHeat(r, since);
      if (!summary) {
        if (this.repos.delete(r)) (repos.remove ??= []).push(r);
        this.repoThreads.delete(r);
      } else if (JSON.stringify(this.repos.get(r)) !== JSON.stringify(summary)) {
        this.repos.set(r, summary);
        (repos.upsert ??= {})[r] = summary;
      }
      if (!heat) {
        if (this.repoDaily.delete(r)) (repoDaily.remove ??= []).push(r);
      } else if (JSON.stringify(this.repoDaily.get(r)) !== JSON.stringify(heat)) {
        this.repoDaily.set(r, heat);
        (repoDaily.upsert ??= {})[r] = heat;
      }
    }
    if (repos.upsert || repos.remove) out.repos = repos;
    if (repoDaily.upsert || repoDaily.remove) out.repoDaily = repoDaily;

    // The small figures: sent when they differ from what was sent.
    const today = cal.day(now);
    const weekDays = Array.from({ length: 7 }, (_, i) => addDays(weekStartOf(today, ws), i));
    const dayAgg = agg.days.get(today);
    const week: Totals = { tokens: 0, cost: 0, unpriced: false };
    for (const d of weekDays) addTotals(week, agg.days.get(d)?.total);
    const todayWs: Totals = { tokens: 0, cost: 0, unpriced: false };
    const weekWs: Totals = { tokens: 0, cost: 0, unpriced: false };
    let fromIndex = 0;
    for (const [k, t] of this.threads) {
      if (t.logDeleted) fromIndex++;
      if (!t.inWorkspace) continue;
      const a = agg.threads.get(k);
      addTotals(todayWs, a?.byDay.get(today));
      for (const d of weekDays) addTotals(weekWs, a?.byDay.get(d));
    }
    const burn = burnFigures(this.src.limits(now), agg.recent, now);
    const scalars: Partial<ViewModel> = {
      timezone: this.cfg.timezone,
      hasLogs: agg.events > 0,
      today: { all: totalsOf(dayAgg?.total), claude: totalsOf(dayAgg?.bySource.map.get('claude')), codex: totalsOf(dayAgg?.bySource.map.get('codex')) },
      todayWorkspace: todayWs,
      week,
      weekWorkspace: weekWs,
      burnRates: burn.burnRates,
      burnUp: burn.burnUp,
      topThreads: this.topThreads(now),
      workspaceFolders: [...this.cfg.workspaceFolders],
      threadsFromIndex: fromIndex,
      ...extra,
    };
    for (const [k, v] of Object.entries(scalars)) {
      const j = JSON.stringify(v);
      if (this.scalars.get(k) === j) continue;
      this.scalars.set(k, j);
      (out as Record<string, unknown>)[k] = v;
    }
    return out;
  }

  /** A new configuration (zone, week start, history, workspace): every row is recomputed by the next full(). */
  configure(cfg: ProjectorConfig): void {
    this.cfg = cfg;
  }

  private threadView(k: string): ThreadView | undefined {
    const t = this.src.agg.threads.get(k);
    if (!t) return undefined;
    const h = this.src.hint(k);
    const a = this.src.repo(k) ?? fallbackAttribution(h);
    const folders = this.cfg.workspaceFolders;
    const unpriced = t.byModel.unpriced().sort();
    const spark = [...t.byDay.keys()]
      .sort()
      .slice(-14)
      .map((d) => t.byDay.get(d)!.total);
    return {
      ...sessionRow({ source: t.source, sessionId: t.sessionId, attribution: a, hints: h, includeTitle: true, first: t.times[0], last: t.times[t.times.length - 1], modelsUsed: t.byModel.keys().sort(), modelBreakdowns: t.byModel.breakdowns(), tokens: t.total.fields(), cost: t.total.cost, unpriced }),
      inWorkspace: rootInWorkspace(a.root, folders) || isInside(h?.cwd, folders),
      spark,
    };
  }

  private repoSummary(r: string): RepoSummary | undefined {
    const ks = this.repoThreads.get(r);
    if (!ks?.size) return undefined;
    let s: RepoSummary | undefined;
    const sources = new Set<Source>();
    let unpriced = new Set<string>();
    for (const k of [...ks].sort()) {
      const t = this.threads.get(k)!;
      sources.add(t.source);
      for (const m of t.unpricedModels ?? []) unpriced.add(m);
      if (!s) s = { repoKey: r, repo: t.repo, repoConfidence: t.repoConfidence, repoRoot: t.repoRoot, totalTokens: 0, totalCost: 0, lastActivity: t.lastActivity, inWorkspace: false, threadCount: 0, sources: [] };
      s.totalTokens += t.totalTokens;
      s.totalCost += t.totalCost;
      s.threadCount++;
      if (t.lastActivity > s.lastActivity) s.lastActivity = t.lastActivity;
      if (!s.repoRoot && t.repoRoot) s.repoRoot = t.repoRoot;
      if (t.repoConfidence === 'exact') s.repoConfidence = 'exact';
      s.inWorkspace ||= t.inWorkspace;
    }
    if (!s) return undefined;
    s.inWorkspace ||= rootInWorkspace(s.repoRoot, this.cfg.workspaceFolders);
    s.sources = [...sources].sort();
    unpriced = new Set([...unpriced].sort());
    if (unpriced.size) s.unpricedModels = [...unpriced];
    return s;
  }

  private repoHeat(r: string, since: string): RepoDaily | undefined {
    const days: Record<string, number> = {};
    const costs: Record<string, number> = {};
    let any = false;
    for (const k of this.repoThreads.get(r) ?? []) {
      const a = this.src.agg.threads.get(k);
      for (const [d, s] of a?.byDay ?? []) {
        if (d < since) continue;
        days[d] = (days[d] ?? 0) + s.total;
        costs[d] = (costs[d] ?? 0) + s.cost;
        any = true;
      }
    }
    if (!any) return undefined;
    const sorted: Record<string, number> = {};
    const cost: Record<string, number> = {};
    for (const d of Object.keys(days).sort()) {
      sorted[d] = days[d];
      cost[d] = costs[d];
    }
    return { repo: this.repos.get(r)?.repo ?? this.threads.get([...this.repoThreads.get(r)!][0])!.repo, repoKey: r, days: sorted, cost };
  }

  /** Per range and source, the top threads by tokens that were active in the range (one pass over the threads). */
  private topThreads(now: number): TopThreads {
    const lists = Object.entries(RANGES).map(([range, days]) => ({
      range: range as keyof TopThreads,
      since: days === Infinity ? '' : new Date(now - (days - 1) * 86_400_000).toISOString().slice(0, 10),
      top: { all: [] as [string, number][], claude: [] as [string, number][], codex: [] as [string, number][] },
    }));
    const better = (a: [string, number], b: [string, number]) => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
    const offer = (list: [string, number][], x: [string, number]) => {
      if (list.length === TOP && !better(x, list[TOP - 1])) return;
      let i = list.length;
      while (i > 0 && better(x, list[i - 1])) i--;
      list.splice(i, 0, x);
      if (list.length > TOP) list.pop();
    };
    for (const [k, t] of this.threads) {
      const day = t.lastActivity.slice(0, 10);
      const x: [string, number] = [k, t.totalTokens];
      for (const l of lists) {
        if (day < l.since) continue;
        offer(l.top.all, x);
        offer(l.top[t.source], x);
      }
    }
    const out = {} as TopThreads;
    for (const l of lists) out[l.range] = { all: l.top.all.map((x) => x[0]), claude: l.top.claude.map((x) => x[0]), codex: l.top.codex.map((x) => x[0]) };
    return out;
  }
}

/** A repository belongs to the workspace if it is inside an open folder or an open folder is inside it. */
function rootInWorkspace(root: string | undefined, folders: readonly string[]): boolean {
  return root !== undefined && (isInside(root, folders) || folders.some((f) => isInside(f, [root])));
}

function fallbackAttribution(h: ThreadHints | undefined): Attribution {
  const cwd = h?.cwd ? normaliseFolder(h.cwd) : undefined;
  return cwd ? { key: cwd, name: folderName(cwd), branch: h?.branch, confidence: 'derived' } : { key: '(unknown)', name: '(unknown)', confidence: 'derived' };
}
