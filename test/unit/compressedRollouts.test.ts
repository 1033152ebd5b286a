import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverLogFiles } from '../../src/core/discovery';
import { UsageEngine } from '../../src/core/engine';
import { EngineIndex } from '../../src/core/persist/engineIndex';
import { totalTokens } from '../../src/core/tokens';
import { LogWatcher } from '../../src/core/live/logWatcher';
import { zstdCompress } from '../fixtures/zstd';
import { rssGrowth, sessionMeta, tmpDir, tokenCount, turnContext, usage } from './helpers';

const ID = '0199a0b1-0000-7000-8000-0000000000cc';
const NAME = `rollout-2026-10-05T12-00-00-${ID}.jsonl`;
const T = (s: number) => new Date(Date.UTC(2026, 9, 5, 12, 0, s)).toISOString();
const rl = (p: number) => ({ limit_id: 'codex', primary: { used_percent: p, window_minutes: 300, resets_at: Math.floor(Date.UTC(2026, 9, 5, 16) / 1000) }, secondary: null });

/** A rollout of `turns` turns of 1,100 tokens each (1,000 input, 100 output), as JSONL text. */
function rollout(turns: number, from = 0): string {
  const lines: unknown[] = from === 0 ? [sessionMeta(T(0), ID), turnContext(T(1), 'gpt-5.4')] : [];
  for (let t = from; t < from + turns; t++) lines.push(tokenCount(T(10 + t), usage(1000 * (t + 1), 0, 100 * (t + 1)), usage(1000, 0, 100), rl(10 + t)));
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

const total = (e: UsageEngine) => e.events().reduce((n, ev) => n + totalTokens(ev.tokens), 0);

async function until(what: string, probe: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!probe()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function setup(): { home: string; dir: string; plain: string; zst: string; engine: UsageEngine } {
  const home = tmpDir();
  const dir = path.join(home, 'archived_sessions');
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(home, 'sessions'), { recursive: true });
  const plain = path.join(dir, NAME);
  return { home, dir, plain, zst: `${plain}.zst`, engine: new UsageEngine({ claudeRoots: [], codexHome: home, sources: ['codex'] }) };
}

describe('compressed Codex rollouts (.jsonl.zst)', function () {
  this.timeout(60_000);

  it('reads a rollout present only as .jsonl.zst: its usage, its limits, its thread', async () => {
    const { zst, engine } = setup();
    fs.writeFileSync(zst, await zstdCompress(rollout(3)));
    const s = await engine.scan();
    assert.equal(s.files, 1);
    assert.equal(total(engine), 3300);
    assert.equal(engine.codexLimits().get('fiveHour')?.percent, 12);
    const h = engine.threadHints().get(`codex:${ID}`);
    assert.equal(h?.file, zst);
    assert.equal(h?.logDeleted, false);
    assert.equal((await engine.scan()).bytesRead, 0, 'unchanged: one stat, nothing decompressed');
  });

  it('a plain file hides its .zst sibling (both exist while codex-rs compresses)', async () => {
    const { home, plain, zst, engine } = setup();
    fs.writeFileSync(plain, rollout(2));
    fs.writeFileSync(zst, await zstdCompress(rollout(2)));
    assert.deepEqual((await discoverLogFiles({ claudeRoots: [], codexHome: home, sources: ['codex'] })).map((f) => f.path), [plain]);
    await engine.scan();
    assert.equal(total(engine), 2200);
  });

  it('plain, then compressed while watched: counted once, nothing lost, and what was appended before the compression counts', async () => {
    const { home, dir, plain, zst, engine } = setup();
    fs.writeFileSync(plain, rollout(2));
    await engine.scan();
    assert.equal(total(engine), 2200);
    const w = new LogWatcher([path.join(home, 'sessions'), dir], { onBatch: (c, r) => void engine.updatePaths([...r, ...c]), onError: (e) => assert.fail(e) });
    w.start();
    try {
      await new Promise((r) => setTimeout(r, 300));
      // A last turn lands, and the archive is compressed at once (level 3), the plain file removed.
      const full = rollout(2) + rollout(1, 2);
      fs.writeFileSync(zst, await zstdCompress(full));
      fs.rmSync(plain);
      await until('the compressed representation', () => engine.threadHints().get(`codex:${ID}`)?.file === zst);
      await until('the last turn', () => total(engine) === 3300);
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(total(engine), 3300, 'never twice');
      assert.equal(engine.counts().retained, 0, 'the same log, not a deleted one');
      assert.equal(engine.threadHints().get(`codex:${ID}`)?.logDeleted, false);
    } finally {
      w.dispose();
    }
  });

  it('a .zst decompressed back by a resume continues where it was', async () => {
    const { plain, zst, engine } = setup();
    fs.writeFileSync(zst, await zstdCompress(rollout(3)));
    await engine.scan();
    assert.equal(total(engine), 3300);
    // Resume: the plain file is written back, the .zst removed, then the session goes on.
    fs.writeFileSync(plain, rollout(3));
    fs.rmSync(zst);
    assert.equal(await engine.updatePaths([zst, plain]), false, 'the same content: nothing changed');
    assert.equal(total(engine), 3300);
    fs.appendFileSync(plain, rollout(1, 3));
    await engine.updateFile(plain);
    assert.equal(total(engine), 4400);
    assert.equal(engine.counts().retained, 0);
    assert.equal(engine.threadHints().get(`codex:${ID}`)?.file, plain);
  });

  it('the persistent index knows both names: restored, then the log compressed, nothing is read twice', async () => {
    const { home, plain, zst, engine } = setup();
    fs.writeFileSync(plain, rollout(2));
    await engine.scan();
    const file = path.join(tmpDir(), 'index.gz');
    await new EngineIndex(file, engine).save();
    fs.writeFileSync(zst, await zstdCompress(rollout(2)));
    fs.rmSync(plain);
    const again = new UsageEngine({ claudeRoots: [], codexHome: home, sources: ['codex'] });
    assert.equal((await new EngineIndex(file, again).load()).kind, 'loaded');
    await again.scan();
    assert.equal(total(again), 2200);
    assert.equal(again.counts().retained, 0);
    await new EngineIndex(file, again).save();
    const third = new UsageEngine({ claudeRoots: [], codexHome: home, sources: ['codex'] });
    await new EngineIndex(file, third).load();
    assert.equal((await third.scan()).bytesRead, 0, 'the .zst is known by the index: one stat');
    assert.equal(total(third), 2200);
  });

  it('a .zst cut short: what decoded counts and the file is reported; once whole, the rest counts, nothing twice', async () => {
    const { zst, engine } = setup();
    const whole = await zstdCompress(rollout(40));
    fs.writeFileSync(zst, whole.subarray(0, Math.floor(whole.length / 2)));
    await engine.scan();
    const partial = total(engine);
    assert.ok(partial < 44_000);
    assert.match(engine.diagnostics()[0]?.readError ?? '', /compressed stream/);
    fs.writeFileSync(zst, whole);
    await engine.scan();
    assert.equal(total(engine), 44_000);
    assert.equal(engine.diagnostics().length, 0);
  });

  it('a compressed rollout is streamed: memory stays far below its decompressed size', async () => {
    const { zst, engine } = setup();
    const filler = JSON.stringify({ timestamp: T(5), type: 'response_item', payload: { type: 'function_call_output', call_id: 'c', output: 'x'.repeat(200_000) } });
    const parts = [rollout(1)];
    for (let i = 0; i < 600; i++) parts.push(filler + '\n'); // ~120 MB of tool output
    parts.push(rollout(1, 1));
    const text = Buffer.from(parts.join(''));
    fs.writeFileSync(zst, await zstdCompress(text));
    const grew = await rssGrowth(() => engine.scan());
    assert.equal(total(engine), 2200);
    assert.ok(grew < 80 * 1024 * 1024, `RSS grew by ${Math.round(grew / 1e6)} MB for ${Math.round(text.length / 1e6)} MB decompressed`);
  });
});
