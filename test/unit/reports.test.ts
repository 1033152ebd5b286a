import * as assert from 'node:assert/strict';
import { UsageEvent } from '../../src/core/events';
import { blocksReport } from '../../src/core/reports/blocks';
import { periodReport } from '../../src/core/reports/periods';
import { TokenCounts } from '../../src/core/tokens';

const tk = (input: number, output: number, extra: Partial<TokenCounts> = {}): TokenCounts => ({ input, output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, ...extra });
let seq = 0;
const ev = (iso: string, t: TokenCounts, o: Partial<UsageEvent> = {}): UsageEvent => ({
  id: `e${++seq}`,
  source: 'claude',
  timestamp: Date.parse(iso),
  sessionId: 's',
  model: 'claude-sonnet-4-6',
  tokens: t,
  cost: 1,
  costFromLog: false,
  ...o,
});

describe('reports', () => {
  const events = [
    ev('2026-10-05T22:30:00Z', tk(10, 1)),
    ev('2026-10-05T23:30:00Z', tk(20, 2), { source: 'codex', model: 'gpt-5.4', cost: 2, tokens: tk(20, 2, { cacheRead: 5, reasoning: 1 }) }),
    ev('2026-10-06T10:00:00Z', tk(40, 4), { model: 'claude-nimbus-9', cost: undefined }),
    ev('2026-10-12T10:00:00Z', tk(80, 8)),
  ];

  it('groups days in the requested zone', () => {
    const utc = periodReport(events, 'daily', { timezone: 'UTC' });
    assert.deepEqual(utc.rows.map((r) => [r.date, r.totalTokens]), [['2026-10-05', 38], ['2026-10-06', 44], ['2026-10-12', 88]]);
    const berlin = periodReport(events, 'daily', { timezone: 'Europe/Berlin' }); // +2h: the 22:30Z entry is the 6th
    assert.deepEqual(berlin.rows.map((r) => [r.date, r.totalTokens]), [['2026-10-06', 82], ['2026-10-12', 88]]);
  });

  it('reports ccusage field names, per-model breakdowns, per-source totals and unpriced models', () => {
    const r = periodReport(events, 'daily', { timezone: 'UTC' });
    const d = r.rows[0];
    assert.deepEqual(Object.keys(d).slice(0, 1), ['date']);
    assert.equal(d.inputTokens, 30);
    assert.equal(d.cacheReadTokens, 5);
    assert.equal(d.reasoningTokens, 1);
    assert.equal(d.totalTokens, 38); // reasoning is inside output, not added
    assert.equal(d.totalCost, 3);
    assert.deepEqual(d.modelsUsed, ['claude-sonnet-4-6', 'gpt-5.4']);
    assert.deepEqual(d.modelBreakdowns.map((m) => [m.modelName, m.cost]), [['gpt-5.4', 2], ['claude-sonnet-4-6', 1]]);
    assert.equal(d.sources.codex?.totalTokens, 27);
    assert.equal(d.sources.claude?.totalTokens, 11);
    assert.deepEqual(r.rows[1].unpricedModels, ['claude-nimbus-9']);
    assert.deepEqual(r.totals.unpricedModels, ['claude-nimbus-9']);
    assert.equal(r.totals.totalCost, 4);
    assert.equal(r.totals.totalTokens, 38 + 44 + 88);
  });

  it('groups weeks by their first day and months by local month', () => {
    const w = periodReport(events, 'weekly', { timezone: 'UTC' });
    assert.deepEqual(w.rows.map((r) => [r.week, r.totalTokens]), [['2026-10-05', 82], ['2026-10-12', 88]]);
    const ws = periodReport(events, 'weekly', { timezone: 'UTC', weekStartsOn: 'sunday' });
    assert.deepEqual(ws.rows.map((r) => r.week), ['2026-10-04', '2026-10-11']);
    const m = periodReport(events, 'monthly', { timezone: 'UTC' });
    assert.deepEqual(m.rows.map((r) => [r.month, r.totalTokens]), [['2026-10', 170]]);
  });

  it('filters by inclusive local dates and by source', () => {
    const r = periodReport(events, 'daily', { timezone: 'UTC', since: '2026-10-06', until: '2026-10-06' });
    assert.deepEqual(r.rows.map((x) => x.date), ['2026-10-06']);
    const c = periodReport(events, 'daily', { timezone: 'UTC', source: 'codex' });
    assert.equal(c.totals.totalTokens, 27);
  });

  describe('5-hour blocks', () => {
    const bevents = [
      ev('2026-10-05T10:17:00Z', tk(100, 0)),
      ev('2026-10-05T11:17:00Z', tk(100, 0)),
      ev('2026-10-05T14:59:00Z', tk(100, 0)), // still in the 10:00 block
      ev('2026-10-05T15:00:00Z', tk(100, 0)), // 5 h after the block start: new block at 15:00
      ev('2026-10-06T02:00:00Z', tk(100, 0)), // after a gap of more than 5 h
    ];
    it('floors the start to the hour, splits at 5 h from the start and after a 5 h gap', () => {
      const b = blocksReport(bevents, { timezone: 'UTC' }, Date.parse('2026-11-01T00:00:00Z'));
      assert.deepEqual(b.map((x) => [x.startTime, x.entries]), [
        ['2026-10-05T10:00:00.000Z', 3],
        ['2026-10-05T15:00:00.000Z', 1],
        ['2026-10-06T02:00:00.000Z', 1],
      ]);
      assert.equal(b[0].endTime, '2026-10-05T15:00:00.000Z');
      assert.ok(b.every((x) => !x.isActive && x.projection === null));
    });

    it('gives the burn rate and projects the active block to its end', () => {
      const now = Date.parse('2026-10-05T12:17:00Z');
      const b = blocksReport(bevents.slice(0, 2), { timezone: 'UTC' }, now);
      assert.equal(b.length, 1);
      assert.equal(b[0].isActive, true);
      assert.deepEqual(b[0].burnRate, { tokensPerMinute: 200 / 60, costPerHour: 2 });
      // 163 minutes remain until 15:00: 200 + 163 * 200/60
      assert.equal(b[0].projection?.remainingMinutes, 163);
      assert.equal(b[0].projection?.totalTokens, Math.round(200 + (163 * 200) / 60));
    });

    it('keeps sources in separate blocks', () => {
      const b = blocksReport([ev('2026-10-05T10:00:00Z', tk(1, 1)), ev('2026-10-05T10:30:00Z', tk(1, 1), { source: 'codex' })], { timezone: 'UTC' }, 0);
      assert.deepEqual(b.map((x) => x.source), ['claude', 'codex']);
    });
  });
});

