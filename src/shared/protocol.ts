/**
 * Messages between the extension host and the dashboard webview. Imported by both sides; what the
 * webview sends is validated with zod on arrival. No token and no prompt text beyond thread titles
 * ever crosses this boundary.
 */
import { z } from 'zod';
import type { UsageSnapshot } from '../core/snapshot';
import type { Thresholds } from '../core/alerts/levels';
import type { Source } from '../core/discovery';

export type DashboardData = Pick<
  UsageSnapshot,
  'at' | 'timezone' | 'indexing' | 'hasLogs' | 'limits' | 'claude' | 'today' | 'todayWorkspace' | 'week' | 'weekWorkspace' | 'projections' | 'daily' | 'weekly' | 'monthly' | 'repos' | 'repoDaily' | 'burnUp' | 'workspaceFolders' | 'threadsFromIndex'
> & {
  /** The configured warning and critical thresholds, so the cards colour as the status bar does. */
  thresholds: Record<Source, Thresholds>;
};

export type HostToWebview = { type: 'data'; data: DashboardData } | { type: 'empty'; reason: string };

export const RangeSchema = z.enum(['7d', '30d', '90d', 'all']);
export const SourceFilterSchema = z.enum(['all', 'claude', 'codex']);
export type Range = z.infer<typeof RangeSchema>;
export type SourceFilter = z.infer<typeof SourceFilterSchema>;

export const WebviewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('command'), command: z.enum(['refresh', 'export', 'openSettings']) }),
  z.object({ type: z.literal('rendered'), charts: z.record(z.string(), z.number()) }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

/** UI state kept by the webview across hide/show and reloads (vscode.setState). */
export interface DashboardUiState {
  range: Range;
  source: SourceFilter;
  table: 'daily' | 'weekly' | 'monthly';
}

export function toDashboardData(s: UsageSnapshot, thresholds: Record<Source, Thresholds>): DashboardData {
  const { at, timezone, indexing, hasLogs, limits, claude, today, todayWorkspace, week, weekWorkspace, projections, daily, weekly, monthly, repos, repoDaily, burnUp, workspaceFolders, threadsFromIndex } = s;
  return { at, timezone, indexing, hasLogs, limits, claude, today, todayWorkspace, week, weekWorkspace, projections, daily, weekly, monthly, repos, repoDaily, burnUp, workspaceFolders, threadsFromIndex, thresholds };
}
