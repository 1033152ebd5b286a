/** Threshold levels of a limit window: pure (the dashboard webview bundles it). */

export type Level = 'ok' | 'warning' | 'critical';
export interface Thresholds {
  warning: number;
  critical: number;
}

export function levelOf(percent: number, t: Thresholds): Level {
  if (percent >= t.critical) return 'critical';
  if (percent >= t.warning) return 'warning';
  return 'ok';
}

export function worstLevel(a: Level, b: Level): Level {
  const rank = { ok: 0, warning: 1, critical: 2 };
  return rank[b] > rank[a] ? b : a;
}

const SEVERITY_LEVEL: Record<string, Level> = { warning: 'warning', critical: 'critical' };

/** A window's level: its percent against the thresholds, raised by the endpoint's own severity and by a reached limit. */
export function windowLevel(w: { percent: number; severity?: string; reached?: string }, t: Thresholds): Level {
  if (w.reached) return 'critical';
  return worstLevel(levelOf(w.percent, t), (w.severity && SEVERITY_LEVEL[w.severity]) || 'ok');
}
