import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { UsageEngine } from '../../src/core/engine';
import { claudeLine, tmpDir, writeLines } from './helpers';

async function engineFor(root: string): Promise<UsageEngine> {
  const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
  await e.scan();
  return e;
}

const sum = (e: UsageEngine, f: (t: { input: number; output: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number }) => number) =>
  e.events().reduce((n, ev) => n + f(ev.tokens), 0);

describe('Claude accounting', () => {
  it('keeps the largest streaming copy of message.id:requestId (not the first)', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 's.jsonl');
    writeLines(f, [
      claudeLine({ id: 'm1', usage: { input_tokens: 5, output_tokens: 1 } }),
      claudeLine({ id: 'm1', usage: { input_tokens: 5, output_tokens: 1 } }),
      claudeLine({ id: 'm1', usage: { input_tokens: 5, output_tokens: 1130 } }),
    ]);
    const e = await engineFor(root);
    assert.equal(e.events().length, 1);
    assert.equal(sum(e, (t) => t.output), 1130);
    assert.equal(sum(e, (t) => t.input), 5);
  });

  it('dedupes across files: a resumed session copying history counts it once', async () => {
    const root = tmpDir();
    const a = claudeLine({ id: 'm1', usage: { input_tokens: 10, output_tokens: 100 } });
    const b = claudeLine({ id: 'm2', usage: { input_tokens: 20, output_tokens: 200 } });
    writeLines(path.join(root, 'projects', 'p', 'old.jsonl'), [a, b]);
    writeLines(path.join(root, 'projects', 'p', 'new.jsonl'), [a, b, claudeLine({ id: 'm3', sessionId: 'sess-2', usage: { input_tokens: 1, output_tokens: 2 } })]);
    const e = await engineFor(root);
    assert.equal(e.events().length, 3);
    assert.equal(sum(e, (t) => t.output), 302);
  });

  it('credits a resumed session’s copies of earlier messages to the session that wrote them, whichever path sorts first', async () => {
    const root = tmpDir();
    const dir = path.join(root, 'projects', 'p');
    const ts = (m: number) => new Date(Date.UTC(2026, 9, 5, 12, m)).toISOString();
    // The original session "zzz" (its path sorts last) and a resumed copy "aaa" that re-labels the copied lines.
    const original = [claudeLine({ id: 'm1', sessionId: 'zzz', ts: ts(0), usage: { input_tokens: 10, output_tokens: 1 } }), claudeLine({ id: 'm1', sessionId: 'zzz', ts: ts(0), usage: { input_tokens: 10, output_tokens: 90 } }), claudeLine({ id: 'm2', sessionId: 'zzz', ts: ts(5), usage: { input_tokens: 10, output_tokens: 40 } })];
    writeLines(path.join(dir, 'zzz.jsonl'), original);
    writeLines(path.join(dir, 'aaa.jsonl'), [
      claudeLine({ id: 'm1', sessionId: 'aaa', ts: ts(0), usage: { input_tokens: 10, output_tokens: 90 } }),
      claudeLine({ id: 'm2', sessionId: 'aaa', ts: ts(5), usage: { input_tokens: 10, output_tokens: 40 } }),
      claudeLine({ id: 'm3', sessionId: 'aaa', ts: ts(60), usage: { input_tokens: 10, output_tokens: 7 } }),
    ]);
    const e = await engineFor(root);
    const bySession = new Map<string, number>();
    for (const ev of e.events()) bySession.set(ev.sessionId, (bySession.get(ev.sessionId) ?? 0) + ev.tokens.input + ev.tokens.output);
    assert.deepEqual(Object.fromEntries(bySession), { zzz: 100 + 50, aaa: 17 });
    // The largest copy's tokens, wherever it is: here the resumed copy has the final streaming line of m1 only.
    assert.equal(sum(e, (t) => t.output), 90 + 40 + 7);
  });

  it('falls back to message.id when requestId is missing', async () => {
    const root = tmpDir();
    writeLines(path.join(root, 'projects', 'p', 's.jsonl'), [
      claudeLine({ id: 'm1', req: null, usage: { input_tokens: 1, output_tokens: 1 } }),
      claudeLine({ id: 'm1', req: null, usage: { input_tokens: 1, output_tokens: 50 } }),
    ]);
    const e = await engineFor(root);
    assert.equal(e.events().length, 1);
    assert.equal(sum(e, (t) => t.output), 50);
  });

  it('drops /btw sidechain replays of a message that has a non-sidechain copy', async () => {
    const root = tmpDir();
    writeLines(path.join(root, 'projects', 'p', 's.jsonl'), [
      claudeLine({ id: 'm1', req: 'r1', usage: { input_tokens: 10, output_tokens: 40 } }),
      claudeLine({ id: 'm1', req: 'r-btw', sidechain: true, usage: { input_tokens: 10, output_tokens: 40 } }),
      claudeLine({ id: 'm2', req: 'r2', sidechain: true, usage: { input_tokens: 3, output_tokens: 4 } }), // a real sidechain message
    ]);
    const e = await engineFor(root);
    assert.equal(e.events().length, 2);
    assert.equal(sum(e, (t) => t.output), 44);
  });

  it('counts sub-agent transcripts under <session>/subagents/', async () => {
    const root = tmpDir();
    writeLines(path.join(root, 'projects', 'p', 's.jsonl'), [claudeLine({ id: 'm1', usage: { input_tokens: 1, output_tokens: 10 } })]);
    writeLines(path.join(root, 'projects', 'p', 's', 'subagents', 'agent-a1.jsonl'), [
      claudeLine({ id: 'm9', sidechain: true, usage: { input_tokens: 2, output_tokens: 20 } }),
    ]);
    const e = await engineFor(root);
    assert.equal(sum(e, (t) => t.output), 30);
  });

  it('skips <synthetic> and API error lines', async () => {
    const root = tmpDir();
    writeLines(path.join(root, 'projects', 'p', 's.jsonl'), [
      claudeLine({ id: 'm1', usage: { input_tokens: 1, output_tokens: 1 } }),
      claudeLine({ id: 'm2', model: '<synthetic>', usage: { input_tokens: 100, output_tokens: 100 } }),
      claudeLine({ id: 'm3', apiError: true, usage: { input_tokens: 100, output_tokens: 100 } }),
    ]);
    const e = await engineFor(root);
    assert.equal(e.events().length, 1);
    assert.equal(sum(e, (t) => t.input + t.output), 2);
  });

  it('splits cache writes into 5m and 1h from the ephemeral breakdown, even when the flat field says 0', async () => {
    const root = tmpDir();
    writeLines(path.join(root, 'projects', 'p', 's.jsonl'), [
      claudeLine({ id: 'm1', usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 300, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 } } }),
      // before 2.1.152: flat 0, breakdown not
      claudeLine({ id: 'm2', usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 50 } } }),
      // no breakdown at all: the flat field, as 5m writes
      claudeLine({ id: 'm3', usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 70, cache_read_input_tokens: 9 } }),
    ]);
    const e = await engineFor(root);
    assert.equal(sum(e, (t) => t.cacheWrite5m), 170);
    assert.equal(sum(e, (t) => t.cacheWrite1h), 250);
    assert.equal(sum(e, (t) => t.cacheRead), 9);
  });

  it('uses costUSD written by old Claude Code versions', async () => {
    const root = tmpDir();
    writeLines(path.join(root, 'projects', 'p', 's.jsonl'), [
      claudeLine({ id: 'm1', model: 'claude-opus-4-20250514', costUSD: 0.1234, usage: { input_tokens: 1000, output_tokens: 1000 } }),
    ]);
    const e = await engineFor(root);
    assert.equal(e.events()[0].cost, 0.1234);
    assert.equal(e.events()[0].costFromLog, true);
  });

  it('records malformed lines per file with line number and reason, without throwing', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 's.jsonl');
    writeLines(f, [
      claudeLine({ id: 'm1', usage: { input_tokens: 1, output_tokens: 1 } }),
      '{"type":"assistant","message":{"usage":{"input_tokens":1,',
      claudeLine({ id: 'm2', usage: { input_tokens: -4, output_tokens: 1 } }),
      '{"type":"user","message":{"content":"what is my usage"}}',
      claudeLine({ id: 'm3', usage: { input_tokens: 2, output_tokens: 2 } }),
    ]);
    const e = await engineFor(root);
    assert.equal(e.events().length, 2);
    const d = e.diagnostics();
    assert.equal(d.length, 1);
    assert.equal(d[0].file, f);
    assert.equal(d[0].problemCount, 2);
    assert.deepEqual(d[0].problems.map((p) => p.line), [2, 3]);
    assert.match(d[0].problems[0].reason, /invalid JSON/);
    assert.match(d[0].problems[1].reason, /input_tokens/);
  });
});
