import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { forecastOf, paceOf } from '../../src/core/limits/pace';
import { MAX_OBSERVATIONS, Observation, PercentHistory, PercentHistoryFile, recordObservation } from '../../src/core/limits/percentHistory';
import { withLimits } from '../../src/core/snapshot';
import { burnRateAt } from '../../src/core/view/burnRate';
import { emptyView } from './helpers';

const MIN = 60_000;
const HOUR = 60 * MIN;
const FIVE_H = 5 * HOUR;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const IDLE = { idleMs: 15 * MIN };

/** Observations of a percentage every `every` ms from `from` to `to` (inclusive), as `value(t)` gives it. */
function observe(from: number, to: number, every: number, value: (t: number) => number): Observation[] {
  const out: Observation[] = [];
  for (let t = from; t <= to; t += every) out.push([t, value(t)]);
  return out;
}

describe('pace and forecast from the official percentages', () => {
  it('pace at 25% of the window with 40% used is 15 points ahead', () => {
    const resetsAt = NOW + 0.75 * FIVE_H;
    const p = paceOf(40, resetsAt, FIVE_H, NOW)!;
    assert.equal(p.elapsedPercent, 25);
    assert.equal(p.delta, 15);
    assert.equal(p.status, 'ahead');
    assert.equal(paceOf(27, resetsAt, FIVE_H, NOW)!.status, 'on');
    assert.equal(paceOf(10, resetsAt, FIVE_H, NOW)!.status, 'behind');
    assert.equal(paceOf(10, undefined, FIVE_H, NOW), undefined);
  });

  it('a burst after 30 idle minutes gives no forecast (polled every 5 minutes)', () => {
    const resetsAt = NOW + 3 * HOUR;
    // 10% since an hour ago, unchanged through 30 idle minutes; then a burst takes it to 14% within a poll.
    const obs = [...observe(NOW - 60 * MIN, NOW - 5 * MIN, 5 * MIN, () => 10), [NOW, 14] as Observation];
    assert.deepEqual(forecastOf(obs, resetsAt, FIVE_H, NOW, IDLE), { reason: 'burst' });
    // The next polls show nothing more: the burst stays a burst, then the window is idle.
    assert.deepEqual(forecastOf([...obs, [NOW + 5 * MIN, 14]], resetsAt, FIVE_H, NOW + 5 * MIN, IDLE), { reason: 'burst' });
    assert.deepEqual(forecastOf([...obs, [NOW + 20 * MIN, 14]], resetsAt, FIVE_H, NOW + 20 * MIN, IDLE), { reason: 'idle' });
  });

  it('a burst after 30 idle minutes gives no forecast (Codex: one observation per request)', () => {
    const resetsAt = NOW + 3 * HOUR;
    const obs: Observation[] = [[NOW - 90 * MIN, 5], [NOW - 60 * MIN, 10], [NOW - 32 * MIN, 10], [NOW - 2 * MIN, 11], [NOW - MIN, 13], [NOW, 14]];
    assert.deepEqual(forecastOf(obs, resetsAt, FIVE_H, NOW, IDLE), { reason: 'burst' });
  });

  it('28 minutes after the last request at 12% there is no forecast (the reported false alarm)', () => {
    const obs = observe(NOW - 88 * MIN, NOW - 28 * MIN, 4 * MIN, (t) => Math.floor(((t - (NOW - 88 * MIN)) / (60 * MIN)) * 12));
    assert.deepEqual(forecastOf(obs, NOW + 2 * HOUR, FIVE_H, NOW, IDLE), { reason: 'idle' });
  });

  it('no forecast from fewer than two observations, nor from a flat percentage', () => {
    assert.deepEqual(forecastOf([[NOW - MIN, 40]], NOW + HOUR, FIVE_H, NOW, IDLE), { reason: 'few-observations' });
    assert.deepEqual(forecastOf(observe(NOW - HOUR, NOW, 5 * MIN, () => 40), NOW + HOUR, FIVE_H, NOW, IDLE), { reason: 'flat' });
    // Observations of the previous cycle do not count for this one.
    assert.deepEqual(forecastOf([[NOW - 6 * HOUR, 10], [NOW - 5.5 * HOUR, 30], [NOW, 2]], NOW + 4 * HOUR, FIVE_H, NOW, IDLE), { reason: 'few-observations' });
  });

  it('a steady climb gives a range that contains its true fill time, whatever the rounding and the pace', () => {
    for (const rate of [8, 15, 25, 40]) {
      for (const quantise of [Math.floor, Math.round, (x: number) => x]) {
        for (const every of [MIN, 5 * MIN]) {
          const start = NOW - 2 * HOUR;
          const resetsAt = start + FIVE_H;
          const truth = (t: number) => ((t - start) / HOUR) * rate;
          const trueFull = start + (100 / rate) * HOUR;
          for (const now of [NOW - 60 * MIN, NOW - 20 * MIN, NOW]) {
            if (truth(now) >= 99) continue;
            const obs = observe(start, now, every, (t) => quantise(truth(t)));
            const r = forecastOf(obs, resetsAt, FIVE_H, now, IDLE);
            const label = `rate ${rate}/h, every ${every / MIN} min, at ${(now - start) / MIN} min`;
            assert.ok(r.forecast, `${label}: ${r.reason}`);
            assert.ok(r.forecast.fullAtEarliest <= trueFull, `${label}: earliest ${new Date(r.forecast.fullAtEarliest).toISOString()} after ${new Date(trueFull).toISOString()}`);
            assert.ok(r.forecast.fullAtLatest === undefined || r.forecast.fullAtLatest >= trueFull, `${label}: latest before the true fill`);
            assert.equal(r.forecast.fillsBeforeReset, r.forecast.fullAtLatest !== undefined && r.forecast.fullAtLatest < resetsAt);
          }
        }
      }
    }
  });

  it('forecasts a weekly window whose percent ticks every half hour, and keeps it while local requests go on', () => {
    const WEEK = 7 * 24 * HOUR;
    const start = NOW - 2 * 24 * HOUR;
    const obs = observe(start, NOW, 30 * MIN, (t) => Math.floor((t - start) / (30 * MIN)) / 2); // 1 point an hour
    const f = forecastOf(obs, start + WEEK, WEEK, NOW, IDLE).forecast!;
    assert.ok(Math.abs(f.pointsPerHour - 1) < 0.05, String(f.pointsPerHour));
    assert.equal(f.since, NOW - 24 * HOUR);
    // 25 minutes after the last tick: idle, unless the logs show requests since.
    assert.deepEqual(forecastOf(obs, start + WEEK, WEEK, NOW + 25 * MIN, IDLE), { reason: 'idle' });
    assert.ok(forecastOf(obs, start + WEEK, WEEK, NOW + 25 * MIN, { ...IDLE, lastActivityAt: NOW + 24 * MIN }).forecast);
  });

  it('claims "fills before the reset" only when even the slowest rate does', () => {
    const start = NOW - 2 * HOUR;
    const climb = (rate: number) => forecastOf(observe(start, NOW, 5 * MIN, (t) => Math.floor(((t - start) / HOUR) * rate)), start + FIVE_H, FIVE_H, NOW, IDLE).forecast!;
    assert.equal(climb(40).fillsBeforeReset, true); // 80% now, 40/h: full in 30 min, reset in 3 h
    assert.equal(climb(10).fillsBeforeReset, false); // 20% now, 10/h: full in 8 h
    assert.ok(climb(10).fullAtEarliest > start + FIVE_H);
  });

  it('idle time counts: the slope is read over wall-clock time up to now', () => {
    const start = NOW - 2 * HOUR;
    // 20 points in the last 20 minutes after an hour and a half at 10%: over the trailing hour, 20 points an hour.
    const obs: Observation[] = [...observe(start, NOW - 25 * MIN, 5 * MIN, () => 10), ...observe(NOW - 20 * MIN, NOW, 5 * MIN, (t) => 10 + (t - (NOW - 20 * MIN)) / MIN)];
    const f = forecastOf(obs, start + FIVE_H, FIVE_H, NOW, IDLE).forecast!;
    assert.equal(f.since, NOW - HOUR);
    assert.equal(f.pointsPerHour, 20);
  });
});

