import * as assert from 'node:assert/strict';
import { StatusBarConfig, statusBarTooltip, statusBarView } from '../../src/core/present/statusBar';
import { LimitEntry, UsageSnapshot } from '../../src/core/snapshot';
import { formatCost, formatDuration, formatTokensShort } from '../../src/core/format';
import { baseOf, windowId } from '../../src/core/limits/windows';
import { emptyView } from './helpers';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const cfg: StatusBarConfig = { sources: ['claude', 'codex'], windows: ['fiveHour', 'weekly'], metric: 'percent', scope: 'all', thresholds: { claude: { warning: 80, critical: 90 }, codex: { warning: 80, critical: 90 } } };
const zero = { tokens: 0, cost: 0, unpriced: false };

function snap(limits: LimitEntry[], extra: Partial<UsageSnapshot> = {}): UsageSnapshot {
  return {
    ...emptyView(NOW),
    limits,
    claude: { state: 'ok' },
    today: { all: { tokens: 1_234_567, cost: 12.5, unpriced: false }, claude: zero, codex: zero },
    todayWorkspace: { tokens: 4200, cost: 0.5, unpriced: true },
    ...extra,
  };
}
const lim = (source: 'claude' | 'codex', name: string, percent: number, o: Partial<LimitEntry> = {}): LimitEntry => ({ source, ...windowId(baseOf(name), name.includes(':') ? name.slice(name.indexOf(':') + 1) : undefined), percent, resetsAt: NOW + 8_100_000, observedAt: NOW - 60_000, stale: false, hasReset: false, ...o });

