import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sinon from 'sinon';
import { AUTH_BACKOFF_MS, ClaudeLimitPoller, DEFAULT_RATE_LIMIT_BACKOFF_MS } from '../../src/core/limits/poller';
import { FetchResult } from '../../src/core/limits/usageClient';
import { tryLock } from '../../src/core/limits/sharedState';
import { tmpDir } from './helpers';

const MIN = 60_000;
const ok = (p: number): FetchResult => ({ kind: 'ok', data: { five_hour: { utilization: p, resets_at: '2026-11-23T12:00:00+00:00' } } });

function setup(dir: string, clock: { t: number }, fetch: sinon.SinonStub, version = 1) {
  return new ClaudeLimitPoller({
    stateFile: path.join(dir, 'claude-usage.json'),
    intervalMs: 5 * MIN,
    tokens: { read: async () => ({ token: 'tok-xyz-123456', version }) },
    fetch,
    now: () => clock.t,
  });
}

describe('Claude limit poller and its shared cache', () => {
  it('two windows share one fetch per interval', async () => {
    const dir = tmpDir();
    const clock = { t: 1_000_000 };
    const fetch = sinon.stub().resolves(ok(40));
    const a = setup(dir, clock, fetch);
    const b = setup(dir, clock, fetch);
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    assert.equal(fetch.callCount, 1);
    assert.equal(Number(ra.fetched) + Number(rb.fetched), 1);
    const rb2 = await b.tick();
    assert.equal(rb2.fetched, false);
    assert.equal(rb2.state.lastGood?.data.five_hour?.utilization, 40, 'the other window sees the fetched values');
    clock.t += 5 * MIN;
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    assert.equal(fetch.callCount, 2);
  });

  it('many racing pollers fetch once', async () => {
    const dir = tmpDir();
    const clock = { t: 5_000_000 };
    const fetch = sinon.stub().callsFake(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return ok(1);
    });
    const pollers = Array.from({ length: 8 }, () => setup(dir, clock, fetch));
    await Promise.all(pollers.map((p) => p.tick()));
    assert.equal(fetch.callCount, 1);
  });

  it('honours Retry-After for every window, even a manual refresh', async () => {
    const dir = tmpDir();
    const clock = { t: 0 };
    const fetch = sinon.stub().resolves({ kind: 'rate-limited', retryAfterMs: 40 * MIN });
    const a = setup(dir, clock, fetch);
    const b = setup(dir, clock, fetch);
    await a.tick();
    clock.t += 10 * MIN;
    assert.equal((await b.tick(true)).skipped, 'backoff');
    clock.t += 29 * MIN;
    assert.equal((await b.tick()).skipped, 'backoff');
    clock.t += 2 * MIN;
    fetch.resolves(ok(5));
    assert.equal((await b.tick()).fetched, true);
    assert.equal(fetch.callCount, 2);
  });

  it('backs off without Retry-After too', async () => {
    const dir = tmpDir();
    const clock = { t: 0 };
    const fetch = sinon.stub().resolves({ kind: 'rate-limited' });
    const a = setup(dir, clock, fetch);
    const r = await a.tick();
    assert.equal(r.state.backoffUntil, DEFAULT_RATE_LIMIT_BACKOFF_MS);
  });

  it('a refused login is not retried in a loop, but is when the credentials change or the user asks', async () => {
    const dir = tmpDir();
    const clock = { t: 0 };
    const fetch = sinon.stub().resolves({ kind: 'unauthorized', status: 401 });
    const a = setup(dir, clock, fetch, 1);
    await a.tick();
    for (let i = 0; i < 5; i++) {
      clock.t += 5 * MIN;
      await a.tick();
    }
    assert.equal(fetch.callCount, 1, 'no loop while the same login is refused');
    const renewed = setup(dir, clock, fetch, 2);
    fetch.resolves(ok(3));
    assert.equal((await renewed.tick()).fetched, true, 'a renewed login is tried at once');
    fetch.resolves({ kind: 'unauthorized', status: 401 });
    clock.t += 5 * MIN;
    await renewed.tick();
    assert.equal((await renewed.tick(true)).fetched, true, 'a manual refresh retries');
    assert.ok(AUTH_BACKOFF_MS >= 30 * MIN);
  });

  it('keeps the last good values through errors', async () => {
    const dir = tmpDir();
    const clock = { t: 0 };
    const fetch = sinon.stub().resolves(ok(70));
    const a = setup(dir, clock, fetch);
    await a.tick();
    fetch.resolves({ kind: 'server-error', status: 500 });
    clock.t += 5 * MIN;
    const r = await a.tick();
    assert.equal(r.state.lastGood?.data.five_hour?.utilization, 70);
    assert.equal(r.state.lastGood?.at, 0);
    assert.equal(r.state.error?.kind, 'server-error');
  });

  it('starts afresh from a corrupted cache file, and breaks a stale lock', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'claude-usage.json');
    fs.writeFileSync(file, '{"version":1,"lastGood":{"at":');
    const clock = { t: 100 * MIN };
    const fetch = sinon.stub().resolves(ok(9));
    const logs: string[] = [];
    const p = new ClaudeLimitPoller({ stateFile: file, intervalMs: 5 * MIN, tokens: { read: async () => ({ token: 't-123456789' }) }, fetch, now: () => clock.t, log: (_l, m) => logs.push(m) });
    fs.mkdirSync(`${file}.lock`);
    fs.utimesSync(`${file}.lock`, new Date(0), new Date(0));
    const r = await p.tick();
    assert.equal(r.fetched, true);
    assert.ok(logs.some((m) => /corrupted/.test(m)));
    assert.ok(!fs.existsSync(`${file}.lock`));
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).lastGood.data.five_hour.utilization, 9);
  });

  it('reports a missing login without fetching', async () => {
    const dir = tmpDir();
    const fetch = sinon.stub();
    const p = new ClaudeLimitPoller({ stateFile: path.join(dir, 's.json'), intervalMs: 5 * MIN, tokens: { read: async () => ({ missing: 'no Claude Code login found' }) }, fetch, now: () => 0 });
    const r = await p.tick();
    assert.equal(fetch.callCount, 0);
    assert.equal(r.state.error?.kind, 'no-token');
  });

  it('the lock admits one holder at a time', async () => {
    const lock = path.join(tmpDir(), 'x.lock');
    const release = await tryLock(lock);
    assert.ok(release);
    assert.equal(await tryLock(lock), undefined);
    await release!();
    assert.ok(await tryLock(lock));
  });
});
