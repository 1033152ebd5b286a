import { PeriodRow } from './reports/periods';
import { SessionRow } from './reports/sessions';

export type ExportKind = 'daily' | 'sessions';
export type ExportFormat = 'json' | 'tsv';

const DAILY_COLUMNS = ['date', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens', 'totalCost', 'modelsUsed'] as const;
const SESSION_COLUMNS = ['sessionId', 'source', 'repo', 'repoConfidence', 'branch', 'firstActivity', 'lastActivity', 'modelsUsed', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens', 'totalCost'] as const;

function tsvCell(v: unknown): string {
  const s = Array.isArray(v) ? v.join(',') : v === undefined || v === null ? '' : String(v);
  return s.replace(/[\t\r\n]/g, ' ');
}

/**
 * Usage data for a file: counts, costs, models and repository names only. Thread titles (prompt
 * text), folders and log paths are left out.
 */
export function exportUsage(kind: ExportKind, format: ExportFormat, rows: { daily: readonly PeriodRow[]; sessions: readonly SessionRow[] }): string {
  const cols: readonly string[] = kind === 'daily' ? DAILY_COLUMNS : SESSION_COLUMNS;
  const src: readonly object[] = kind === 'daily' ? rows.daily : rows.sessions;
  const picked = src.map((r) => Object.fromEntries(cols.map((c) => [c, (r as Record<string, unknown>)[c] ?? null])));
  if (format === 'json') return JSON.stringify({ [kind]: picked }, null, 2) + '\n';
  return [cols.join('\t'), ...picked.map((r) => cols.map((c) => tsvCell(r[c])).join('\t'))].join('\n') + '\n';
}