describe('status bar text and tooltip', () => {
  it('shows percent and reset countdown per source', () => {
    const v = statusBarView(snap([lim('claude', 'fiveHour', 45), lim('claude', 'weekly', 30), lim('codex', 'fiveHour', 12.4)]), cfg, NOW);
    assert.equal(v.text, '$(pulse) Claude 45% · 2h 15m, wk 30% | Codex 12% · 2h 15m');
    assert.equal(v.level, 'ok');
    assert.equal(v.ariaLabel, 'Claude 45% resets in 2h 15m, wk 30% | Codex 12% resets in 2h 15m');
  });

  it('colours by the worst window against each source’s thresholds', () => {
    assert.equal(statusBarView(snap([lim('claude', 'fiveHour', 80)]), cfg, NOW).level, 'warning');
    assert.equal(statusBarView(snap([lim('claude', 'fiveHour', 10), lim('codex', 'weekly', 90)]), cfg, NOW).level, 'critical');
    assert.equal(statusBarView(snap([lim('claude', 'fiveHour', 85)]), { ...cfg, thresholds: { ...cfg.thresholds, claude: { warning: 90, critical: 95 } } }, NOW).level, 'ok');
  });

  it('marks stale values and shows a passed reset as 0%', () => {
    assert.match(statusBarView(snap([lim('claude', 'fiveHour', 45, { stale: true })]), cfg, NOW).text, /Claude 45% · 2h 15m \$\(history\)/);
    assert.equal(statusBarView(snap([lim('codex', 'fiveHour', 0, { hasReset: true, resetsAt: NOW - 1 })]), cfg, NOW).text, '$(pulse) Codex 0%');
  });

  it('marks Claude in the text itself when its limits cannot be fetched (401, 429, no login), keeping the last values', () => {
    const l = [lim('claude', 'fiveHour', 45), lim('codex', 'fiveHour', 12)];
    const marked = (state: 'unauthorized' | 'rate-limited' | 'no-token' | 'error') => statusBarView(snap(l, { claude: { state } }), cfg, NOW);
    assert.equal(marked('unauthorized').text, '$(pulse) Claude $(warning) 45% · 2h 15m | Codex 12% · 2h 15m');
    assert.equal(marked('unauthorized').problem, 'unauthorized');
    assert.match(marked('unauthorized').ariaLabel, /Claude limits: sign in again$/);
    assert.equal(marked('rate-limited').text, '$(pulse) Claude $(watch) 45% · 2h 15m | Codex 12% · 2h 15m');
    assert.equal(marked('unauthorized').level, 'warning');
    // No login at all: no Claude window to show, the mark alone.
    assert.equal(statusBarView(snap([lim('codex', 'fiveHour', 12)], { claude: { state: 'no-token' } }), cfg, NOW).text, '$(pulse) Claude $(warning) | Codex 12% · 2h 15m');
    // A failed request (5xx, timeout) is not a mark: the values turn stale in time.
    assert.equal(marked('error').problem, undefined);
    assert.equal(statusBarView(snap(l), cfg, NOW).problem, undefined);
    assert.match(statusBarTooltip(snap(l, { claude: { state: 'unauthorized' } }), NOW), /Click to see why Claude limits are missing/);
  });

  it('says "no data" clearly, and "indexing" while the first index runs', () => {
    assert.equal(statusBarView(snap([], { hasLogs: false }), cfg, NOW).text, '$(pulse) Agent Usage: no data');
    assert.equal(statusBarView(snap([], { hasLogs: true }), cfg, NOW).text, '$(pulse) Agent Usage: no limits yet');
    assert.equal(statusBarView(snap([], { hasLogs: false, indexing: { phase: 'indexing', done: 3, total: 12 } }), cfg, NOW).text, '$(sync~spin) Agent Usage: indexing 25%');
    assert.equal(statusBarView(undefined, cfg, NOW).text, '$(sync~spin) Agent Usage: indexing');
  });

  it('shows tokens or cost, for all usage or for the workspace', () => {
    assert.equal(statusBarView(snap([]), { ...cfg, metric: 'tokens', sources: ['claude'] }, NOW).text, '$(pulse) Claude 0 today');
    assert.equal(statusBarView(snap([]), { ...cfg, metric: 'cost', scope: 'workspace' }, NOW).text, '$(pulse) Workspace $0.50* today');
  });

  it('puts every window with its pace and forecast, today’s figures, the login state and the burn rate in the tooltip', () => {
    const tokens = new Array<number>(30).fill(0);
    const cost = new Array<number>(30).fill(0);
    tokens[29] = 156_000; // the current minute: 156K over the trailing 30 minutes is 5.2K/min
    cost[29] = 1.55;
    const forecast = { pointsPerHour: 12, fullAtEarliest: NOW + 90 * 60_000, fullAtLatest: NOW + 120 * 60_000, fillsBeforeReset: true, since: NOW - 3600_000, observations: 13 };
    const md = statusBarTooltip(
      snap([lim('claude', 'fiveHour', 45, { pace: { elapsedPercent: 30, delta: 15, status: 'ahead' }, forecast }), lim('codex', 'weekly', 70, { stale: true }), lim('codex', 'fiveHour', 5, { noForecast: 'idle' })], {
        claude: { state: 'unauthorized', message: 'x' },
        burnRates: [
          { source: 'claude', endsAt: NOW + 60_000, tokens, cost },
          { source: 'codex', endsAt: NOW - 3600_000, tokens, cost },
        ],
      }),
      NOW,
    );
    assert.match(md, /\| Claude \| 5-hour \| 45% \| 15 pts ahead of pace \| Mon 12:15 \(in 2h 15m\) \| 1m ago \|/);
    assert.match(md, /\| Codex \| Weekly \| 70% \| {2}\| .* ⚠ stale \|/);
    assert.match(md, /Claude 5-hour: full in 1h 30m–2h at 12\.0 pts\/h, before the reset \(estimate\)/);
    assert.match(md, /Codex 5-hour: no forecast while idle/);
    assert.match(md, /sign in to Claude Code again/);
    assert.match(md, /Today: 1\.2M tokens, \$12\.50/);
    assert.match(md, /Today in this workspace: 4\.2K tokens, \$0\.50 \(\+ unpriced models\)/);
    assert.match(md, /Claude burn rate, last 30 min: 5\.2K tokens\/min, \$3\.10\/h \*\(estimate\)\*/);
    // Codex's last tokens are an hour old: no rate at all, not the last burst's.
    assert.doesNotMatch(md, /Codex burn rate/);
  });

  it('formats durations, tokens and costs', () => {
    assert.equal(formatDuration(8_100_000), '2h 15m');
    assert.equal(formatDuration(59_000), '<1m');
    assert.equal(formatDuration(3 * 86_400_000 + 5 * 3600_000), '3d 5h');
    assert.equal(formatTokensShort(999), '999');
    assert.equal(formatTokensShort(36_000), '36K');
    assert.equal(formatTokensShort(5_300_000), '5.3M');
    assert.equal(formatTokensShort(12_000_000_000), '12B');
    assert.equal(formatCost(0.125), '$0.13');
  });
});
