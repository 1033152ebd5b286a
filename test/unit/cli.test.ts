import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CALENDAR_ZONES, CorpusExpectation, generateCorpus } from '../fixtures/corpus/generate';
import { tmpDir } from './helpers';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
let cacheHome: string | undefined;

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  cacheHome ??= tmpDir('agent-usage-cli-cache-');
  try {
    const r = await run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, XDG_CACHE_HOME: cacheHome, ...env }, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const TOKEN_KEYS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens'] as const;
function assertTotals(actual: Record<string, number>, expected: { [K in (typeof TOKEN_KEYS)[number] | "totalCost"]: number }, what: string) {
  for (const k of TOKEN_KEYS) assert.equal(actual[k], expected[k], `${what}: ${k}`);
  assert.ok(Math.abs(actual.totalCost - expected.totalCost) < 1e-6, `${what}: totalCost ${actual.totalCost} != ${expected.totalCost}`);
}

describe('CLI on a generated corpus with every pitfall', function () {
  this.timeout(120_000);
  let exp: CorpusExpectation;
  let dirs: string[];
  let env: NodeJS.ProcessEnv;
  before(async () => {
    const out = path.join(tmpDir('agent-usage-corpus-'), 'corpus');
    exp = await generateCorpus({ out, seed: 7, claudeSessions: 60, codexSessions: 45 });
    dirs = [...exp.claudeRoots.flatMap((r) => ['--claude-dir', r]), '--codex-home', exp.codexHome];
    env = { HOME: path.join(out, 'home') };
  });

  it('daily totals match the expected totals exactly, per source too', async () => {
    const r = await cli(['daily', '--json', '--timezone', 'UTC', ...dirs]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assertTotals(j.totals, exp.totals, 'totals');
    assert.deepEqual(j.totals.unpricedModels, exp.unpricedModels);
    for (const src of ['claude', 'codex'] as const) {
      const sum: Record<string, number> = { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, reasoningTokens: 0, totalTokens: 0, totalCost: 0 };
      for (const d of j.daily) for (const k of Object.keys(sum)) sum[k] += d.sources[src]?.[k] ?? 0;
      assertTotals(sum, exp.bySource[src], src);
    }
    assert.deepEqual(Object.fromEntries(j.daily.map((d: { date: string; totalTokens: number }) => [d.date, d.totalTokens])), exp.byDayUtc);
  });

  it('daily, weekly and monthly equal the expected totals exactly in UTC, in a half-hour zone and across a DST change', async () => {
    for (const zone of CALENDAR_ZONES) {
      const cal = exp.calendar[zone];
      for (const [cmd, key] of [['daily', 'date'], ['weekly', 'week'], ['monthly', 'month']] as const) {
        const r = await cli([cmd, '--json', '--timezone', zone, ...dirs]);
        assert.equal(r.code, 0, r.stderr);
        const rows = JSON.parse(r.stdout)[cmd] as Record<string, unknown>[];
        const got = Object.fromEntries(rows.map((row) => [row[key], row.totalTokens]));
        assert.deepEqual(got, cal[({ daily: 'daily', weekly: 'weekly', monthly: 'monthly' } as const)[cmd]], `${cmd} in ${zone}`);
      }
    }
    // The zones really differ from UTC on this corpus (else the check above proves nothing).
    assert.notDeepEqual(exp.calendar['Asia/Kolkata'].daily, exp.calendar.UTC.daily);
    assert.notDeepEqual(exp.calendar['Europe/Berlin'].daily, exp.calendar.UTC.daily);
  });

  it('the session report credits every request to the session that made it (resumed copies, replays, forks)', async () => {
    const r = await cli(['session', '--json', '--timezone', 'UTC', ...dirs]);
    const got = Object.fromEntries((JSON.parse(r.stdout).sessions as { source: string; sessionId: string; totalTokens: number }[]).map((x) => [`${x.source}:${x.sessionId}`, x.totalTokens]).sort());
    assert.deepEqual(got, exp.sessionTokens);
  });

  it('finds the same logs through HOME discovery as through explicit folders', async () => {
    const r = await cli(['monthly', '--json', '--timezone', 'UTC'], env);
    assert.equal(r.code, 0, r.stderr);
    assertTotals(JSON.parse(r.stdout).totals, exp.totals, 'monthly via HOME');
  });

  it('weekly, monthly and session reports add up to the same totals', async () => {
    for (const cmd of ['weekly', 'monthly', 'session']) {
      const r = await cli([cmd, '--json', '--timezone', 'Asia/Tokyo', ...dirs]);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assertTotals(j.totals, exp.totals, cmd);
      if (cmd === 'session') {
        assert.equal(j.sessions.filter((s: { source: string }) => s.source === 'claude').length, exp.sessions.claude);
        assert.equal(j.sessions.filter((s: { source: string }) => s.source === 'codex').length, exp.sessions.codex);
        for (const s of j.sessions) {
          assert.ok(['exact', 'derived'].includes(s.repoConfidence));
          assert.ok(s.repo && s.firstActivity <= s.lastActivity);
        }
      } else {
        const key = cmd === 'weekly' ? 'week' : 'month';
        assert.ok(j[cmd].every((row: Record<string, string>) => typeof row[key] === 'string'));
      }
    }
  });

  it('blocks add up to the totals', async () => {
    const r = await cli(['blocks', '--json', ...dirs]);
    const blocks = JSON.parse(r.stdout).blocks as { totalTokens: number }[];
    assert.equal(blocks.reduce((n, b) => n + b.totalTokens, 0), exp.totals.totalTokens);
  });

  it('limits give the latest Codex windows', async () => {
    const r = await cli(['limits', '--json', ...dirs]);
    const j = JSON.parse(r.stdout);
    assert.equal(j.claude.status, 'no-token', 'the corpus has no Claude login');
    assert.equal(j.claude.fiveHour, null);
    for (const w of ['fiveHour', 'weekly'] as const) {
      const e = exp.codexLimits[w]!;
      assert.equal(j.codex[w].observedPercent, e.percent, w);
      assert.equal(j.codex[w].observedAt, new Date(e.observedAt).toISOString());
      assert.ok(Math.abs(Date.parse(j.codex[w].resetsAt) - e.resetsAt) < 1000, w);
      assert.equal(j.codex[w].hasReset, true); // the corpus is in the past
      assert.equal(j.codex[w].percent, 0);
    }
    // A model's own limits, mixed into the same rollouts: windows of their own, never the main meter.
    const own = Object.keys(exp.codexLimits).filter((n) => n.includes(':')).sort();
    assert.deepEqual(own, ['fiveHour:codex_gpt-5.3-codex-spark', 'weekly:codex_gpt-5.3-codex-spark']);
    for (const n of own) {
      assert.equal(j.codex.other[n].observedPercent, exp.codexLimits[n]!.percent, n);
      assert.equal(j.codex.other[n].label, n.startsWith('weekly') ? 'Weekly · GPT-5.3-Codex-Spark' : '5-hour · GPT-5.3-Codex-Spark');
    }
    assert.equal(j.codex.windows.length, 4);
  });

  it('--since/--until are inclusive local dates; --source filters', async () => {
    const days = Object.keys(exp.byDayUtc);
    const [since, until] = [days[1], days[2]];
    const r = await cli(['daily', '--json', '--timezone', 'UTC', '--since', since, '--until', until.replace(/-/g, ''), ...dirs]);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.daily.map((d: { date: string }) => d.date), [since, until]);
    assert.equal(j.totals.totalTokens, exp.byDayUtc[since] + exp.byDayUtc[until]);
    const c = JSON.parse((await cli(['daily', '--json', '--source', 'codex', ...dirs])).stdout);
    assertTotals(c.totals, exp.bySource.codex, 'codex only');
  });

  it('reports the malformed lines on stderr, one line, and lists them with --verbose', async () => {
    const r = await cli(['daily', ...dirs]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, new RegExp(`skipped ${exp.malformedLines} unusable line`));
    assert.match(r.stdout, /Total/);
    const v = await cli(['daily', '--verbose', ...dirs]);
    assert.equal(v.stderr.trim().split('\n').length, 1 + exp.malformedLines);
  });

  it('prints tables with a per-model breakdown', async () => {
    const r = await cli(['daily', '--breakdown', '--timezone', 'UTC', ...dirs]);
    assert.match(r.stdout, /└ claude-/);
    assert.match(r.stdout, /\* no price for: claude-nimbus-9/);
  });
});

