import { Level, Thresholds, windowLevel, worstLevel } from '../alerts/thresholds';
import { Source } from '../discovery';
import { SOURCE_NAME, formatCost, formatDuration, formatTokensShort } from '../format';
import { ClaudeLimitState, LimitEntry, Totals, UsageSnapshot } from '../snapshot';
import { BURN_MINUTES, burnRateAt } from '../view/burnRate';
import { forecastText, paceText } from './pace';

export interface StatusBarConfig {
  sources: Source[];
  windows: string[];
  metric: 'percent' | 'tokens' | 'cost';
  scope: 'all' | 'workspace';
  thresholds: Record<Source, Thresholds>;
}

export interface StatusBarView {
  text: string;
  level: Level;
  /** Accessible label, without icon syntax. */
  ariaLabel: string;
  /** Claude's limits cannot be fetched: the text carries a mark and a click offers the fix. */
  problem?: ClaudeLimitState;
}

/**
 * The mark beside "Claude" when its limits cannot be fetched: a login to renew (401, no or invalid
 * credentials) or a server that asked to wait (429). Other errors show as stale values once old.
 */
const CLAUDE_MARK: Partial<Record<ClaudeLimitState, { icon: string; say: string }>> = {
  unauthorized: { icon: '$(warning)', say: 'sign in again' },
  'no-token': { icon: '$(warning)', say: 'no login' },
  'rate-limited': { icon: '$(watch)', say: 'rate limited' },
};

const NAME = SOURCE_NAME;
/** Status bar prefixes of the two windows every plan has; a scoped window adds its model (`wk Fable 82%`). */
const SHORT: Record<string, [plain: string, scoped: string]> = { fiveHour: ['', '5h '], weekly: ['wk ', 'wk '] };

function pct(p: number): string {
  return `${Math.round(p)}%`;
}

function totalsText(t: Totals, metric: 'tokens' | 'cost'): string {
  return metric === 'tokens' ? formatTokensShort(t.tokens) : formatCost(t.cost) + (t.unpriced ? '*' : '');
}

/** The status bar text, e.g. `$(pulse) Claude 45% · 2h 15m | Codex 12%`, and its colour level. */
export function statusBarView(s: UsageSnapshot | undefined, c: StatusBarConfig, now: number): StatusBarView {
  const building = !s || s.indexing.phase === 'starting' || s.indexing.phase === 'indexing';
  if (!s || (building && !s.hasLogs && s.limits.length === 0)) {
    const p = s && s.indexing.total > 0 ? ` ${Math.floor((100 * s.indexing.done) / s.indexing.total)}%` : '';
    return { text: `$(sync~spin) Agent Usage: indexing${p}`, level: 'ok', ariaLabel: `Agent Usage: indexing${p}` };
  }
  const parts: string[] = [];
  let level: Level = 'ok';
  let problem: string | undefined;
  for (const src of c.sources) {
    if (c.metric !== 'percent') {
      const t = c.scope === 'workspace' ? s.todayWorkspace : s.today[src];
      if (c.scope === 'workspace' && src !== c.sources[0]) continue; // the workspace figure covers both sources
      parts.push(`${c.scope === 'workspace' ? 'Workspace' : NAME[src]} ${totalsText(t, c.metric)} today`);
      continue;
    }
    const shown: string[] = [];
    for (const w of c.windows) {
      const l = bindingWindow(s.limits, src, w);
      if (!l) continue;
      level = worstLevel(level, windowLevel(l, c.thresholds[src]));
      const [plain, scoped] = SHORT[w] ?? [`${l.label} `, `${l.label} `];
      const prefix = l.scope ? `${scoped}${l.scope} ` : plain;
      let t = `${prefix}${l.reached ? 'limit reached' : pct(l.percent)}`;
      if (w === c.windows[0] && l.resetsAt !== undefined && !l.hasReset) t += ` · ${formatDuration(l.resetsAt - now)}`;
      if (l.stale) t += ' $(history)';
      shown.push(t);
    }
    const mark = src === 'claude' ? CLAUDE_MARK[s.claude.state] : undefined;
    if (shown.length || mark) parts.push([NAME[src], mark?.icon, shown.join(', ')].filter(Boolean).join(' '));
    if (mark) {
      problem = mark.say;
      level = worstLevel(level, 'warning');
    }
  }
  if (!parts.length) {
    const why = s.hasLogs ? 'no limits yet' : 'no data';
    return { text: `$(pulse) Agent Usage: ${why}`, level: 'ok', ariaLabel: `Agent Usage: ${why}` };
  }
  const text = `$(pulse) ${parts.join(' | ')}`;
  const ariaLabel = text.replace(/\$\([^)]+\)\s?/g, '').replace(/·/g, 'resets in') + (problem ? `. Claude limits: ${problem}` : '');
  return { text, level, ariaLabel, ...(problem ? { problem: s.claude.state } : {}) };
}

