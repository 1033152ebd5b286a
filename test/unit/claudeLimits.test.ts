import * as assert from 'node:assert/strict';
import { AlertLedger, alertFor, thresholdMessage } from '../../src/core/alerts/thresholds';
import { RepoResolver } from '../../src/core/attribution';
import { ClaudeUsageResponseSchema, claudeWindows } from '../../src/core/limits/schema';
import { statusBarTooltip, statusBarView } from '../../src/core/present/statusBar';
import { claudeLimitsView } from '../../src/core/reports/limits';
import { buildSnapshot } from '../../src/core/snapshot';
import { renderLimits } from '../../src/cli/render';
import { exportUsage } from '../../src/core/export';
import { tmpDir } from './helpers';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const R5 = '2026-11-23T12:00:00+00:00';
const R7 = '2026-11-27T09:00:00+00:00';

/** An answer of late 2026: limits[] with a per-model weekly limit above the all-models one, legacy keys beside it. */
const ANSWER = {
  five_hour: { utilization: 31, resets_at: R5 },
  seven_day: { utilization: 40, resets_at: R7 },
  seven_day_opus: null,
  seven_day_sonnet: null,
  seven_day_omelette: { utilization: 12, resets_at: R7 },
  extra_usage: { is_enabled: false, monthly_limit: null, used_credits: null, utilization: null },
  limits: [
    { kind: 'session', group: 'session', percent: 31, severity: 'normal', resets_at: R5, scope: null, is_active: true },
    { kind: 'weekly_all', group: 'weekly', percent: 40, severity: 'normal', resets_at: R7, scope: null, is_active: true },
    { kind: 'weekly_scoped', group: 'weekly', percent: 82, severity: 'warning', resets_at: R7, scope: { model: { id: null, display_name: 'Fable' } }, is_active: true },
    { kind: 'weekly_scoped', group: 'weekly', percent: 33, severity: 'normal', resets_at: R7, scope: { model: { id: null, display_name: 'opus' } }, is_active: false },
    { kind: 'session_scoped', group: 'session', percent: 10, resets_at: R5, scope: { model: { display_name: 'Fable' } }, is_active: true },
    { kind: 'weekly_scoped', group: 'weekly', percent: null, resets_at: null, scope: { model: { display_name: 'Ghost' } }, is_active: false },
    { kind: 'monthly_pool', group: 'pool', percent: 100, resets_at: null, scope: null, is_active: false },
  ],
};

function parse(body: unknown) {
  const r = ClaudeUsageResponseSchema.safeParse(body);
  assert.ok(r.success, r.success ? '' : r.error.message);
  return r.data;
}

async function snapshotOf(body: unknown) {
  return buildSnapshot({
    now: NOW,
    events: [],
    hints: new Map(),
    codexLimits: new Map(),
    claude: { enabled: true, state: { version: 1, attemptedAt: NOW, lastGood: { at: NOW - 60_000, data: parse(body) } } },
    workspaceFolders: [],
    timezone: 'UTC',
    weekStartsOn: 'monday',
    staleAfterMs: 15 * 60_000,
    indexing: { done: 1, total: 1, finished: true },
    resolver: new RepoResolver(),
    historyDays: 30,
  });
}

const cfg = { sources: ['claude' as const], windows: ['fiveHour', 'weekly'], metric: 'percent' as const, scope: 'all' as const, thresholds: { claude: { warning: 80, critical: 90 }, codex: { warning: 80, critical: 90 } } };

