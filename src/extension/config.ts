import * as vscode from 'vscode';
import { log } from './log';
import { Source } from '../core/discovery';
import { Thresholds } from '../core/alerts/thresholds';
import { StatusBarConfig } from '../core/present/statusBar';
import { Weekday } from '../core/time';
import { DEFAULT_USAGE_ENDPOINT } from '../core/limits/endpoint';
import { ClaudePlan, CodexPlan, PlanSettings } from '../core/plan/planValue';

export const SECTION = 'agentUsage';

/** Mirrors the groups of `contributes.configuration` (a unit test keeps the two in step). */
export interface AgentUsageConfig {
  claudeConfigDirs: string[];
  codexHome: string;
  timezone: string;
  weekStartsOn: Weekday;
  'statusBar.sources': Source[];
  'statusBar.windows': string[];
  'statusBar.metric': 'percent' | 'tokens' | 'cost';
  'statusBar.scope': 'all' | 'workspace';
  'limits.claude.enabled': boolean;
  'limits.claude.endpoint': string;
  'limits.claude.pollMinutes': number;
  'limits.staleAfterMinutes': number;
  'thresholds.claude.warning': number;
  'thresholds.claude.critical': number;
  'thresholds.codex.warning': number;
  'thresholds.codex.critical': number;
  'notifications.enabled': boolean;
  'notifications.projection': boolean;
  'forecast.idleMinutes': number;
  'threads.range': 'today' | '7d' | '30d' | 'all';
  'threads.sortBy': 'lastActivity' | 'tokens' | 'cost';
  'dashboard.historyDays': number;
  'plan.claude': ClaudePlan;
  'plan.claudeCustomPrice': number;
  'plan.codex': CodexPlan;
  'plan.codexCustomPrice': number;
}

export const CONFIG_DEFAULTS: AgentUsageConfig = {
  claudeConfigDirs: [],
  codexHome: '',
  timezone: '',
  weekStartsOn: 'monday',
  'statusBar.sources': ['claude', 'codex'],
  'statusBar.windows': ['fiveHour', 'weekly'],
  'statusBar.metric': 'percent',
  'statusBar.scope': 'all',
  'limits.claude.enabled': true,
  'limits.claude.endpoint': DEFAULT_USAGE_ENDPOINT,
  'limits.claude.pollMinutes': 5,
  'limits.staleAfterMinutes': 15,
  'thresholds.claude.warning': 80,
  'thresholds.claude.critical': 90,
  'thresholds.codex.warning': 80,
  'thresholds.codex.critical': 90,
  'notifications.enabled': true,
  'notifications.projection': true,
  'forecast.idleMinutes': 15,
  'threads.range': '30d',
  'threads.sortBy': 'lastActivity',
  'dashboard.historyDays': 90,
  'plan.claude': 'none',
  'plan.claudeCustomPrice': 0,
  'plan.codex': 'none',
  'plan.codexCustomPrice': 0,
};

/**
 * Settings a workspace cannot set: which folders are read and where the OAuth token is sent. A
 * repository's `.vscode/settings.json` is not the user's word, so only user (and remote) settings count.
 */
export const USER_ONLY_SETTINGS: readonly (keyof AgentUsageConfig)[] = ['claudeConfigDirs', 'codexHome', 'limits.claude.enabled', 'limits.claude.endpoint', 'limits.claude.pollMinutes'];

export function readConfig(): AgentUsageConfig {
  const c = vscode.workspace.getConfiguration(SECTION);
  const out = { ...CONFIG_DEFAULTS } as Record<string, unknown>;
  const defaults = CONFIG_DEFAULTS as unknown as Record<string, unknown>;
  for (const k of Object.keys(CONFIG_DEFAULTS)) {
    if (!(USER_ONLY_SETTINGS as readonly string[]).includes(k)) {
      out[k] = c.get(k, defaults[k]);
      continue;
    }
    const i = c.inspect(k);
    if (i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined) log.warn(`${SECTION}.${k} in workspace settings is ignored: it can only be set in user settings.`);
    out[k] = i?.globalValue ?? defaults[k];
  }
  const cfg = out as unknown as AgentUsageConfig;
  cfg['limits.claude.pollMinutes'] = Math.max(2, Number(cfg['limits.claude.pollMinutes']) || 5);
  return cfg;
}

export function thresholds(c: AgentUsageConfig): Record<Source, Thresholds> {
  return {
    claude: { warning: c['thresholds.claude.warning'], critical: c['thresholds.claude.critical'] },
    codex: { warning: c['thresholds.codex.warning'], critical: c['thresholds.codex.critical'] },
  };
}

export function statusBarConfig(c: AgentUsageConfig): StatusBarConfig {
  return { sources: c['statusBar.sources'], windows: c['statusBar.windows'], metric: c['statusBar.metric'], scope: c['statusBar.scope'], thresholds: thresholds(c) };
}

export function planSettings(c: AgentUsageConfig): PlanSettings {
  return { claude: { plan: c['plan.claude'], monthlyPrice: c['plan.claudeCustomPrice'] }, codex: { plan: c['plan.codex'], monthlyPrice: c['plan.codexCustomPrice'] } };
}
