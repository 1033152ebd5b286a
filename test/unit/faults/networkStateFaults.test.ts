import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sinon from 'sinon';
import { ClaudeLimitPoller } from '../../../src/core/limits/poller';
import { fetchClaudeUsage } from '../../../src/core/limits/usageClient';
import { statusBarView } from '../../../src/core/present/statusBar';
import { buildSnapshot } from '../../../src/core/snapshot';
import { RepoResolver } from '../../../src/core/attribution';
import { levelOf } from '../../../src/core/alerts/thresholds';
import { FakeUsageServer } from '../../harness/usageServer';
import { emptyView, tmpDir } from '../helpers';

const MIN = 60_000;

describe('fault matrix: network', function () {
  this.timeout(60_000);
  const server = new FakeUsageServer();
  let endpoint = '';
  before(async () => {
    endpoint = await server.start();
  });
  after(() => server.stop());

  function poller(dir: string, now: () => number, timeoutMs?: number) {
    return new ClaudeLimitPoller({
      stateFile: path.join(dir, 'state.json'),
      intervalMs: 5 * MIN,
      tokens: { read: async () => ({ token: 'sk-ant-oat01-network-fault-token' }) },
      fetch: (token) => fetchClaudeUsage({ endpoint, token, userAgent: 'claude-code/2.1.160', timeoutMs }),
      now,
    });
  }

  it('a 30-second stall: the default timeout fires, the event loop stays responsive, the last values stay', async () => {
    const dir = tmpDir();
    let t = 0;
    const p = poller(dir, () => t);
    server.script = { kind: 'ok', fiveHour: 33, sevenDay: 3 };
    await p.tick();
    t += 5 * MIN;
    server.script = { kind: 'stall', ms: 30_000 };
    let ticks = 0;
    const beat = setInterval(() => ticks++, 100);
    const started = Date.now();
    const r = await p.tick();
    clearInterval(beat);
    const waited = Date.now() - started;
    assert.equal(r.state.error?.kind, 'timeout');
    assert.equal(r.state.lastGood?.data.five_hour?.utilization, 33);
    assert.ok(waited < 30_000, 'gave up before the server answered');
    assert.ok(ticks >= Math.floor(waited / 100) * 0.8, `the loop kept running (${ticks} beats in ${waited} ms)`);
  });

  for (const [name, script, kind] of [
    ['200 with a wrong type in a known field', { kind: 'status', status: 200, body: '{"five_hour":{"utilization":"90%"}}' }, 'invalid'],
    ['invalid JSON', { kind: 'status', status: 200, body: '{"five_' }, 'invalid'],
    ['an HTML error page', { kind: 'status', status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' }, 'server-error'],
    ['500', { kind: 'status', status: 500 }, 'server-error'],
    ['a connection reset', { kind: 'reset' }, 'network'],
    ['403', { kind: 'status', status: 403 }, 'unauthorized'],
  ] as const) {
    it(`${name}: reported as ${kind}, the last good values kept`, async () => {
      const dir = tmpDir();
      let t = 0;
      const p = poller(dir, () => t, 2000);
      server.script = { kind: 'ok', fiveHour: 44, sevenDay: 4 };
      await p.tick();
      t += 5 * MIN;
      server.script = script;
      const r = await p.tick();
      assert.equal(r.state.error?.kind, kind);
      assert.equal(r.state.lastGood?.data.five_hour?.utilization, 44);
      assert.equal(r.state.lastGood?.at, 0, 'marked with its age');
    });
  }
});

describe('fault matrix: state', () => {
  it('a clock that jumps back does not freeze fetching; one that jumps forward fetches', async () => {
    const dir = tmpDir();
    const clock = { t: Date.parse('2026-11-23T10:00:00Z') };
    const fetch = sinon.stub().resolves({ kind: 'ok', data: { five_hour: { utilization: 5, resets_at: null } } });
    const p = new ClaudeLimitPoller({ stateFile: path.join(dir, 's.json'), intervalMs: 5 * MIN, tokens: { read: async () => ({ token: 'tok-123456789' }) }, fetch, now: () => clock.t });
    await p.tick();
    clock.t -= 86_400_000; // back a day
    assert.equal((await p.tick()).fetched, true);
    clock.t += 30 * 86_400_000; // forward a month
    assert.equal((await p.tick()).fetched, true);
    fetch.resolves({ kind: 'rate-limited', retryAfterMs: 3600_000 });
    clock.t += 5 * MIN;
    await p.tick();
    clock.t -= 10 * 86_400_000; // back: the back-off deadline is now 10 days away, beyond any Retry-After
    fetch.resolves({ kind: 'ok', data: {} });
    assert.equal((await p.tick()).fetched, true);
  });

  it('a reset time already in the past shows as reset, for Claude and Codex', async () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    const s = await buildSnapshot({
      now,
      events: [],
      hints: new Map(),
      codexLimits: new Map([['fiveHour', { name: 'fiveHour', base: 'fiveHour', label: '5-hour', windowMinutes: 300, percent: 88, resetsAt: now - 1, observedAt: now - 3600_000 }]]),
      claude: { enabled: true, state: { version: 1, attemptedAt: now - MIN, lastGood: { at: now - MIN, data: { five_hour: { utilization: 97, resets_at: '2026-11-23T09:59:00Z' }, seven_day: { utilization: 40, resets_at: '2026-11-25T00:00:00Z' } } } } },
      workspaceFolders: [],
      timezone: 'UTC',
      weekStartsOn: 'monday',
      staleAfterMs: 15 * MIN,
      indexing: { done: 0, total: 0, finished: true },
      resolver: new RepoResolver(),
      historyDays: 30,
    });
    const get = (src: string, n: string) => s.limits.find((l) => l.source === src && l.name === n)!;
    assert.deepEqual([get('claude', 'fiveHour').percent, get('claude', 'fiveHour').hasReset], [0, true]);
    assert.deepEqual([get('claude', 'weekly').percent, get('claude', 'weekly').hasReset], [40, false]);
    assert.deepEqual([get('codex', 'fiveHour').percent, get('codex', 'fiveHour').hasReset, get('codex', 'fiveHour').stale], [0, true, false]);
  });

  it('usage at exactly 0%, exactly 100% and above 100% is shown as it is', () => {
    const t = { warning: 80, critical: 90 };
    assert.equal(levelOf(0, t), 'ok');
    assert.equal(levelOf(100, t), 'critical');
    assert.equal(levelOf(135, t), 'critical');
    const cfg = { sources: ['claude' as const], windows: ['fiveHour'], metric: 'percent' as const, scope: 'all' as const, thresholds: { claude: t, codex: t } };
    const base = { ...emptyView(0), claude: { state: 'ok' as const } };
    for (const [p, text, level] of [
      [0, 'Claude 0%', 'ok'],
      [100, 'Claude 100%', 'critical'],
      [135, 'Claude 135%', 'critical'],
    ] as const) {
      const v = statusBarView({ ...base, limits: [{ source: 'claude', name: 'fiveHour', base: 'fiveHour', label: '5-hour', percent: p, observedAt: 0, stale: false, hasReset: false }] }, cfg, 0);
      assert.equal(v.text, `$(pulse) ${text}`);
      assert.equal(v.level, level);
    }
  });

  it('a corrupted shared cache file is replaced by a valid one after the next fetch', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 's.json');
    fs.writeFileSync(file, Buffer.from([0xff, 0x00, 0x7b]));
    const p = new ClaudeLimitPoller({ stateFile: file, intervalMs: 5 * MIN, tokens: { read: async () => ({ token: 'tok-123456789' }) }, fetch: async () => ({ kind: 'ok', data: {} }), now: () => 0 });
    assert.equal((await p.tick()).fetched, true);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).version, 1);
  });
});