describe('Claude limits[] windows', () => {
  it('reads every entry, limits[] first, each window once, scoped ones named by the model', () => {
    const w = claudeWindows(parse(ANSWER));
    assert.deepEqual(
      w.map((x) => [x.name, x.label, x.percent]),
      [
        ['fiveHour', '5-hour', 31],
        ['weekly', 'Weekly', 40],
        ['weekly:fable', 'Weekly · Fable', 82],
        ['weekly:opus', 'Weekly · Opus', 33],
        ['fiveHour:fable', '5-hour · Fable', 10],
        ['monthly_pool', 'monthly pool', 100],
        ['weekly:omelette', 'Weekly · Omelette', 12],
      ],
    );
    assert.equal(w.find((x) => x.name === 'weekly:fable')?.severity, 'warning');
    assert.equal(w.find((x) => x.name === 'weekly:fable')?.resetsAt, Date.parse(R7));
    assert.equal(w.find((x) => x.name === 'monthly_pool')?.isActive, false);
  });

  it('falls back to the legacy keys without limits[], and never lists a legacy copy of a limits[] window', () => {
    assert.deepEqual(claudeWindows(parse({ five_hour: { utilization: 5, resets_at: R5 }, seven_day: { utilization: 6, resets_at: R7 }, seven_day_opus: { utilization: 7, resets_at: R7 } })).map((x) => x.name), ['fiveHour', 'weekly', 'weekly:opus']);
    const both = claudeWindows(parse({ seven_day_opus: { utilization: 7, resets_at: R7 }, limits: [{ kind: 'weekly_scoped', group: 'weekly', percent: 9, resets_at: R7, scope: { model: { display_name: 'Opus' } }, is_active: true }] }));
    assert.deepEqual(both.map((x) => [x.name, x.percent]), [['weekly:opus', 9]]);
    // A scoped weekly never stands in for the all-models one.
    assert.deepEqual(claudeWindows(parse({ five_hour: null, seven_day: null, limits: [{ kind: 'weekly_scoped', percent: 21, resets_at: R7, scope: { model: { display_name: 'Fable' } } }] })).map((x) => x.name), ['weekly:fable']);
  });

  it('the status bar shows the highest weekly window when that is a model’s own, and colours by its level', async () => {
    const s = await snapshotOf(ANSWER);
    const v = statusBarView(s, cfg, NOW);
    assert.equal(v.text, '$(pulse) Claude 31% · 2h, wk Fable 82%');
    assert.equal(v.level, 'warning');
    // The all-models one when it is the highest, or on a tie.
    const tie = await snapshotOf({ ...ANSWER, limits: ANSWER.limits.map((l) => (l.kind === 'weekly_scoped' && l.percent === 82 ? { ...l, percent: 40 } : l)) });
    assert.equal(statusBarView(tie, cfg, NOW).text, '$(pulse) Claude 31% · 2h, wk 40%');
    // A model's 5-hour window above the plan's.
    const five = await snapshotOf({ limits: [{ kind: 'session', percent: 20, resets_at: R5 }, { kind: 'session_scoped', percent: 55, resets_at: R5, scope: { model: { display_name: 'Fable' } } }] });
    assert.equal(statusBarView(five, cfg, NOW).text, '$(pulse) Claude 5h Fable 55% · 2h');
  });

  it('the tooltip lists every window, with the server’s severity and inactive windows marked', async () => {
    const tip = statusBarTooltip(await snapshotOf(ANSWER), NOW);
    assert.match(tip, /\| Claude \| Weekly · Fable \| 82% server: warning \|/);
    assert.match(tip, /\| Claude \| Weekly · Opus \| 33% \|/);
    assert.match(tip, /\| Claude \| monthly pool \| 100% inactive \|/);
    assert.doesNotMatch(tip, /Ghost/, 'a window without a value is not shown');
  });

  it('each window crosses its threshold on its own, named in its toast; an inactive unknown kind never alerts', async () => {
    const s = await snapshotOf(ANSWER);
    const ledger = new AlertLedger(tmpDir());
    const t = cfg.thresholds.claude;
    const fired: string[] = [];
    for (const l of s.limits) {
      if (l.quiet) continue;
      const level = await alertFor(l, t, ledger);
      if (level) fired.push(`${level}: ${thresholdMessage(l, NOW)}`);
    }
    assert.deepEqual(fired, ['warning: Claude Weekly · Fable limit at 82%. Resets in 3d 23h.']);
    assert.equal(s.limits.find((l) => l.name === 'monthly_pool')?.quiet, true);
    // Again with the same values (another window, a reload): nothing.
    for (const l of s.limits) if (!l.quiet) assert.equal(await alertFor(l, t, ledger), undefined);
  });

  it('the dashboard gets a burn-up per window, the CLI and the export list every window', async () => {
    const s = await snapshotOf(ANSWER);
    assert.ok(s.burnUp.some((b) => b.window === 'weekly:fable' && b.label === 'Weekly · Fable'));
    const view = claudeLimitsView({ version: 1, lastGood: { at: NOW, data: parse(ANSWER) } }, NOW, 'ok');
    assert.equal(view.weekly?.percent, 40);
    assert.equal(view.other['weekly:fable'].percent, 82);
    assert.equal(view.windows.length, 7);
    const table = renderLimits({ claude: view, codex: { fiveHour: null, weekly: null, other: {}, windows: [] } });
    assert.match(table, /Claude Weekly · Fable\s+82% server: warning/);
    assert.equal(table.match(/Claude weekly\s/g)?.length, 1, 'the all-models window once');
    const tsv = exportUsage('limits', 'tsv', { daily: [], sessions: [], limits: s.limits });
    assert.match(tsv, /^source\tname\tlabel\tscope\tpercent/);
    assert.match(tsv, /claude\tweekly:fable\tWeekly · Fable\tFable\t82\t2026-11-27T09:00:00.000Z/);
  });
});
