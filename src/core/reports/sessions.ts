import { Attribution, RepoResolver } from '../attribution';
import { Source } from '../discovery';
import { folderKey } from '../paths';
import { ThreadHints, UsageEvent } from '../events';
import { Accumulator, ModelBreakdown, TokenFields, tokenFields } from './accumulator';
import { ReportOptions, calendarFor, filterEvents } from './filter';
import { Totals, totalsOf } from './periods';

export interface SessionRow extends TokenFields {
  sessionId: string;
  source: Source;
  /** Display name of the repository (or folder) the thread is attributed to. */
  repo: string;
  repoKey: string;
  repoConfidence: Attribution['confidence'];
  repoRoot?: string;
  branch?: string;
  cwd?: string;
  logFile?: string;
  /** The log file is gone (Claude Code's cleanup): the figures are what was read before. */
  logDeleted?: boolean;
  /** The first prompt, shortened: for the local UI, left out of exports and JSON reports. */
  title?: string;
  firstActivity: string;
  lastActivity: string;
  modelsUsed: string[];
  modelBreakdowns: ModelBreakdown[];
  totalCost: number;
  unpricedModels?: string[];
}

export interface SessionReport {
  sessions: SessionRow[];
  totals: Totals;
}

/** The folder a thread ran in, as one key for every source: its git root when found, else its working folder (Windows spellings of one folder share it). */
export function folderOf(a: Attribution, cwd: string | undefined): string {
  const dir = a.root ?? cwd;
  return dir ? folderKey(dir) : a.key;
}

const RANK = (a: Attribution) => (a.remote ? 3 : a.confidence === 'exact' ? 2 : 1);

/** Is `a` a better name for a folder than `b`: a remote, then a git root, then the path (ties by key)? */
export function betterAttribution(a: Attribution, b: Attribution): boolean {
  return RANK(a) > RANK(b) || (RANK(a) === RANK(b) && a.key < b.key);
}

/**
 * One folder, one repository: threads that ran in the same folder belong to one node whichever source
 * they come from (a Claude thread attributed from its path, a Codex one from its rollout's git
 * metadata, its folder gone from disk), named by the best attribution known for that folder.
 */
function bestPerFolder(resolved: ReadonlyMap<string, Attribution>, hints: ReadonlyMap<string, ThreadHints>): Map<string, Attribution> {
  const best = new Map<string, Attribution>();
  for (const [k, a] of resolved) {
    const f = folderOf(a, hints.get(k)?.cwd);
    const have = best.get(f);
    if (!have || betterAttribution(a, have)) best.set(f, a);
  }
  return best;
}

/** A thread's row from its sums and what its logs say (the report and the live view build it alike). */
export function sessionRow(t: {
  source: Source;
  sessionId: string;
  attribution: Attribution;
  hints: ThreadHints | undefined;
  includeTitle: boolean;
  first: number;
  last: number;
  modelsUsed: string[];
  modelBreakdowns: ModelBreakdown[];
  tokens: TokenFields;
  cost: number;
  unpriced: string[];
}): SessionRow {
  const a = t.attribution;
  const h = t.hints;
  return {
    sessionId: t.sessionId,
    source: t.source,
    repo: a.name,
    repoKey: a.key,
    repoConfidence: a.confidence,
    repoRoot: a.root,
    branch: a.branch,
    cwd: h?.cwd,
    logFile: h?.file,
    ...(h?.logDeleted ? { logDeleted: true } : {}),
    ...(t.includeTitle && h?.title ? { title: h.title } : {}),
    firstActivity: new Date(t.first).toISOString(),
    lastActivity: new Date(t.last).toISOString(),
    modelsUsed: t.modelsUsed,
    modelBreakdowns: t.modelBreakdowns,
    ...t.tokens,
    totalCost: t.cost,
    ...(t.unpriced.length ? { unpricedModels: t.unpriced } : {}),
  };
}

/** One row per thread (Claude session or Codex thread), attributed to its repository; latest first. */
export async function sessionReport(
  events: readonly UsageEvent[],
  hints: ReadonlyMap<string, ThreadHints>,
  o: ReportOptions,
  resolver = new RepoResolver(),
): Promise<SessionReport> {
  const cal = calendarFor(o);
  const groups = new Map<string, Accumulator>();
  const all = new Accumulator();
  for (const e of filterEvents(events, o, cal)) {
    const k = `${e.source}:${e.sessionId}`;
    let acc = groups.get(k);
    if (!acc) groups.set(k, (acc = new Accumulator()));
    acc.add(e);
    all.add(e);
  }
  const resolved = new Map<string, Attribution>();
  for (const k of groups.keys()) {
    const h = hints.get(k);
    resolved.set(k, await resolver.resolve({ cwd: h?.cwd, branch: h?.branch, repositoryUrl: h?.repositoryUrl }));
  }
  const best = bestPerFolder(resolved, hints);
  const sessions: SessionRow[] = [];
  for (const [k, acc] of groups) {
    const source = k.slice(0, k.indexOf(':')) as Source;
    const sessionId = k.slice(k.indexOf(':') + 1);
    const h = hints.get(k);
    const own = resolved.get(k)!;
    const folderBest = best.get(folderOf(own, h?.cwd));
    const a = folderBest ? { ...folderBest, branch: own.branch ?? folderBest.branch } : own;
    sessions.push(sessionRow({ source, sessionId, attribution: a, hints: h, includeTitle: !!o.includeTitles, first: acc.first, last: acc.last, modelsUsed: acc.modelsUsed(), modelBreakdowns: acc.modelBreakdowns(), tokens: tokenFields(acc.tokens), cost: acc.cost, unpriced: acc.unpricedModels() }));
  }
  sessions.sort((a, b) => b.lastActivity.localeCompare(a.lastActivity) || a.sessionId.localeCompare(b.sessionId));
  return { sessions, totals: totalsOf(all) };
}
