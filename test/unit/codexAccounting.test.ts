import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { UsageEngine } from '../../src/core/engine';
import { CodexSessionReader } from '../../src/core/codex/session';
import { sessionUsage } from '../../src/core/codex/accounting';
import { requestCost } from '../../src/core/pricing/pricing';
import { PRICES } from '../../src/core/pricing/priceTable';
import { codexEnv, sessionMeta, tmpDir, tokenCount, turnContext, usage, writeLines } from './helpers';

function run(lines: unknown[]): CodexSessionReader {
  const r = new CodexSessionReader();
  lines.forEach((l, i) => {
    const res = r.handle(l, i + 1);
    assert.equal(res.kind, 'ok', JSON.stringify(res));
  });
  return r;
}

const T = (s: number) => new Date(Date.UTC(2026, 9, 5, 12, 0, s)).toISOString();
/** The session's usage, as the engine counts it (one file; its parent's log, when given). */
const usageOf = (r: CodexSessionReader, parent?: CodexSessionReader) =>
  sessionUsage([{ file: 'f', meta: r.meta, observations: r.observations }], parent && [{ file: 'p', meta: parent.meta, observations: parent.observations }]).usage;
const totalOf = (r: CodexSessionReader, parent?: CodexSessionReader) => usageOf(r, parent).reduce((n, u) => n + u.tokens.input + u.tokens.cacheRead + u.tokens.cacheWrite5m + u.tokens.output, 0);

