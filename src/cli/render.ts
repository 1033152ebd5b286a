import { formatCost, formatInt } from '../core/format';
import { BlockRow } from '../core/reports/blocks';
import { LimitView, LimitsReport } from '../core/reports/limits';
import { paceText } from '../core/present/pace';
import { PeriodReport } from '../core/reports/periods';
import { SessionReport } from '../core/reports/sessions';
import { renderTable } from './table';

const TOKEN_HEADER = ['Input', 'Output', 'Cache Create', 'Cache Read', 'Total Tokens', 'Cost (USD)'];

interface TokenLike {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

function tokenCells(t: TokenLike & { totalTokens?: number }, cost: number, unpriced?: string[]): string[] {
  const total = t.totalTokens ?? t.inputTokens + t.outputTokens + t.cacheCreationTokens + t.cacheReadTokens;
  return [
    formatInt(t.inputTokens),
    formatInt(t.outputTokens),
    formatInt(t.cacheCreationTokens),
    formatInt(t.cacheReadTokens),
    formatInt(total),
    formatCost(cost) + (unpriced?.length ? '*' : ''),
  ];
}

/** At most `max` model names; the rest as "+N" (the --breakdown rows list them all). */
function modelsCell(models: string[], max = 2): string {
  return models.length <= max ? models.join(', ') : `${models.slice(0, max).join(', ')} +${models.length - max}`;
}

function numeric(from: number, count: number): Set<number> {
  return new Set(Array.from({ length: count }, (_, i) => from + i));
}

function unpricedNote(models: string[] | undefined): string {
  return models?.length ? `* no price for: ${models.join(', ')} (their tokens are counted, their cost is not)\n` : '';
}

export function renderPeriods(r: PeriodReport, keyName: string, label: string, breakdown: boolean): string {
  const rows: string[][] = [];
  for (const row of r.rows) {
    rows.push([String(row[keyName]), modelsCell(row.modelsUsed), ...tokenCells(row, row.totalCost, row.unpricedModels)]);
    if (breakdown) {
      for (const m of row.modelBreakdowns) rows.push(['', `  └ ${m.modelName}`, ...tokenCells(m, m.cost)]);
    }
  }
  rows.push(['Total', '', ...tokenCells(r.totals, r.totals.totalCost, r.totals.unpricedModels)]);
  return renderTable([label, 'Models', ...TOKEN_HEADER], rows, numeric(2, 6)) + unpricedNote(r.totals.unpricedModels);
}

export function renderSessions(r: SessionReport): string {
  const rows = r.sessions.map((s) => [
    s.lastActivity.slice(0, 16).replace('T', ' '),
    s.source,
    s.repo + (s.repoConfidence === 'derived' ? ' (path)' : ''),
    s.sessionId.slice(0, 12),
    modelsCell(s.modelsUsed),
    ...tokenCells(s, s.totalCost, s.unpricedModels),
  ]);
  rows.push(['Total', '', '', '', '', ...tokenCells(r.totals, r.totals.totalCost, r.totals.unpricedModels)]);
  return renderTable(['Last Activity (UTC)', 'Source', 'Repository', 'Session', 'Models', ...TOKEN_HEADER], rows, numeric(5, 6)) + unpricedNote(r.totals.unpricedModels);
}

export function renderBlocks(blocks: BlockRow[]): string {
  const rows = blocks.map((b) => [
    b.startTime.slice(0, 16).replace('T', ' ') + (b.isActive ? ' (active)' : ''),
    b.source,
    modelsCell(b.models),
    ...tokenCells(b, b.costUSD, b.unpricedModels),
    b.burnRate ? `${formatInt(b.burnRate.tokensPerMinute)}/min` : '',
    b.projection ? `${formatInt(b.projection.totalTokens)} / ${formatCost(b.projection.totalCost)}` : '',
  ]);
  return renderTable(['Block Start (UTC)', 'Source', 'Models', ...TOKEN_HEADER, 'Burn Rate', 'Projected at End'], rows, numeric(3, 7));
}

export function renderLimits(r: LimitsReport): string {
  const line = (name: string, v: LimitView | null) => {
    if (!v) return [name, 'no data', '', '', ''];
    const notes = [v.reached ? `limit reached (${v.reached.replace(/_/g, ' ')})` : '', v.severity && v.severity !== 'normal' ? `server: ${v.severity}` : ''].filter(Boolean).join(', ');
    return [
      name,
      (v.hasReset ? `0% (reset; was ${v.observedPercent}%)` : `${v.percent}%`) + (notes ? ` ${notes}` : ''),
      v.pace ? paceText(v.pace) : '',
      v.resetsAt ? v.resetsAt.slice(0, 16).replace('T', ' ') : 'unknown',
      v.observedAt.slice(0, 16).replace('T', ' '),
    ];
  };
  // The two main windows always have a row ("no data" when missing); every other window follows by name.
  const rows = (source: string, v: { fiveHour: LimitView | null; weekly: LimitView | null; windows: LimitView[] }) => [
    line(`${source} 5-hour`, v.fiveHour),
    line(`${source} weekly`, v.weekly),
    ...v.windows.filter((w) => w.name !== 'fiveHour' && w.name !== 'weekly').map((w) => line(`${source} ${w.label}`, w)),
  ];
  const out: string[][] = [...(r.claude ? rows('Claude', r.claude) : []), ...rows('Codex', r.codex)];
  const claudeNote = r.claude && r.claude.status !== 'ok' && r.claude.status !== 'disabled' ? `Claude: ${r.claude.message ?? r.claude.status}.\n` : '';
  return (
    renderTable(['Window', 'Used', 'Pace', 'Resets (UTC)', 'Observed (UTC)'], out, new Set()) +
    claudeNote +
    'Claude limits are official (its OAuth usage endpoint: limits[] first, then the legacy keys); Codex limits are as observed in its rollouts (rate_limits, a model\'s own limits by limit_id).\n'
  );
}
