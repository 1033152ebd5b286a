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

  it('puts every window, today’s figures, the login state and the projection in the tooltip', () => {
    const md = statusBarTooltip(
      snap([lim('claude', 'fiveHour', 45), lim('codex', 'weekly', 70, { stale: true })], {
        claude: { state: 'unauthorized', message: 'x' },
        projections: [{ source: 'claude', window: 'fiveHour', tokensPerMinute: 5200, costPerHour: 3.1, fullAt: NOW + 90 * 60_000 }],
      }),
      NOW,
    );
    assert.match(md, /\| Claude \| 5-hour \| 45% \| Mon 12:15 \(in 2h 15m\) \| 1m ago \|/);
    assert.match(md, /\| Codex \| Weekly \| 70% .* ⚠ stale \|/);
    assert.match(md, /sign in to Claude Code again/);
    assert.match(md, /Today: 1\.2M tokens, \$12\.50/);
    assert.match(md, /Today in this workspace: 4\.2K tokens, \$0\.50 \(\+ unpriced models\)/);
    assert.match(md, /Claude burn rate: 5\.2K tokens\/min, \$3\.10\/h, 5-hour window full in 1h 30m \(Mon 11:30\) \*\(estimate\)\*/);
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