describe('the percent history', () => {
  it('keeps flat runs as their two ends, skips what it has seen, and starts afresh on a new cycle', () => {
    const h: PercentHistory = {};
    const reset = NOW + HOUR;
    for (const [t, p] of observe(NOW - HOUR, NOW, 5 * MIN, (t) => (t < NOW - 30 * MIN ? 10 : 20))) recordObservation(h, 'claude:fiveHour', t, p, reset + (t % 7)); // reset times wobble
    assert.deepEqual(h['claude:fiveHour'].obs, [
      [NOW - HOUR, 10],
      [NOW - 35 * MIN, 10],
      [NOW - 30 * MIN, 20],
      [NOW, 20],
    ]);
    assert.equal(recordObservation(h, 'claude:fiveHour', NOW, 20, reset), false);
    assert.equal(recordObservation(h, 'claude:fiveHour', NOW - 3 * HOUR, 1, reset - FIVE_H), false, 'a late line of the last cycle');
    assert.equal(recordObservation(h, 'claude:fiveHour', NOW + 2 * HOUR, 3, reset + FIVE_H), true);
    assert.deepEqual(h['claude:fiveHour'], { resetsAt: reset + FIVE_H, obs: [[NOW + 2 * HOUR, 3]] });
    assert.equal(recordObservation(h, 'codex:fiveHour', NOW, 3, undefined), false, 'no reset time: no cycle to forecast');
  });

  it('is bounded', () => {
    const h: PercentHistory = {};
    for (let i = 0; i < 3 * MAX_OBSERVATIONS; i++) recordObservation(h, 'codex:weekly', NOW + i * MIN, i, NOW + 7 * 86_400_000);
    assert.equal(h['codex:weekly'].obs.length, MAX_OBSERVATIONS);
    assert.deepEqual(h['codex:weekly'].obs.at(-1), [NOW + (3 * MAX_OBSERVATIONS - 1) * MIN, 3 * MAX_OBSERVATIONS - 1]);
  });

  it('is shared by the windows through one file, and a corrupted file is said and started afresh', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'au-history-'));
    const file = path.join(dir, 'percent-history.json');
    const a = new PercentHistoryFile(file);
    const b = new PercentHistoryFile(file);
    a.record('claude:fiveHour', NOW - 10 * MIN, 10, NOW + HOUR);
    await a.save(NOW);
    b.record('claude:fiveHour', NOW, 14, NOW + HOUR);
    await b.save(NOW);
    const c = new PercentHistoryFile(file);
    await c.load(NOW);
    assert.deepEqual(c.history['claude:fiveHour'].obs, [
      [NOW - 10 * MIN, 10],
      [NOW, 14],
    ]);
    await fsp.writeFile(file, '{"version":1,"windows":{"x":');
    const said: string[] = [];
    const d = new PercentHistoryFile(file, (m) => said.push(m));
    await d.load(NOW);
    assert.deepEqual(d.history, {});
    assert.match(said[0], /percent-history\.json is corrupted/);
    await fsp.rm(dir, { recursive: true, force: true });
  });
});

