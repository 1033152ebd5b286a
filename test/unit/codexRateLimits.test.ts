import * as assert from 'node:assert/strict';
import { CodexSessionReader } from '../../src/core/codex/session';
import { effectivePercent, latestWindows } from '../../src/core/codex/rateLimits';
import { tokenCount } from './helpers';

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
    assert.deepEqual(l.get('fiveHour'), { name: 'fiveHour', windowMinutes: 300, percent: 12, resetsAt: 1771621200_000, observedAt: obs, planType: 'plus' });
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

  it('ignores limits of other products (limit_id other than null/"codex")', () => {
    const l = limitsOf({ limit_id: 'codex_other', primary: { used_percent: 99, window_minutes: 300, resets_at: 1771621200 } });
    assert.equal(l.size, 0);
  });

  it('keeps the latest observation across files and shows a passed reset as reset', () => {
    const a = { name: 'fiveHour', windowMinutes: 300, percent: 40, resetsAt: 2000, observedAt: 100 };
    const b = { ...a, percent: 55, observedAt: 200 };
    const latest = latestWindows([b, a]).get('fiveHour')!;
    assert.equal(latest.percent, 55);
    assert.deepEqual(effectivePercent(latest, 1999), { percent: 55, hasReset: false });
    assert.deepEqual(effectivePercent(latest, 2000), { percent: 0, hasReset: true });
  });
});
