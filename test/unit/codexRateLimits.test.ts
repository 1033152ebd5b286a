import * as assert from 'node:assert/strict';
import { CodexSessionReader } from '../../src/core/codex/session';
import { effectivePercent, latestWindows } from '../../src/core/codex/rateLimits';
import * as path from 'node:path';
import { UsageEngine } from '../../src/core/engine';
import { RepoResolver } from '../../src/core/attribution';
import { buildSnapshot } from '../../src/core/snapshot';
import { statusBarView } from '../../src/core/present/statusBar';
import { limitsReport } from '../../src/core/reports/limits';
import { sessionMeta, tmpDir, tokenCount, turnContext, usage, writeLines } from './helpers';

const ts = '2026-02-20T17:04:29.000Z';
const obs = Date.parse(ts);

function limitsOf(rateLimits: unknown) {
  const r = new CodexSessionReader();
  assert.equal(r.handle(tokenCount(ts, null, undefined, rateLimits), 1).kind, 'ok');
  return r.limits;
}

describe('Codex rate_limits shapes', () => {
  it('reads nested windows with unix-seconds resets_at (current)', () => {
    const l = limitsOf({ limit_id: 'codex', primary: { used_percent: 12, window_minutes: 300, resets_at: 1771621200 }, secondary: { used_percent: 31, window_minutes: 10080, resets_at: 1771966800 }, credits: null, plan_type: 'plus' });
    assert.deepEqual(l.get('fiveHour'), { name: 'fiveHour', base: 'fiveHour', label: '5-hour', windowMinutes: 300, percent: 12, resetsAt: 1771621200_000, observedAt: obs, planType: 'plus' });
    assert.equal(l.get('weekly')?.percent, 31);
    assert.equal(l.get('weekly')?.resetsAt, 1771966800_000);
  });

  it('reads RFC 3339 resets_at (0.48)', () => {
    const l = limitsOf({ primary: { used_percent: 5, window_minutes: 300, resets_at: '2026-02-20T20:00:00Z' }, secondary: null });
    assert.equal(l.get('fiveHour')?.resetsAt, Date.parse('2026-02-20T20:00:00Z'));
  });

  it('reads resets_in_seconds relative to the line (0.41-0.47)', () => {
    const l = limitsOf({ primary: { used_percent: 5, window_minutes: 300, resets_in_seconds: 600 }, secondary: { used_percent: 7, window_minutes: 10080, resets_in_seconds: 86400 } });
    assert.equal(l.get('fiveHour')?.resetsAt, obs + 600_000);
    assert.equal(l.get('weekly')?.resetsAt, obs + 86_400_000);
  });

  it('reads the flat fields of 0.40', () => {
    const l = limitsOf({ primary_used_percent: 44, secondary_used_percent: 9, primary_window_minutes: 300, secondary_window_minutes: 10080 });
    assert.equal(l.get('fiveHour')?.percent, 44);
    assert.equal(l.get('weekly')?.percent, 9);
    const w = limitsOf({ primary_used_percent: 1, primary_window_minutes: 300, weekly_used_percent: 60 });
    assert.equal(w.get('weekly')?.percent, 60);
  });

  it('names windows by window_minutes: a weekly-only plan puts weekly in primary', () => {
    const l = limitsOf({ primary: { used_percent: 70, window_minutes: 10080, resets_at: 1771966800 }, secondary: null });
    assert.equal(l.get('weekly')?.percent, 70);
    assert.equal(l.has('fiveHour'), false);
  });

  it('a model’s own limit (limit_id other than null/"codex") is a window of its own, named by limit_name', () => {
    const l = limitsOf({ limit_id: 'codex_gpt-5.3-codex-spark', limit_name: 'GPT-5.3-Codex-Spark', primary: { used_percent: 99, window_minutes: 300, resets_at: 1771621200 }, secondary: { used_percent: 40, window_minutes: 10080, resets_at: 1771966800 } });
    assert.deepEqual([...l.keys()], ['fiveHour:codex_gpt-5.3-codex-spark', 'weekly:codex_gpt-5.3-codex-spark']);
    const w = l.get('weekly:codex_gpt-5.3-codex-spark')!;
    assert.deepEqual([w.base, w.scope, w.label, w.percent, w.limitId], ['weekly', 'GPT-5.3-Codex-Spark', 'Weekly · GPT-5.3-Codex-Spark', 40, 'codex_gpt-5.3-codex-spark']);
    assert.equal(l.has('fiveHour'), false, 'never the main meter');
    // Without limit_name the id names it (its codex_ prefix dropped).
    assert.equal(limitsOf({ limit_id: 'codex_o9', primary: { used_percent: 5, window_minutes: 300 } }).get('fiveHour:codex_o9')?.label, '5-hour · O9');
  });

  it('keeps the latest observation across files and shows a passed reset as reset', () => {
    const a = { name: 'fiveHour', base: 'fiveHour', label: '5-hour', windowMinutes: 300, percent: 40, resetsAt: 2000, observedAt: 100 };
    const b = { ...a, percent: 55, observedAt: 200 };
    const latest = latestWindows([b, a]).get('fiveHour')!;
    assert.equal(latest.percent, 55);
    assert.deepEqual(effectivePercent(latest, 1999), { percent: 55, hasReset: false });
    assert.deepEqual(effectivePercent(latest, 2000), { percent: 0, hasReset: true });
  });

  it('a file mixing two limit_ids keeps each id’s latest windows apart; reached shows until the reset; rate_limits null keeps the last values', async () => {
    const home = tmpDir();
    const id = '0199a0b1-0000-7000-8000-0000000000bb';
    const at = (m: number) => new Date(obs + m * 60_000).toISOString();
    const s = Math.floor(obs / 1000);
    const main = (p5: number, pw: number) => ({ limit_id: 'codex', limit_name: null, primary: { used_percent: p5, window_minutes: 300, resets_at: s + 3600 }, secondary: { used_percent: pw, window_minutes: 10080, resets_at: s + 3 * 86_400 }, plan_type: 'pro', rate_limit_reached_type: null });
    const spark = (p5: number, pw: number, reached: string | null) => ({ limit_id: 'codex_gpt-5.3-codex-spark', limit_name: 'GPT-5.3-Codex-Spark', primary: { used_percent: p5, window_minutes: 300, resets_at: s + 1800 }, secondary: { used_percent: pw, window_minutes: 10080, resets_at: s + 2 * 86_400 }, plan_type: 'pro', rate_limit_reached_type: reached });
    writeLines(path.join(home, 'sessions', '2026', '02', '20', `rollout-2026-02-20T17-04-29-${id}.jsonl`), [
      sessionMeta(at(0), id),
      turnContext(at(0), 'gpt-5.3-codex-spark'),
      tokenCount(at(1), usage(1000, 0, 10), undefined, main(10, 20)),
      tokenCount(at(2), usage(1000, 0, 10), undefined, spark(60, 30, null)),
      tokenCount(at(3), usage(2000, 0, 20), usage(1000, 0, 10), main(12, 21)),
      tokenCount(at(4), usage(2000, 0, 20), usage(1000, 0, 10), spark(100, 35, 'rate_limit_reached')),
      tokenCount(at(5), usage(2000, 0, 20), usage(1000, 0, 10), null),
    ]);
    const e = new UsageEngine({ claudeRoots: [], codexHome: home, sources: ['codex'] });
    await e.scan();
    const l = e.codexLimits();
    assert.deepEqual([...l.keys()].sort(), ['fiveHour', 'fiveHour:codex_gpt-5.3-codex-spark', 'weekly', 'weekly:codex_gpt-5.3-codex-spark']);
    assert.deepEqual([l.get('fiveHour')!.percent, l.get('weekly')!.percent], [12, 21], 'the main meter is never a model’s');
    assert.deepEqual([l.get('fiveHour:codex_gpt-5.3-codex-spark')!.percent, l.get('fiveHour:codex_gpt-5.3-codex-spark')!.reached], [100, 'rate_limit_reached']);
    assert.equal(l.get('weekly:codex_gpt-5.3-codex-spark')!.reached, undefined, 'the window at 100% is the one reached');
    assert.equal(e.events().length, 2, 'limit-only updates add no usage');
    const snap = (now: number) =>
      buildSnapshot({ now, events: e.events(), hints: e.threadHints(), codexLimits: l, claude: { enabled: false }, workspaceFolders: [], timezone: 'UTC', weekStartsOn: 'monday', staleAfterMs: 3 * 86_400_000, indexing: { done: 1, total: 1, finished: true }, resolver: new RepoResolver(), historyDays: 30 });
    const cfg = { sources: ['codex' as const], windows: ['fiveHour', 'weekly'], metric: 'percent' as const, scope: 'all' as const, thresholds: { claude: { warning: 80, critical: 90 }, codex: { warning: 80, critical: 90 } } };
    const before = statusBarView(await snap(obs + 10 * 60_000), cfg, obs + 10 * 60_000);
    assert.equal(before.text, '$(pulse) Codex 5h GPT-5.3-Codex-Spark limit reached · 20m, wk GPT-5.3-Codex-Spark 35%');
    assert.equal(before.level, 'critical');
    // After the model's 5-hour window resets: the main meter binds again, nothing is reached.
    const after = statusBarView(await snap(obs + 40 * 60_000), cfg, obs + 40 * 60_000);
    assert.equal(after.text, '$(pulse) Codex 12% · 20m, wk GPT-5.3-Codex-Spark 35%');
    const r = limitsReport(l, obs + 10 * 60_000);
    assert.equal(r.codex.fiveHour?.percent, 12);
    assert.equal(r.codex.other['fiveHour:codex_gpt-5.3-codex-spark'].reached, 'rate_limit_reached');
  });
});