describe('limit windows in the snapshot', () => {
  it('carry their pace and the forecast from the percent history', () => {
    const start = NOW - 2 * HOUR;
    const obs = observe(start, NOW - MIN, 5 * MIN, (t) => Math.floor(((t - start) / HOUR) * 30));
    const view = { ...emptyView(NOW), codexWindows: [{ name: 'fiveHour', base: 'fiveHour', label: '5-hour', windowMinutes: 300, percent: obs.at(-1)![1], resetsAt: start + FIVE_H, observedAt: obs.at(-1)![0] }] };
    const s = withLimits(view, { enabled: false }, NOW, 15 * MIN, { history: { 'codex:fiveHour': { resetsAt: start + FIVE_H, obs } }, idleMs: 15 * MIN });
    const l = s.limits[0];
    assert.equal(l.pace?.status, 'ahead'); // 58% used, 40% of the window gone
    assert.ok(l.forecast?.fillsBeforeReset);
    const idle = withLimits(view, { enabled: false }, NOW + 40 * MIN, 60 * MIN, { history: { 'codex:fiveHour': { resetsAt: start + FIVE_H, obs } }, idleMs: 15 * MIN });
    assert.equal(idle.limits[0].forecast, undefined);
    assert.equal(idle.limits[0].noForecast, 'idle');
  });
});

describe('the token burn rate', () => {
  it('is read at the host clock over a fixed trailing 30 minutes: an idle hour shows no rate', () => {
    const tokens = new Array<number>(30).fill(0);
    tokens[29] = 3000;
    tokens[0] = 3000;
    const b = { source: 'claude' as const, endsAt: NOW + MIN, tokens, cost: new Array<number>(30).fill(0) };
    assert.equal(burnRateAt(b, NOW).tokensPerMinute, 200);
    assert.equal(burnRateAt(b, NOW + MIN).tokensPerMinute, 100); // the oldest minute left the window
    assert.equal(burnRateAt(b, NOW + HOUR).tokensPerMinute, 0);
  });
});
