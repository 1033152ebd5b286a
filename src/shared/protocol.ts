/**
 * Messages between the extension host and the dashboard webview. Imported by both sides; each side
 * validates what it receives with zod. The dashboard gets the whole state once when it opens (or
 * shows again) and small patches afterwards, nothing while it is hidden. No token and no prompt text
 * beyond thread titles ever crosses this boundary.
 */
import { z } from 'zod';
import type { Thresholds } from '../core/alerts/levels';
import type { Source } from '../core/discovery';
import type { PlanSettings } from '../core/plan/planValue';
import type { UsageSnapshot, ViewPatch } from '../core/view/model';

/** The dashboard's state: the view, with only the threads its table can show (the top ones). */
export type DashboardData = UsageSnapshot & DashboardSettings;

/** The settings the dashboard draws by. */
export interface DashboardSettings {
  /** The configured warning and critical thresholds, so the cards colour as the status bar does. */
  thresholds: Record<Source, Thresholds>;
  /** The plans, for the plan value section. */
  plans: PlanSettings;
}

/** A patch of the view (threads limited to the table's), and the limit windows when they changed. */
export type DashboardPatch = ViewPatch & Partial<Pick<DashboardData, 'limits' | 'claude' | 'thresholds' | 'plans'>>;

export type HostToWebview = { type: 'full'; data: DashboardData } | { type: 'patch'; patch: DashboardPatch } | { type: 'empty'; reason: string };

const rows = z.record(z.string(), z.looseObject({}));
const rowsPatch = z.object({ upsert: rows.optional(), remove: z.array(z.string()).optional() }).optional();
export const HostToWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('full'), data: z.looseObject({ at: z.number(), daily: rows, threads: rows, repos: rows, limits: z.array(z.looseObject({})), thresholds: z.looseObject({}) }) }),
  z.object({ type: z.literal('patch'), patch: z.looseObject({ at: z.number().optional(), daily: rowsPatch, weekly: rowsPatch, monthly: rowsPatch, threads: rowsPatch, repos: rowsPatch, repoDaily: rowsPatch }) }),
  z.object({ type: z.literal('empty'), reason: z.string() }),
]);

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

/** The threads the dashboard's table can show: the union of the top lists of every range and source. */
export function tableThreads(s: Pick<UsageSnapshot, 'topThreads'>): Set<string> {
  const keys = new Set<string>();
  for (const bySource of Object.values(s.topThreads ?? {})) for (const list of Object.values(bySource)) for (const k of list) keys.add(k);
  return keys;
}

export function toDashboardData(s: UsageSnapshot, settings: DashboardSettings): DashboardData {
  const keep = tableThreads(s);
  const threads: UsageSnapshot['threads'] = {};
  for (const k of keep) if (s.threads[k]) threads[k] = s.threads[k];
  return { ...s, threads, ...settings };
}