describe('Codex accounting', () => {
  it('counts only changes of total_token_usage: re-emits add nothing', () => {
    const r = run([
      sessionMeta(T(0), 's1'),
      turnContext(T(1), 'gpt-5.4'),
      tokenCount(T(5), usage(1000, 400, 50, 10)),
      tokenCount(T(6), usage(1000, 400, 50, 10)), // re-emit on a rate-limit update
      tokenCount(T(7), usage(1000, 400, 50, 10)),
      tokenCount(T(20), usage(3000, 1400, 80, 10), usage(2000, 1000, 30, 0)),
    ]);
    assert.equal(usageOf(r).length, 2);
    const t = usageOf(r)[1].tokens;
    assert.deepEqual([t.input, t.cacheRead, t.output, t.reasoning], [1000, 1000, 30, 0]);
    assert.equal(totalOf(r), 3080);
  });

  it('splits cached input out of input and keeps reasoning inside output', () => {
    const r = run([sessionMeta(T(0), 's1'), turnContext(T(1), 'gpt-5.4'), tokenCount(T(5), usage(1000, 400, 50, 10))]);
    assert.deepEqual(usageOf(r)[0].tokens, { input: 600, cacheRead: 400, output: 50, reasoning: 10, cacheWrite5m: 0, cacheWrite1h: 0 });
  });

  it('skips events with null info', () => {
    const r = run([sessionMeta(T(0), 's1'), tokenCount(T(1), null), tokenCount(T(2), null, undefined, null)]);
    assert.equal(usageOf(r).length, 0);
  });

  it('treats a drop of the totals as a new segment, never a negative delta', () => {
    const r = run([
      sessionMeta(T(0), 's1'),
      turnContext(T(1), 'gpt-5.4'),
      tokenCount(T(2), usage(5000, 1000, 500)),
      tokenCount(T(3), usage(800, 100, 60), usage(800, 100, 60)), // dropped: a new segment starting with this turn
      tokenCount(T(4), usage(1800, 300, 90), usage(1000, 200, 30)),
    ]);
    assert.equal(usageOf(r).length, 3);
    assert.ok(usageOf(r).every((u) => u.tokens.input >= 0 && u.tokens.output >= 0 && u.tokens.cacheRead >= 0));
    assert.equal(totalOf(r), 5500 + 860 + 1030);
  });

  it('takes the model from the latest turn_context, unknown before any', () => {
    const r = run([
      sessionMeta(T(0), 's1'),
      tokenCount(T(1), usage(10, 0, 1)),
      turnContext(T(2), 'gpt-5.3-codex'),
      tokenCount(T(3), usage(20, 0, 2), usage(10, 0, 1)),
      turnContext(T(4), 'gpt-5.5'),
      tokenCount(T(5), usage(30, 0, 3), usage(10, 0, 1)),
    ]);
    assert.deepEqual(usageOf(r).map((u) => u.model), ['unknown', 'gpt-5.3-codex', 'gpt-5.5']);
  });

  it('does not count a fork’s replayed parent history (accumulator continues from the parent)', () => {
    const parentTotals = usage(90_000, 40_000, 9000, 1000);
    const r = run([
      sessionMeta(T(0), 'child', { forked_from_id: 'parent' }),
      sessionMeta(T(0), 'parent'), // replayed parent meta: ignored
      tokenCount(T(0), parentTotals),
      turnContext(T(1), 'gpt-5.4'),
      tokenCount(T(30), usage(91_000, 40_500, 9100, 1000), usage(1000, 500, 100, 0)),
    ]);
    assert.equal(r.meta.id, 'child');
    assert.equal(usageOf(r).length, 1);
    assert.equal(totalOf(r), 1100);
  });

  it('does not count a fork’s replayed parent history (accumulator restarts at zero)', () => {
    const r = run([
      sessionMeta(T(0), 'child', { forked_from_id: 'parent' }),
      tokenCount(T(1), usage(90_000, 40_000, 9000)),
      turnContext(T(1), 'gpt-5.4'),
      tokenCount(T(30), usage(1000, 500, 100)),
      tokenCount(T(40), usage(1500, 600, 150), usage(500, 100, 50)),
    ]);
    assert.equal(totalOf(r), 1100 + 550);
  });

  it('a fork whose own counter restarts is counted in full, even when its first turn exceeds the replayed totals', () => {
    const r = run([
      sessionMeta(T(0), 'child', { forked_from_id: 'parent' }),
      tokenCount(T(1), usage(17_921, 12_240, 663, 310)), // the parent's replayed totals
      turnContext(T(1), 'gpt-5.4'),
      tokenCount(T(30), usage(30_705, 16_498, 2573, 516)), // larger in every field, yet only this turn
      tokenCount(T(40), usage(37_714, 22_331, 5373, 2977), usage(7009, 5833, 2800, 2461)),
    ]);
    assert.equal(totalOf(r), 30_705 + 2573 + 7009 + 2800);
  });

  it('counts only its own turn when a fork continues the parent’s totals without a replayed event', () => {
    const r = run([
      sessionMeta(T(0), 'child', { forked_from_id: 'parent' }),
      turnContext(T(1), 'gpt-5.4'),
      tokenCount(T(30), usage(91_000, 40_500, 9100), usage(1000, 500, 100)),
    ]);
    assert.equal(totalOf(r), 1100);
  });

  it('does not count a spawned sub-agent’s replayed history', () => {
    const r = run([
      sessionMeta(T(0), 'sub', { source: { subagent: { thread_spawn: { parent_thread_id: 'p', depth: 1 } } } }),
      tokenCount(T(1), usage(50_000, 0, 5000)),
      turnContext(T(1), 'gpt-5.4'),
      tokenCount(T(20), usage(50_700, 0, 5070), usage(700, 0, 70)),
    ]);
    assert.equal(r.meta.spawned, true);
    assert.equal(totalOf(r), 770);
  });

  it('ignores pre-0.32 lines without an envelope', () => {
    const r = run([{ id: 'x', timestamp: '2025-04-20T10:00:00Z', instructions: null }, { type: 'message', role: 'user', content: [] }]);
    assert.equal(usageOf(r).length, 0);
  });

  it('counts a session once when it is both in sessions/ and archived_sessions/', async () => {
    const home = tmpDir();
    const name = 'rollout-2026-10-05T12-00-00-0199a0b1-0000-7000-8000-000000000001.jsonl';
    const lines = [sessionMeta(T(0), '0199a0b1-0000-7000-8000-000000000001'), turnContext(T(1), 'gpt-5.4'), tokenCount(T(2), usage(100, 0, 10))];
    writeLines(path.join(home, 'sessions', '2026', '10', '05', name), lines);
    writeLines(path.join(home, 'archived_sessions', name), lines);
    const e = new UsageEngine({ claudeRoots: [], codexHome: home, sources: ['codex'] });
    await e.scan();
    assert.equal(e.events().length, 1);
    assert.equal(e.events()[0].tokens.input, 100);
  });

  it('matches a fork against its parent’s log: replayed history is not counted, wherever and whenever it was written', () => {
    const parent = run([
      sessionMeta(T(0), 'parent'),
      turnContext(T(1), 'gpt-5.4'),
      tokenCount(T(10), usage(40_000, 10_000, 2000)),
      tokenCount(T(20), usage(90_000, 40_000, 9000), usage(50_000, 30_000, 7000)),
    ]);
    // codex-rs copies the parent's items, turn contexts included, and here 5 s after the start (past any time window).
    const child = run([
      sessionMeta(T(60), 'child', { forked_from_id: 'parent' }),
      sessionMeta(T(65), 'parent'),
      turnContext(T(65), 'gpt-5.4'),
      tokenCount(T(65), usage(40_000, 10_000, 2000)),
      tokenCount(T(65), usage(90_000, 40_000, 9000), usage(50_000, 30_000, 7000)),
      turnContext(T(70), 'gpt-5.5'),
      tokenCount(T(90), usage(91_000, 40_500, 9100), usage(1000, 500, 100)),
    ]);
    assert.deepEqual(usageOf(child, parent).map((u) => [u.timestamp, u.model, u.tokens.input + u.tokens.cacheRead + u.tokens.output]), [[Date.parse(T(90)), 'gpt-5.5', 1100]]);
  });

  it('a fork’s own first turn 1.2 s after its start counts (no time window), continuing or restarting its counter', () => {
    const parent = run([sessionMeta(T(0), 'parent'), turnContext(T(1), 'gpt-5.4'), tokenCount(T(10), usage(20_000, 5000, 1000))]);
    const start = Date.UTC(2026, 9, 5, 12, 1, 0);
    const at = (ms: number) => new Date(start + ms).toISOString();
    const continuing = run([sessionMeta(at(0), 'child', { forked_from_id: 'parent' }), turnContext(at(800), 'gpt-5.4'), tokenCount(at(1200), usage(21_500, 5500, 1100), usage(1500, 500, 100))]);
    assert.deepEqual(usageOf(continuing, parent).map((u) => [u.timestamp, u.tokens.input + u.tokens.cacheRead + u.tokens.output]), [[start + 1200, 1600]]);
    const restarted = run([sessionMeta(at(0), 'child', { forked_from_id: 'parent' }), tokenCount(at(300), usage(20_000, 5000, 1000)), turnContext(at(800), 'gpt-5.4'), tokenCount(at(1200), usage(1500, 500, 100))]);
    assert.equal(totalOf(restarted, parent), 1600);
  });

  it('a session resumed into a new file that starts by replaying its history counts that history once, on its original days', async () => {
    const home = tmpDir();
    const id = '0199a0b1-0000-7000-8000-0000000000aa';
    const day1 = (h: number) => new Date(Date.UTC(2026, 9, 5, h)).toISOString();
    const day3 = (h: number) => new Date(Date.UTC(2026, 9, 7, h)).toISOString();
    writeLines(path.join(home, 'sessions', '2026', '10', '05', `rollout-2026-10-05T10-00-00-${id}.jsonl`), [
      sessionMeta(day1(10), id),
      turnContext(day1(10), 'gpt-5.4'),
      tokenCount(day1(11), usage(1000, 0, 100)),
      tokenCount(day1(12), usage(3000, 1000, 300), usage(2000, 1000, 200)),
    ]);
    // An older client (or a restore) writes a new file: the history again, stamped now, then new turns.
    writeLines(path.join(home, 'sessions', '2026', '10', '07', `rollout-2026-10-07T09-00-00-${id}.jsonl`), [
      sessionMeta(day3(9), id),
      turnContext(day3(9), 'gpt-5.4'),
      tokenCount(day3(9), usage(1000, 0, 100)),
      tokenCount(day3(9), usage(3000, 1000, 300), usage(2000, 1000, 200)),
      tokenCount(day3(10), usage(3500, 1100, 350), usage(500, 100, 50)),
    ]);
    const e = new UsageEngine({ claudeRoots: [], codexHome: home, sources: ['codex'] });
    await e.scan();
    const byDay = new Map<string, number>();
    for (const ev of e.events()) {
      const d = new Date(ev.timestamp).toISOString().slice(0, 10);
      byDay.set(d, (byDay.get(d) ?? 0) + ev.tokens.input + ev.tokens.cacheRead + ev.tokens.output);
    }
    assert.deepEqual(Object.fromEntries(byDay), { '2026-10-05': 1100 + 2200, '2026-10-07': 550 });
    assert.equal(e.threadHints().size, 1);
  });

  it('cache_write_input_tokens is a part of input, reported and priced as a cache write, also when it first appears mid-session', () => {
    const withWrites = (input: number, cached: number, written: number, output: number) => ({ ...usage(input, cached, output), cache_write_input_tokens: written });
    const r = run([
      sessionMeta(T(0), 's1'),
      turnContext(T(1), 'gpt-5.4'),
      tokenCount(T(2), usage(1000, 200, 50)),
      tokenCount(T(3), withWrites(3000, 700, 800, 90), withWrites(2000, 500, 800, 40)),
    ]);
    const u = usageOf(r);
    assert.deepEqual(u[0].tokens, { input: 800, cacheRead: 200, cacheWrite5m: 0, cacheWrite1h: 0, output: 50, reasoning: 0 });
    assert.deepEqual(u[1].tokens, { input: 700, cacheRead: 500, cacheWrite5m: 800, cacheWrite1h: 0, output: 40, reasoning: 0 });
    const cost = requestCost('gpt-5.4', u[1].tokens)!;
    const p = PRICES['gpt-5.4'];
    assert.ok(Math.abs(cost - (700 * p.input + 500 * p.cacheRead + 800 * p.cacheWrite5m + 40 * p.output) / 1e6) < 1e-12);
    assert.ok(p.cacheWrite5m > 0, 'a cache write has a price');
  });

  it('reports malformed envelopes as problems', () => {
    const r = new CodexSessionReader();
    assert.equal(r.handle(codexEnv('not a date', 'event_msg', { type: 'token_count', info: null }), 1).kind, 'problem');
    assert.equal(r.handle(codexEnv(T(1), 'event_msg', { type: 'token_count', info: { total_token_usage: { input_tokens: 'x' } } }), 2).kind, 'problem');
  });
});