describe('repository report', () => {
  it('groups threads by repository with their totals, latest first', async () => {
    const { sessionReport } = await import('../../src/core/reports/sessions');
    const { repositoryReport } = await import('../../src/core/reports/repositories');
    const { RepoResolver } = await import('../../src/core/attribution');
    const mk = (id: string, src: 'claude' | 'codex', iso: string, n: number): UsageEvent => ({ id: `${src}:${id}`, source: src, timestamp: Date.parse(iso), sessionId: id, model: 'gpt-5.4', tokens: tk(n, 0), cost: n / 100, costFromLog: false });
    const events = [mk('a', 'claude', '2026-10-01T00:00:00Z', 100), mk('b', 'codex', '2026-10-03T00:00:00Z', 50), mk('c', 'claude', '2026-10-02T00:00:00Z', 7)];
    const hints = new Map([
      ['claude:a', { source: 'claude' as const, sessionId: 'a', file: '/l/a.jsonl', cwd: '/nowhere/x' }],
      ['codex:b', { source: 'codex' as const, sessionId: 'b', file: '/l/b.jsonl', cwd: '/elsewhere', repositoryUrl: 'https://github.com/acme/x.git' }],
      ['claude:c', { source: 'claude' as const, sessionId: 'c', file: '/l/c.jsonl', cwd: '/nowhere/x' }],
    ]);
    const s = await sessionReport(events, hints, { timezone: 'UTC' }, new RepoResolver());
    const r = repositoryReport(s.sessions);
    assert.deepEqual(r.map((x) => [x.repo, x.threads.length, x.totalTokens, x.repoConfidence]), [
      ['acme/x', 1, 50, 'exact'],
      ['x', 2, 107, 'derived'],
    ]);
    assert.equal(r[1].lastActivity, '2026-10-02T00:00:00.000Z');
    assert.ok(Math.abs(r[1].totalCost - 1.07) < 1e-9);
  });
});

describe('weekly and monthly rolled up from daily rows', () => {
  it('equal the reports computed from the events', async () => {
    const path = await import('node:path');
    const { generateCorpus } = await import('../fixtures/corpus/generate');
    const { UsageEngine } = await import('../../src/core/engine');
    const { rollUp } = await import('../../src/core/reports/periods');
    const { weekStartOf } = await import('../../src/core/time');
    const { tmpDir } = await import('./helpers');
    const exp = await generateCorpus({ out: path.join(tmpDir(), 'c'), seed: 21, claudeSessions: 30, codexSessions: 20, spanDays: 70 });
    const e = new UsageEngine({ claudeRoots: exp.claudeRoots, codexHome: exp.codexHome });
    await e.scan();
    const o = { timezone: 'America/Los_Angeles', weekStartsOn: 'sunday' as const };
    const daily = periodReport(e.events(), 'daily', o).rows;
    const same = (a: PeriodRowLike[], b: PeriodRowLike[], key: string) => {
      assert.deepEqual(a.map((r) => r[key]), b.map((r) => r[key]));
      a.forEach((r, i) => {
        for (const k of ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens']) assert.equal(r[k], b[i][k], `${r[key]} ${k}`);
        assert.ok(Math.abs((r.totalCost as number) - (b[i].totalCost as number)) < 1e-9);
        assert.deepEqual(r.modelsUsed, b[i].modelsUsed);
        assert.deepEqual((r.modelBreakdowns as { modelName: string; totalTokens?: number; inputTokens: number }[]).map((m) => [m.modelName, m.inputTokens]).sort(), (b[i].modelBreakdowns as { modelName: string; inputTokens: number }[]).map((m) => [m.modelName, m.inputTokens]).sort());
        assert.deepEqual(Object.keys(r.sources as object).sort(), Object.keys(b[i].sources as object).sort());
      });
    };
    same(rollUp(daily, 'week', (d) => weekStartOf(d, 0)) as unknown as PeriodRowLike[], periodReport(e.events(), 'weekly', o).rows as unknown as PeriodRowLike[], 'week');
    same(rollUp(daily, 'month', (d) => d.slice(0, 7)) as unknown as PeriodRowLike[], periodReport(e.events(), 'monthly', o).rows as unknown as PeriodRowLike[], 'month');
  });
});

type PeriodRowLike = Record<string, unknown>;
