import * as assert from 'node:assert/strict';
import { fetchClaudeUsage } from '../../src/core/limits/usageClient';
import { checkEndpoint } from '../../src/core/limits/endpoint';
import { parseRetryAfter } from '../../src/core/limits/retryAfter';
import { claudeWindows } from '../../src/core/limits/schema';
import { FakeUsageServer } from '../harness/usageServer';

const TOKEN = 'sk-ant-oat01-unit-test-token-abcdefgh';

describe('Claude usage client (real loopback HTTP server)', () => {
  const server = new FakeUsageServer(() => Date.parse('2026-11-23T10:00:00Z'));
  let endpoint = '';
  before(async () => {
    endpoint = await server.start();
  });
  after(() => server.stop());
  const get = (timeoutMs = 2000) => fetchClaudeUsage({ endpoint, token: TOKEN, userAgent: 'claude-code/2.1.160', timeoutMs, now: () => Date.parse('2026-11-23T10:00:00Z') });

  it('200: parses the windows and sends the protocol headers', async () => {
    server.script = { kind: 'ok', fiveHour: 45, sevenDay: 12 };
    const r = await get();
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    const w = claudeWindows(r.data);
    assert.deepEqual(w.map((x) => [x.name, x.percent]), [['fiveHour', 45], ['weekly', 12]]);
    assert.equal(w[0].resetsAt, Date.parse('2026-11-23T12:15:00Z'));
    const seen = server.requests.at(-1)!;
    assert.equal(seen.authorization, `Bearer ${TOKEN}`);
    assert.equal(seen.beta, 'oauth-2025-04-20');
    assert.equal(seen.userAgent, 'claude-code/2.1.160');
  });

  it('200 with new unknown windows and fields: tolerated, new windows shown', async () => {
    server.script = { kind: 'ok', fiveHour: 1, sevenDay: 2, extra: { seven_day_design: { utilization: 77, resets_at: null }, limits: [{ kind: 'session', group: 'g', percent: 1, resets_at: null, scope: null, is_active: true }], brand_new: { x: 1 } } };
    const r = await get();
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') assert.deepEqual(claudeWindows(r.data).map((w) => [w.name, w.label]), [['fiveHour', '5-hour'], ['weekly', 'Weekly'], ['weekly:design', 'Weekly · Design']]);
  });

  it('200 with a wrong type in a known field: invalid, not a crash', async () => {
    server.script = { kind: 'status', status: 200, body: JSON.stringify({ five_hour: { utilization: 'high', resets_at: null } }) };
    const r = await get();
    assert.equal(r.kind, 'invalid');
  });

  it('malformed JSON and an HTML error page are invalid answers', async () => {
    server.script = { kind: 'status', status: 200, body: '{"five_hour": {' };
    assert.deepEqual(await get(), { kind: 'invalid', reason: 'not JSON' });
    server.script = { kind: 'status', status: 200, body: '<html><body>Bad gateway</body></html>', contentType: 'text/html' };
    assert.deepEqual(await get(), { kind: 'invalid', reason: 'an HTML page instead of JSON' });
  });

  it('401 and 403 mean the login was refused', async () => {
    server.script = { kind: 'status', status: 401 };
    assert.deepEqual(await get(), { kind: 'unauthorized', status: 401 });
    server.script = { kind: 'status', status: 403 };
    assert.deepEqual(await get(), { kind: 'unauthorized', status: 403 });
  });

  it('429 with Retry-After in seconds, as an HTTP date, and absent', async () => {
    server.script = { kind: 'status', status: 429, retryAfter: '120' };
    assert.deepEqual(await get(), { kind: 'rate-limited', retryAfterMs: 120_000 });
    server.script = { kind: 'status', status: 429, retryAfter: 'Mon, 23 Nov 2026 10:30:00 GMT' };
    assert.deepEqual(await get(), { kind: 'rate-limited', retryAfterMs: 30 * 60_000 });
    server.script = { kind: 'status', status: 429 };
    assert.deepEqual(await get(), { kind: 'rate-limited', retryAfterMs: undefined });
  });

  it('5xx is a server error', async () => {
    server.script = { kind: 'status', status: 503 };
    assert.deepEqual(await get(), { kind: 'server-error', status: 503 });
  });

  it('a stalled server times out', async () => {
    server.script = { kind: 'stall', ms: 3000 };
    assert.deepEqual(await get(300), { kind: 'timeout' });
  });

  it('a reset connection is a network error that does not carry the token', async () => {
    server.script = { kind: 'reset' };
    const r = await get();
    assert.equal(r.kind, 'network');
    assert.ok(!JSON.stringify(r).includes(TOKEN));
  });

  it('refuses to send the token anywhere but https or loopback', async () => {
    const r = await fetchClaudeUsage({ endpoint: 'http://example.com/api/oauth/usage', token: TOKEN, userAgent: 'x' });
    assert.equal(r.kind, 'refused');
    assert.equal(checkEndpoint('https://api.anthropic.com/api/oauth/usage').ok, true);
    assert.equal(checkEndpoint('http://127.0.0.1:9/x').ok, true);
    assert.equal(checkEndpoint('http://localhost:9/x').ok, true);
    assert.equal(checkEndpoint('http://[::1]:9/x').ok, true);
    assert.equal(checkEndpoint('http://10.0.0.5/x').ok, false);
    assert.equal(checkEndpoint('http://127.0.0.1.evil.com/x').ok, false);
    assert.equal(checkEndpoint('ftp://api.anthropic.com/x').ok, false);
    assert.equal(checkEndpoint('https://user:pw@api.anthropic.com/x').ok, false);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  it('reads seconds, HTTP dates, and nothing', () => {
    assert.equal(parseRetryAfter('3600', now), 3_600_000);
    assert.equal(parseRetryAfter(' 7 ', now), 7000);
    assert.equal(parseRetryAfter('Mon, 23 Nov 2026 10:01:00 GMT', now), 60_000);
    assert.equal(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now), 0); // in the past
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(['30', '60'], now), 30_000);
  });
});