/**
 * The window of a base (5-hour, weekly) that binds first: the highest of the plan-wide one and every
 * model's own (a user hits whichever is fullest); the plan-wide one on a tie. Quiet windows never show.
 */
export function bindingWindow(limits: readonly LimitEntry[], source: Source, base: string): LimitEntry | undefined {
  let best: LimitEntry | undefined;
  for (const l of limits) {
    if (l.source !== source || l.base !== base || l.quiet) continue;
    const rank = (x: LimitEntry) => (x.reached ? 1000 : 0) + x.percent;
    if (!best || rank(l) > rank(best) || (rank(l) === rank(best) && !l.scope && best.scope)) best = l;
  }
  return best;
}


function when(ms: number, now: number): string {
  return ms >= now ? `in ${formatDuration(ms - now)}` : `${formatDuration(now - ms)} ago`;
}

function localTime(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
}

function limitRow(l: LimitEntry, now: number, tz: string): string {
  const notes = [l.reached ? `limit reached (${l.reached.replace(/_/g, ' ')})` : '', l.severity && l.severity !== 'normal' ? `server: ${l.severity}` : '', l.quiet ? 'inactive' : ''].filter(Boolean);
  const used = (l.hasReset ? '0% (reset)' : pct(l.percent)) + (notes.length ? ` ${notes.join(', ')}` : '');
  const reset = l.resetsAt !== undefined ? `${localTime(l.resetsAt, tz)} (${when(l.resetsAt, now)})` : 'unknown';
  const asOf = `${when(l.observedAt, now)}${l.stale ? ' ⚠ stale' : ''}`;
  return `| ${NAME[l.source]} | ${l.label} | ${used} | ${l.pace ? paceText(l.pace) : ''} | ${reset} | ${asOf} |`;
}

/** Markdown for the status bar tooltip: every window, today's figures, burn rate and projection. */
export function statusBarTooltip(s: UsageSnapshot | undefined, now: number): string {
  if (!s) return 'Agent Usage: starting…';
  const out: string[] = ['**Agent Usage**', ''];
  if (s.indexing.phase === 'indexing') out.push(`Indexing logs: ${s.indexing.done} of ${s.indexing.total} files…`, '');
  else if (s.indexing.phase === 'verifying') out.push('Figures from the index; checking the logs for changes since…', '');
  if (s.limits.length) {
    out.push('| Source | Window | Used | Pace | Resets | As of |', '|---|---|---:|---|---|---|');
    for (const l of s.limits) out.push(limitRow(l, now, s.timezone));
    out.push('');
    for (const l of s.limits) {
      const f = !l.quiet && !l.hasReset ? forecastText(l, now) : undefined;
      if (f && (l.forecast || l.base === 'fiveHour')) out.push(`${NAME[l.source]} ${l.label}: ${f}`, '');
    }
  } else out.push('No limit data yet.', '');
  if (s.claude.state !== 'ok' && s.claude.state !== 'disabled') {
    const msg: Record<string, string> = {
      pending: 'Claude limits: not fetched yet.',
      'no-token': `Claude limits: ${s.claude.message ?? 'no login found'}.`,
      unauthorized: 'Claude limits: sign in to Claude Code again.',
      'rate-limited': `Claude limits: rate limited by the server${s.claude.nextAttemptAt ? `, next try ${when(s.claude.nextAttemptAt, now)}` : ''}.`,
      error: `Claude limits: ${s.claude.message ?? 'error'}${s.claude.lastGoodAt ? `; showing values from ${when(s.claude.lastGoodAt, now)}` : ''}.`,
    };
    out.push(msg[s.claude.state], '');
  }
  const t = s.today;
  const line = (label: string, x: Totals) => `${label}: ${formatTokensShort(x.tokens)} tokens, ${formatCost(x.cost)}${x.unpriced ? ' (+ unpriced models)' : ''}`;
  out.push(line('Today', t.all), '', line('Today in this workspace', s.todayWorkspace), '');
  out.push(`Claude ${formatTokensShort(t.claude.tokens)} · Codex ${formatTokensShort(t.codex.tokens)}`, '');
  for (const b of s.burnRates) {
    const r = burnRateAt(b, now);
    if (r.tokensPerMinute > 0) out.push(`${NAME[b.source]} burn rate, last ${BURN_MINUTES} min: ${formatTokensShort(r.tokensPerMinute)} tokens/min, ${formatCost(r.costPerHour)}/h *(estimate)*`, '');
  }
  if (s.threadsFromIndex > 0) out.push(`${s.threadsFromIndex} thread${s.threadsFromIndex === 1 ? '' : 's'} from the index (their logs have been deleted since).`, '');
  out.push('---', '', 'Limits: Claude from its official usage endpoint, Codex as written in its own logs. Costs are estimates from list prices.', '', CLAUDE_MARK[s.claude.state] ? 'Click to see why Claude limits are missing and how to fix it.' : 'Click to open the dashboard.');
  return out.join('\n');
}
