import { PeriodRow } from './reports/periods';
import type { LimitEntry } from './snapshot';
import { SessionRow } from './reports/sessions';

export type ExportKind = 'daily' | 'sessions' | 'limits';
export type ExportFormat = 'json' | 'tsv';

const DAILY_COLUMNS = ['date', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens', 'totalCost', 'modelsUsed'] as const;
/** Every limit window shown, a model's own limits included; times as ISO strings. */
const LIMIT_COLUMNS = ['source', 'name', 'label', 'scope', 'percent', 'resetsAt', 'observedAt', 'stale', 'hasReset', 'reached', 'severity'] as const;
const SESSION_COLUMNS = ['sessionId', 'source', 'repo', 'repoConfidence', 'branch', 'firstActivity', 'lastActivity', 'modelsUsed', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens', 'totalCost'] as const;

function tsvCell(v: unknown): string {
  const s = Array.isArray(v) ? v.join(',') : v === undefined || v === null ? '' : String(v);
  return s.replace(/[\t\r\n]/g, ' ');
}

/**
 * Usage data for a file: counts, costs, models and repository names only. Thread titles (prompt
 * text), folders and log paths are left out.
 */
export function exportUsage(kind: ExportKind, format: ExportFormat, rows: { daily: readonly PeriodRow[]; sessions: readonly SessionRow[]; limits?: readonly LimitEntry[] }): string {
  const cols: readonly string[] = kind === 'daily' ? DAILY_COLUMNS : kind === 'sessions' ? SESSION_COLUMNS : LIMIT_COLUMNS;
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const limits = (rows.limits ?? []).map((l) => ({ ...l, resetsAt: iso(l.resetsAt), observedAt: iso(l.observedAt) }));
  const src: readonly object[] = kind === 'daily' ? rows.daily : kind === 'sessions' ? rows.sessions : limits;
  const picked = src.map((r) => Object.fromEntries(cols.map((c) => [c, (r as Record<string, unknown>)[c] ?? null])));
  if (format === 'json') return JSON.stringify({ [kind]: picked }, null, 2) + '\n';
  return [cols.join('\t'), ...picked.map((r) => cols.map((c) => tsvCell(r[c])).join('\t'))].join('\n') + '\n';
}
