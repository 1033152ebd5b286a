import type { UsageSnapshot, ViewPatch } from '../core/view/model';
import { DashboardPatch, DashboardSettings, HostToWebview, tableThreads, toDashboardData } from './protocol';

/** What a dashboard holds: the threads of its table, and the limits, login state and thresholds it was sent. */
export interface Shown {
  threads: Set<string>;
  limits: string;
  claude: string;
  settings: string;
}

/** The dashboard's whole state (or why there is none yet), and what it then holds. */
export function dashboardFull(s: UsageSnapshot | undefined, settings: DashboardSettings): { msg: HostToWebview; shown?: Shown } {
  if (!s) return { msg: { type: 'empty', reason: 'Indexing Claude Code and Codex logs…' } };
  if (!s.hasLogs && s.limits.length === 0)
    return s.indexing.phase === 'ready'
      ? { msg: { type: 'empty', reason: 'No Claude Code or Codex logs found. Use Claude Code or Codex, or set agentUsage.claudeConfigDirs / agentUsage.codexHome.' } }
      : { msg: { type: 'empty', reason: `Indexing logs: ${s.indexing.done} of ${s.indexing.total} files…` } };
  const data = toDashboardData(s, settings);
  return { msg: { type: 'full', data }, shown: { threads: new Set(Object.keys(data.threads)), limits: JSON.stringify(data.limits), claude: JSON.stringify(data.claude), settings: JSON.stringify(settings) } };
}

/**
 * A patch of what the dashboard holds, from a patch of the view: threads only of its table (one that
 * enters the table is sent whole, one that leaves is removed), and the limit windows, login state and
 * settings (thresholds, plans) when they changed. Updates `shown`; undefined when there is nothing to send.
 */
export function dashboardPatch(shown: Shown, s: UsageSnapshot, view: ViewPatch | undefined, settings: DashboardSettings): DashboardPatch | undefined {
  const { threads: changed, ...rest } = view ?? {};
  const patch: DashboardPatch = { ...rest };
  const keep = tableThreads(s);
  const upsert: Record<string, (typeof s.threads)[string]> = {};
  for (const [k, t] of Object.entries(changed?.upsert ?? {})) if (keep.has(k)) upsert[k] = t;
  for (const k of keep) if (!shown.threads.has(k) && s.threads[k]) upsert[k] = s.threads[k];
  const remove = [...shown.threads].filter((k) => !keep.has(k));
  if (Object.keys(upsert).length || remove.length) patch.threads = { ...(Object.keys(upsert).length ? { upsert } : {}), ...(remove.length ? { remove } : {}) };
  shown.threads = keep;
  const changedJson = (key: 'limits' | 'claude' | 'settings', value: unknown) => {
    const j = JSON.stringify(value);
    if (j === shown[key]) return false;
    shown[key] = j;
    return true;
  };
  if (changedJson('limits', s.limits)) patch.limits = s.limits;
  if (changedJson('claude', s.claude)) patch.claude = s.claude;
  if (changedJson('settings', settings)) Object.assign(patch, settings);
  return Object.keys(patch).some((k) => k !== 'at') ? patch : undefined;
}
