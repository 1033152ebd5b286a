import { LimitWindow, effectivePercent } from '../codex/rateLimits';
import { forecastOf, paceOf } from '../limits/pace';
import { PercentHistory, historyKey } from '../limits/percentHistory';
import { SharedLimitState } from '../limits/sharedState';
import type { Source } from '../discovery';
import { KNOWN_LIMIT_KINDS, claudeWindows } from '../limits/schema';
import { baseMinutes, scopeKey } from '../limits/windows';
import { ClaudeLimitState, ClaudeStatus, LimitEntry } from './model';

export function claudeStatus(enabled: boolean, s: SharedLimitState | undefined): ClaudeStatus {
  if (!enabled) return { state: 'disabled' };
  if (!s || (s.attemptedAt === undefined && !s.lastGood)) return { state: 'pending' };
  const base = { lastGoodAt: s.lastGood?.at, nextAttemptAt: s.backoffUntil };
  if (!s.error) return { state: 'ok', ...base };
  const kind = s.error.kind;
  const state: ClaudeLimitState = kind === 'no-token' || kind === 'unauthorized' || kind === 'rate-limited' ? kind : 'error';
  return { state, message: s.error.message, ...base };
}

/** Claude's official windows as last fetched, at `now` (stale, reset). */
export function claudeLimits(s: SharedLimitState | undefined, now: number, staleAfterMs: number): LimitEntry[] {
  if (!s?.lastGood) return [];
  const at = s.lastGood.at;
  return claudeWindows(s.lastGood.data).map((w) => {
    const hasReset = w.resetsAt !== undefined && w.resetsAt <= now;
    const quiet = w.isActive === false && !KNOWN_LIMIT_KINDS.has(w.kind); // only limits[] entries carry is_active
    return {
      source: 'claude',
      name: w.name,
      base: w.base,
      ...(w.scope ? { scope: w.scope } : {}),
      label: w.label,
      percent: hasReset ? 0 : w.percent,
      resetsAt: w.resetsAt,
      observedAt: at,
      stale: now - at > staleAfterMs,
      hasReset,
      windowMinutes: baseMinutes(w.base),
      ...(w.severity && !hasReset ? { severity: w.severity } : {}),
      ...(quiet ? { quiet } : {}),
    };
  });
}

/** Codex's windows as last written in its rollouts, at `now`. */
export function codexLimitEntries(windows: Iterable<LimitWindow>, now: number, staleAfterMs: number): LimitEntry[] {
  return [...windows].map((w) => {
    const e = effectivePercent(w, now);
    // A window that has reset is known to be 0% until the next observation: not stale.
    return {
      source: 'codex',
      name: w.name,
      base: w.base,
      ...(w.scope ? { scope: w.scope } : {}),
      label: w.label,
      percent: e.percent,
      resetsAt: w.resetsAt,
      observedAt: w.observedAt,
      stale: !e.hasReset && now - w.observedAt > staleAfterMs,
      hasReset: e.hasReset,
      windowMinutes: w.windowMinutes,
      ...(w.reached && !e.hasReset ? { reached: w.reached } : {}),
    };
  });
}

/** Does a model's name belong to a window scoped to `scope` (e.g. "Fable" and claude-fable-5)? */
export function modelInScope(model: string, scope: string): boolean {
  return model.toLowerCase().includes(scopeKey(scope));
}

export interface ForecastInput {
  history: PercentHistory;
  idleMs: number;
  /** Each source's latest request in the local logs, if recent. */
  lastActivityAt?: Partial<Record<Source, number>>;
}

/** Pace (windows of a known length) and forecast (from the observed percentages) of each window at `now`. */
export function withPace(l: LimitEntry, now: number, f: ForecastInput | undefined): LimitEntry {
  const windowMs = l.windowMinutes !== undefined ? l.windowMinutes * 60_000 : undefined;
  if (l.hasReset || l.resetsAt === undefined || !windowMs) return l;
  const pace = paceOf(l.percent, l.resetsAt, windowMs, now);
  const out: LimitEntry = { ...l, ...(pace ? { pace } : {}) };
  if (!f || l.stale) return out;
  const cycle = f.history[historyKey(l.source, l.name)];
  const r = forecastOf(cycle?.obs ?? [], l.resetsAt, windowMs, now, { idleMs: f.idleMs, lastActivityAt: f.lastActivityAt?.[l.source] });
  return { ...out, ...(r.forecast ? { forecast: r.forecast } : { noForecast: r.reason }) };
}
