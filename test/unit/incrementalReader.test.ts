import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FilePosition, readAppended } from '../../src/core/reader/incrementalReader';
import { UsageEngine } from '../../src/core/engine';
import { claudeLine, tmpDir, writeLines } from './helpers';

const needles = [Buffer.from('"usage"')];

async function readAll(file: string, prev?: FilePosition, chunkSize?: number) {
  const got: { line: number; text: string }[] = [];
  const r = await readAppended(file, prev, { accept: (l) => needles.some((n) => l.indexOf(n) !== -1), chunkSize }, (b, n) => got.push({ line: n, text: b.toString('utf8') }));
  return { ...r, got };
}

const line = (id: string, out = 1) => JSON.stringify(claudeLine({ id, usage: { input_tokens: 1, output_tokens: out } }));

describe('incremental reader', () => {
  it('reads only the bytes appended since the last read', async () => {
    const f = path.join(tmpDir(), 'a.jsonl');
    fs.writeFileSync(f, line('m1') + '\n');
    const first = await readAll(f);
    assert.equal(first.got.length, 1);
    fs.appendFileSync(f, line('m2') + '\n');
    const second = await readAll(f, first.position);
    assert.equal(second.reset, false);
    assert.deepEqual(second.got.map((g) => g.line), [2]);
    assert.equal(second.bytesRead, line('m2').length + 1);
    const third = await readAll(f, second.position);
    assert.equal(third.bytesRead, 0);
  });

  it('lets a half-written last line wait for its newline', async () => {
    const f = path.join(tmpDir(), 'a.jsonl');
    const l = line('m1');
    fs.writeFileSync(f, l.slice(0, 40));
    const a = await readAll(f);
    assert.equal(a.got.length, 0);
    assert.equal(a.position.offset, 0);
    fs.appendFileSync(f, l.slice(40) + '\n');
    const b = await readAll(f, a.position);
    assert.equal(b.got.length, 1);
    assert.equal(b.got[0].text, l);
  });

  it('takes a final line without newline once it is whole JSON, and not again when its newline arrives', async () => {
    const f = path.join(tmpDir(), 'a.jsonl');
    fs.writeFileSync(f, line('m1'));
    const a = await readAll(f);
    assert.equal(a.got.length, 1);
    fs.appendFileSync(f, '\n' + line('m2') + '\n');
    const b = await readAll(f, a.position);
    assert.deepEqual(b.got.map((g) => g.line), [2]);
  });

  it('joins lines that span many chunks', async () => {
    const f = path.join(tmpDir(), 'a.jsonl');
    const big = JSON.stringify({ ...claudeLine({ id: 'big', usage: { input_tokens: 1, output_tokens: 2 } }), pad: 'x'.repeat(10_000) });
    fs.writeFileSync(f, [line('m1'), big, line('m2')].join('\n') + '\n');
    const r = await readAll(f, undefined, 64);
    assert.deepEqual(r.got.map((g) => g.line), [1, 2, 3]);
    assert.equal(r.got[1].text, big);
  });

  it('skips lines without a needle before parsing', async () => {
    const f = path.join(tmpDir(), 'a.jsonl');
    fs.writeFileSync(f, ['{"type":"user"}', line('m1'), 'garbage'].join('\n') + '\n');
    const r = await readAll(f);
    assert.deepEqual(r.got.map((g) => g.line), [2]);
    assert.equal(r.position.lines, 3);
  });

  it('notices a truncated file and reads it again from the start', async () => {
    const f = path.join(tmpDir(), 'a.jsonl');
    fs.writeFileSync(f, [line('m1'), line('m2')].join('\n') + '\n');
    const a = await readAll(f);
    fs.writeFileSync(f, line('m3') + '\n');
    const b = await readAll(f, a.position);
    assert.equal(b.reset, true);
    assert.deepEqual(b.got.map((g) => g.line), [1]);
  });

  it('notices a file rewritten in place to a larger size', async () => {
    const f = path.join(tmpDir(), 'a.jsonl');
    fs.writeFileSync(f, line('m1') + '\n');
    const a = await readAll(f);
    const fd = fs.openSync(f, 'r+');
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, Buffer.from([line('m7'), line('m8'), line('m9')].join('\n') + '\n'), 0, undefined, 0);
    fs.closeSync(fd);
    const b = await readAll(f, a.position);
    assert.equal(b.reset, true);
    assert.equal(b.got.length, 3);
  });

  it('engine: a replaced file is not double counted', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 's.jsonl');
    writeLines(f, [claudeLine({ id: 'm1', usage: { input_tokens: 1, output_tokens: 10 } })]);
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    await e.scan();
    const tmp = f + '.tmp';
    writeLines(tmp, [claudeLine({ id: 'm1', usage: { input_tokens: 1, output_tokens: 10 } }), claudeLine({ id: 'm2', usage: { input_tokens: 1, output_tokens: 5 } })]);
    fs.renameSync(tmp, f); // new inode
    await e.updateFile(f);
    assert.equal(e.events().reduce((n, ev) => n + ev.tokens.output, 0), 15);
    writeLines(f, [claudeLine({ id: 'm3', usage: { input_tokens: 1, output_tokens: 1 } })], { append: true });
    await e.updateFile(f);
    assert.equal(e.events().reduce((n, ev) => n + ev.tokens.output, 0), 16);
    fs.rmSync(f);
    await e.updateFile(f);
    assert.equal(e.events().reduce((n, ev) => n + ev.tokens.output, 0), 16, 'a deleted log keeps what it held');
    assert.equal([...e.threadHints().values()][0].logDeleted, true);
  });
});
