import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { UsageEngine } from '../../src/core/engine';
import { CodexSessionReader } from '../../src/core/codex/session';
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
const totalOf = (r: CodexSessionReader) => r.usage.reduce((n, u) => n + u.tokens.input + u.tokens.cacheRead + u.tokens.output, 0);

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
    assert.equal(r.usage.length, 2);
    const t = r.usage[1].tokens;
    assert.deepEqual([t.input, t.cacheRead, t.output, t.reasoning], [1000, 1000, 30, 0]);
    assert.equal(totalOf(r), 3080);
  });

  it('splits cached input out of input and keeps reasoning inside output', () => {
    const r = run([sessionMeta(T(0), 's1'), turnContext(T(1), 'gpt-5.4'), tokenCount(T(5), usage(1000, 400, 50, 10))]);
    assert.deepEqual(r.usage[0].tokens, { input: 600, cacheRead: 400, output: 50, reasoning: 10, cacheWrite5m: 0, cacheWrite1h: 0 });
  });

  it('skips events with null info', () => {
    const r = run([sessionMeta(T(0), 's1'), tokenCount(T(1), null), tokenCount(T(2), null, undefined, null)]);
    assert.equal(r.usage.length, 0);
  });

  it('treats a drop of the totals as a new segment, never a negative delta', () => {
    const r = run([
      sessionMeta(T(0), 's1'),
      turnContext(T(1), 'gpt-5.4'),
      tokenCount(T(2), usage(5000, 1000, 500)),
      tokenCount(T(3), usage(800, 100, 60), usage(800, 100, 60)), // dropped: a new segment starting with this turn
      tokenCount(T(4), usage(1800, 300, 90), usage(1000, 200, 30)),
    ]);
    assert.equal(r.usage.length, 3);
    assert.ok(r.usage.every((u) => u.tokens.input >= 0 && u.tokens.output >= 0 && u.tokens.cacheRead >= 0));
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
    assert.deepEqual(r.usage.map((u) => u.model), ['unknown', 'gpt-5.3-codex', 'gpt-5.5']);
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
    assert.equal(r.usage.length, 1);
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
    assert.equal(r.usage.length, 0);
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

  it('reports malformed envelopes as problems', () => {
    const r = new CodexSessionReader();
    assert.equal(r.handle(codexEnv('not a date', 'event_msg', { type: 'token_count', info: null }), 1).kind, 'problem');
    assert.equal(r.handle(codexEnv(T(1), 'event_msg', { type: 'token_count', info: { total_token_usage: { input_tokens: 'x' } } }), 2).kind, 'problem');
  });
});
