import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { UsageEngine } from '../../src/core/engine';
import { EngineIndex, SHARD_FILES, frameIndex } from '../../src/core/persist/engineIndex';
import { INDEX_VERSION } from '../../src/core/persist/indexFile';
import { totalTokens } from '../../src/core/tokens';
import { generateCorpus } from '../fixtures/corpus/generate';
import { claudeLine, tmpDir, writeLines } from './helpers';

const total = (e: UsageEngine) => e.events().reduce((n, ev) => n + totalTokens(ev.tokens), 0);
const cl = (id: string, out: number, sessionId = 's') => JSON.stringify(claudeLine({ id, sessionId, usage: { input_tokens: 10, output_tokens: out } }));

describe('persistent index', function () {
  this.timeout(60_000);

  it('a reload restores the exact figures at once and reads nothing unchanged', async () => {
    const dir = tmpDir();
    const exp = await generateCorpus({ out: path.join(dir, 'c'), seed: 11, claudeSessions: 25, codexSessions: 20 });
    const opts = { claudeRoots: exp.claudeRoots, codexHome: exp.codexHome };
    const a = new UsageEngine(opts);
    await a.scan();
    const idxFile = path.join(dir, 'index.gz');
    await new EngineIndex(idxFile, a).save();

    const b = new UsageEngine(opts);
    const r = await new EngineIndex(idxFile, b).load();
    assert.equal(r.kind, 'loaded');
    assert.equal(total(b), exp.totals.totalTokens, 'figures ready before any file is read');
    assert.deepEqual(b.events(), a.events());
    assert.deepEqual([...b.codexLimits()], [...a.codexLimits()]);
    assert.deepEqual([...b.threadHints()], [...a.threadHints()]);
    const s = await b.scan();
    assert.equal(s.bytesRead, 0);
    assert.equal(s.changedFiles, 0);
    assert.equal(total(b), exp.totals.totalTokens);
  });

  it('after a reload only the appended bytes are read', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 'a.jsonl');
    const g = path.join(root, 'projects', 'p', 'b.jsonl');
    writeLines(f, [cl('m1', 90), cl('m2', 90)]);
    writeLines(g, [cl('m3', 90, 't')]);
    const a = new UsageEngine({ claudeRoots: [root] });
    await a.scan();
    const idx = path.join(root, 'idx.gz');
    await new EngineIndex(idx, a).save();
    const extra = cl('m4', 40) + '\n';
    fs.appendFileSync(f, extra);
    const b = new UsageEngine({ claudeRoots: [root] });
    await new EngineIndex(idx, b).load();
    const s = await b.scan();
    assert.equal(s.bytesRead, Buffer.byteLength(extra));
    assert.equal(s.changedFiles, 1);
    assert.equal(total(b), 350);
  });

  it('keeps history whose logs were deleted while VS Code was closed, and says so', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 'old.jsonl');
    writeLines(f, [cl('m1', 90, 'old-session')]);
    writeLines(path.join(root, 'projects', 'p', 'new.jsonl'), [cl('m2', 40, 'new-session')]);
    const a = new UsageEngine({ claudeRoots: [root] });
    await a.scan();
    const idx = path.join(root, 'idx.gz');
    await new EngineIndex(idx, a).save();
    fs.rmSync(f); // Claude Code's 30-day cleanup
    const b = new UsageEngine({ claudeRoots: [root] });
    await new EngineIndex(idx, b).load();
    await b.scan();
    assert.equal(total(b), 150);
    assert.equal(b.threadHints().get('claude:old-session')?.logDeleted, true);
    assert.equal(b.counts().retained, 1);
    // and across one more reload
    await new EngineIndex(idx, b).save();
    const c = new UsageEngine({ claudeRoots: [root] });
    await new EngineIndex(idx, c).load();
    await c.scan();
    assert.equal(total(c), 150);
  });

  it('a corrupt index, another version or other log folders are discarded and rebuilt', async () => {
    const root = tmpDir();
    writeLines(path.join(root, 'projects', 'p', 'a.jsonl'), [cl('m1', 90)]);
    const idx = path.join(root, 'idx.gz');
    const e = new UsageEngine({ claudeRoots: [root] });
    fs.writeFileSync(idx, 'not gzip at all');
    assert.deepEqual(await new EngineIndex(idx, e).load(), { kind: 'discarded', reason: 'corrupted' });
    fs.writeFileSync(idx, frameIndex({ version: INDEX_VERSION + 1, key: 'x', savedAt: 0, files: 0, shards: [] }, []));
    assert.deepEqual(await new EngineIndex(idx, e).load(), { kind: 'discarded', reason: `version ${INDEX_VERSION + 1} (this build reads ${INDEX_VERSION})` });
    // An index of an earlier build (one gzip stream) is recognised as such.
    fs.writeFileSync(idx, gzipSync(JSON.stringify({ version: 3, key: 'x', savedAt: 0, files: 0 }) + '\n'));
    assert.match(String((await new EngineIndex(idx, e).load() as { reason?: string }).reason), /version 3 or older/);
    await e.scan();
    await new EngineIndex(idx, e).save();
    const other = new UsageEngine({ claudeRoots: [path.join(root, 'elsewhere')] });
    assert.deepEqual(await new EngineIndex(idx, other).load(), { kind: 'discarded', reason: 'built from other log folders' });
    // A well-formed file with broken content: discarded, the engine left empty, not half-restored.
    const shard = gzipSync(JSON.stringify({ path: 'x', source: 'codex', diag: { problemCount: 0, problems: [] } }));
    fs.writeFileSync(idx, frameIndex({ version: INDEX_VERSION, key: new EngineIndex(idx, e).key, savedAt: 0, files: 1, shards: [{ files: 1, bytes: shard.length }] }, [shard]));
    const f = new UsageEngine({ claudeRoots: [root] });
    assert.equal((await new EngineIndex(idx, f).load()).kind, 'discarded');
    assert.equal(f.events().length, 0);
    await f.scan();
    assert.equal(total(f), 100);
  });

  it('is written atomically: no temporary file left, readers never see half an index', async () => {
    const root = tmpDir();
    writeLines(path.join(root, 'projects', 'p', 'a.jsonl'), [cl('m1', 90)]);
    const e = new UsageEngine({ claudeRoots: [root] });
    await e.scan();
    const idx = path.join(root, 'state', 'idx.gz');
    const ix = new EngineIndex(idx, e);
    await Promise.all([ix.save(), ix.save(), ix.save(), new EngineIndex(idx, e).load()]);
    assert.deepEqual(fs.readdirSync(path.dirname(idx)), ['idx.gz']);
    assert.equal((await new EngineIndex(idx, new UsageEngine({ claudeRoots: [root] })).load()).kind, 'loaded');
  });

  it('a save compresses again only the shard whose files changed, and a cut file is discarded', async () => {
    const root = tmpDir();
    const n = SHARD_FILES + 6;
    for (let i = 0; i < n; i++) writeLines(path.join(root, 'projects', 'p', `f${i}.jsonl`), [cl(`m${i}`, 90, `s${i}`)]);
    const e = new UsageEngine({ claudeRoots: [root] });
    await e.scan();
    const idx = path.join(root, 'idx.gz');
    const ix = new EngineIndex(idx, e);
    assert.equal((await ix.save()).serialized, n);
    const first = fs.readFileSync(idx);
    // Nothing changed: nothing is compressed again, the same bytes but the time of the save.
    assert.equal((await ix.save()).serialized, 0);
    // One line appended to a file of the second shard: only that shard is compressed again.
    const f = e.fileStates()[SHARD_FILES].path;
    fs.appendFileSync(f, cl('extra', 40, 'late') + '\n');
    await e.updateFile(f);
    assert.equal((await ix.save()).serialized, n - SHARD_FILES);
    const second = fs.readFileSync(idx);
    assert.notDeepEqual(second, first);
    const b = new UsageEngine({ claudeRoots: [root] });
    const bx = new EngineIndex(idx, b);
    assert.equal((await bx.load()).kind, 'loaded');
    assert.equal(total(b), n * 100 + 50);
    const byId = (x: UsageEngine) => [...x.events()].sort((p, q) => p.id.localeCompare(q.id));
    assert.deepEqual(byId(b), byId(e));
    // The shards read at load are written back as they were.
    assert.equal((await bx.save()).serialized, 0);
    assert.equal(total(b), n * 100 + 50);
    fs.writeFileSync(idx, second.subarray(0, second.length - 30));
    const c = new UsageEngine({ claudeRoots: [root] });
    assert.equal((await new EngineIndex(idx, c).load()).kind, 'discarded');
    assert.equal(c.events().length, 0);
    // A shard whose bytes were damaged fails gzip's check: discarded, not half-restored.
    const bad = Buffer.from(second);
    bad[bad.length - 12] ^= 0xff;
    fs.writeFileSync(idx, bad);
    const d = new UsageEngine({ claudeRoots: [root] });
    assert.equal((await new EngineIndex(idx, d).load()).kind, 'discarded');
    assert.equal(d.events().length, 0);
  });
});