describe('CLI limits with a Claude login (loopback usage endpoint)', () => {
  it('fetches the official windows once per interval and shows them beside Codex', async () => {
    const { createFixtureHome } = await import('../fixtures/home');
    const { FakeUsageServer } = await import('../harness/usageServer');
    const fx = createFixtureHome(path.join(tmpDir(), 'fx'));
    const server = new FakeUsageServer();
    const endpoint = await server.start();
    try {
      server.script = { kind: 'ok', fiveHour: 63, sevenDay: 41 };
      const env = { HOME: fx.home, AGENT_USAGE_CLAUDE_ENDPOINT: endpoint, XDG_CACHE_HOME: path.join(fx.root, 'cache') };
      const r = await cli(['limits', '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.claude.status, 'ok');
      assert.equal(j.claude.fiveHour.percent, 63);
      assert.equal(j.claude.weekly.percent, 41);
      // Pace: the 5-hour window resets in 2h 15m (55% of it gone) at 63% used; the weekly in 4 days (3/7 gone) at 41%.
      assert.equal(j.claude.fiveHour.pace.status, 'ahead');
      assert.ok(Math.abs(j.claude.fiveHour.pace.delta - 8) <= 0.2, String(j.claude.fiveHour.pace.delta));
      assert.equal(j.claude.weekly.pace.status, 'on');
      assert.ok(Math.abs(j.claude.weekly.pace.elapsedPercent - 42.9) <= 0.2);
      assert.equal(j.codex.fiveHour.percent, fx.expected.codex.fiveHour);
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0].authorization, `Bearer ${fx.token}`);
      const again = await cli(['limits'], env);
      assert.match(again.stdout, /Claude 5-hour\s+63%\s+8 pts ahead of pace/);
      assert.equal(server.requests.length, 1, 'served from the cache within the interval');
      assert.ok(!again.stdout.includes(fx.token) && !again.stderr.includes(fx.token));
      const none = await cli(['limits', '--json', '--no-fetch'], { ...env, XDG_CACHE_HOME: path.join(fx.root, 'cache2') });
      assert.equal(JSON.parse(none.stdout).claude.status, 'disabled');
      assert.equal(server.requests.length, 1);
    } finally {
      await server.stop();
    }
  });
});

describe('CLI edge cases', () => {
  it('gives an empty report and a note for a folder without logs (exit 0)', async () => {
    const d = tmpDir();
    const r = await cli(['daily', '--json', '--claude-dir', path.join(d, 'none'), '--codex-home', path.join(d, 'none2')]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).daily, []);
    assert.equal(JSON.parse(r.stdout).totals.totalTokens, 0);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /no .* logs found/);
  });

  it('answers a bad option with usage and exit 2', async () => {
    for (const args of [['--nope'], ['daily', '--since', '2026-13-01'], ['--timezone', 'Mars/Base'], ['--source', 'gemini'], ['fortnightly'], ['--since']]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /Usage: agent-usage/);
      assert.equal(r.stdout, '');
    }
  });

  it('prints help with exit 0', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: agent-usage/);
  });
});
