import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sinon from 'sinon';
import { UsageEngine } from '../../../src/core/engine';
import { readerIo } from '../../../src/core/reader/incrementalReader';
import { totalTokens } from '../../../src/core/tokens';
import { LogWatcher } from '../../../src/core/live/logWatcher';
import { claudeLine, codexEnv, rssGrowth, sessionMeta, tmpDir, tokenCount, turnContext, usage, writeLines } from '../helpers';

const total = (e: UsageEngine) => e.events().reduce((n, ev) => n + totalTokens(ev.tokens), 0);
const cl = (id: string, out: number) => JSON.stringify(claudeLine({ id, usage: { input_tokens: 10, output_tokens: out } }));

async function until(what: string, probe: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!(await probe())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The extension's path from file events to the engine, without VS Code. */
function watch(engine: UsageEngine, dirs: string[]): LogWatcher {
  const w = new LogWatcher(dirs, {
    onBatch: (changed, removed) => void engine.updatePaths([...removed, ...changed]),
    onError: (e) => {
      throw e;
    },
  });
  w.start();
  return w;
}

describe('fault matrix: logs', function () {
  this.timeout(120_000);

  it('a line written in two chunks counts once, when whole', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 's.jsonl');
    const line = cl('m1', 90);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, line.slice(0, 50));
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    await e.scan();
    assert.equal(total(e), 0);
    assert.equal(e.diagnostics().length, 0, 'a half line is not an error');
    fs.appendFileSync(f, line.slice(50) + '\n');
    await e.updateFile(f);
    await e.updateFile(f);
    assert.equal(total(e), 100);
  });

  it('a file truncated and rewritten: its old lines stay counted once, its new lines count once', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 's.jsonl');
    writeLines(f, [cl('m1', 90), cl('m2', 90)]);
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    await e.scan();
    assert.equal(total(e), 200);
    fs.truncateSync(f, 0);
    fs.writeFileSync(f, [cl('m3', 190), cl('m4', 190), cl('m5', 190)].join('\n') + '\n');
    await e.updateFile(f);
    assert.equal(total(e), 800);
    // Rewritten with the history it had (compaction, a copy): nothing twice.
    fs.writeFileSync(f, [cl('m1', 90), cl('m2', 90), cl('m3', 190)].join('\n') + '\n');
    await e.updateFile(f);
    assert.equal(total(e), 800);
  });

  it('a rollout renamed into archived_sessions/ while watched counts once', async () => {
    const home = tmpDir();
    const id = '0199a0b1-0000-7000-8000-00000000aaaa';
    const name = `rollout-2026-10-05T12-00-00-${id}.jsonl`;
    const src = path.join(home, 'sessions', '2026', '10', '05', name);
    writeLines(src, [sessionMeta('2026-10-05T12:00:00Z', id), turnContext('2026-10-05T12:00:01Z', 'gpt-5.4'), tokenCount('2026-10-05T12:00:02Z', usage(1000, 0, 100))]);
    fs.mkdirSync(path.join(home, 'archived_sessions'));
    const e = new UsageEngine({ claudeRoots: [], codexHome: home, sources: ['codex'] });
    await e.scan();
    const w = watch(e, [path.join(home, 'sessions'), path.join(home, 'archived_sessions')]);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const dest = path.join(home, 'archived_sessions', name);
      fs.renameSync(src, dest);
      await until('the archived file', () => [...e.threadHints().values()].some((h) => h.file === dest));
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(total(e), 1100);
      assert.equal(e.events().length, 1);
    } finally {
      w.dispose();
    }
  });

  it('a deleted file keeps what it held (nothing lost), and a folder created after the start is picked up', async () => {
    const root = tmpDir();
    const projects = path.join(root, 'projects');
    writeLines(path.join(projects, 'p', 'a.jsonl'), [claudeLine({ id: 'm1', sessionId: 'sa', usage: { input_tokens: 10, output_tokens: 90 } })]);
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    await e.scan();
    const w = watch(e, [projects]);
    try {
      await new Promise((r) => setTimeout(r, 300));
      writeLines(path.join(projects, 'new-project', 'deep', 'b.jsonl'), [claudeLine({ id: 'm2', sessionId: 'sb', usage: { input_tokens: 10, output_tokens: 190 } })]);
      await until('the new folder', () => total(e) === 300);
      fs.rmSync(path.join(projects, 'p', 'a.jsonl'));
      await until('the deletion', () => [...e.threadHints().values()].some((h) => h.logDeleted));
      assert.equal(total(e), 300);
      // The same transcript restored (a backup, Claude Code resuming it): still counted once.
      writeLines(path.join(projects, 'p', 'a.jsonl'), [claudeLine({ id: 'm1', sessionId: 'sa', usage: { input_tokens: 10, output_tokens: 90 } })]);
      await until('the restored file', () => [...e.threadHints().values()].every((h) => !h.logDeleted));
      assert.equal(total(e), 300);
    } finally {
      w.dispose();
    }
    // A log folder that did not exist at all at the start is found by the next scan.
    const late = tmpDir();
    const e2 = new UsageEngine({ claudeRoots: [late], sources: ['claude'] });
    await e2.scan();
    writeLines(path.join(late, 'projects', 'x', 'c.jsonl'), [cl('m3', 40)]);
    await e2.scan();
    assert.equal(total(e2), 50);
  });

  it('10 agents appending to 10 files at once for 30 s: the totals equal the sum written', async () => {
    const root = tmpDir();
    const claudeDir = path.join(root, 'claude', 'projects');
    const codexHome = path.join(root, 'codex');
    fs.mkdirSync(claudeDir, { recursive: true });
    fs.mkdirSync(path.join(codexHome, 'sessions'), { recursive: true });
    const e = new UsageEngine({ claudeRoots: [path.join(root, 'claude')], codexHome });
    await e.scan();
    const w = watch(e, [claudeDir, path.join(codexHome, 'sessions')]);
    let written = 0;
    const end = Date.now() + 30_000;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const append = async (f: string, line: string) => {
      if (Math.random() < 0.3) {
        const cut = 1 + Math.floor(Math.random() * (line.length - 1));
        await fs.promises.appendFile(f, line.slice(0, cut));
        await sleep(Math.random() * 30);
        await fs.promises.appendFile(f, line.slice(cut) + '\n');
      } else await fs.promises.appendFile(f, line + '\n');
    };
    const claudeAgent = async (k: number) => {
      const f = path.join(claudeDir, `proj-${k}`, `s${k}.jsonl`);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      for (let i = 0; Date.now() < end; i++) {
        const out = 1 + ((i * 7 + k) % 500);
        await append(f, JSON.stringify(claudeLine({ id: `m-${k}-${i}`, sessionId: `s${k}`, usage: { input_tokens: 3, output_tokens: out } })));
        written += 3 + out;
        await sleep(5 + Math.random() * 40);
      }
    };
    const codexAgent = async (k: number) => {
      const id = `0199a0b1-0000-7000-8000-0000000000${10 + k}`;
      const f = path.join(codexHome, 'sessions', '2026', '11', '23', `rollout-2026-11-23T10-00-0${k}-${id}.jsonl`);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      await append(f, JSON.stringify(sessionMeta('2026-11-23T10:00:00Z', id)));
      await append(f, JSON.stringify(turnContext('2026-11-23T10:00:00Z', 'gpt-5.4')));
      let tot = usage(0, 0, 0);
      for (let i = 0; Date.now() < end; i++) {
        const last = usage(100 + ((i * 13 + k) % 900), 50, 10 + (i % 90));
        tot = usage(tot.input_tokens + last.input_tokens, tot.cached_input_tokens + last.cached_input_tokens, tot.output_tokens + last.output_tokens);
        const ts = new Date(Date.UTC(2026, 10, 23, 10, 0, 1) + i * 1000).toISOString();
        await append(f, JSON.stringify(tokenCount(ts, tot, last)));
        if (i % 3 === 0) await append(f, JSON.stringify(tokenCount(ts, tot, last))); // re-emit
        written += last.input_tokens + last.output_tokens;
        await sleep(5 + Math.random() * 40);
      }
    };
    try {
      await Promise.all([...[0, 1, 2, 3, 4].map(claudeAgent), ...[0, 1, 2, 3, 4].map(codexAgent)]);
      await until(`the totals to reach ${written}`, () => total(e) === written, 20_000);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(total(e), written, 'and not beyond');
      assert.equal(e.diagnostics().length, 0);
    } finally {
      w.dispose();
    }
  });

  it('a 600 MB file is streamed: exact totals, memory far below the file size', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 'huge.jsonl');
    fs.mkdirSync(path.dirname(f), { recursive: true });
    const pad = JSON.stringify({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', content: 'x'.repeat(64 * 1024) }] } });
    const fd = fs.openSync(f, 'w');
    let expected = 0;
    let size = 0;
    for (let i = 0; size < 600 * 1024 * 1024; i++) {
      const chunk = Array.from({ length: 15 }, () => pad).join('\n') + '\n' + cl(`h${i}`, 90) + '\n';
      fs.writeSync(fd, chunk);
      size += Buffer.byteLength(chunk);
      expected += 100;
    }
    fs.closeSync(fd);
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    const grew = await rssGrowth(() => e.scan());
    assert.equal(total(e), expected);
    assert.ok(grew < 150 * 1024 * 1024, `RSS grew by ${Math.round(grew / 1e6)} MB reading a ${Math.round(size / 1e6)} MB file`);
    fs.rmSync(f);
  });

  it('a 700 MB transcript of file-history-snapshot lines adds nothing, with flat memory, and the usage after it counts', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 'snapshots.jsonl');
    fs.mkdirSync(path.dirname(f), { recursive: true });
    // Backups of files, one of them named "usage" (a raw "usage" key), small and huge (24 MB) lines.
    const snapshot = (bytes: number, i: number) =>
      JSON.stringify({ type: 'file-history-snapshot', messageId: `m${i}`, snapshot: { messageId: `m${i}`, trackedFileBackups: { usage: { backupFileName: 'usage@v1', content: 'const usage = {"usage": 1};\n'.repeat(Math.ceil(bytes / 30)) } }, timestamp: '2026-10-05T12:00:00.000Z' }, isSnapshotUpdate: i % 2 === 0 });
    const fd = fs.openSync(f, 'w');
    let size = 0;
    for (let i = 0; size < 700 * 1024 * 1024; i++) {
      const line = snapshot(i % 10 === 9 ? 24 << 20 : 200_000, i) + '\n';
      fs.writeSync(fd, line);
      size += Buffer.byteLength(line);
    }
    fs.writeSync(fd, cl('after', 90) + '\n');
    fs.closeSync(fd);
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    const grew = await rssGrowth(() => e.scan());
    assert.equal(total(e), 100, 'only the one usage line');
    assert.deepEqual(e.diagnostics(), []);
    assert.ok(grew < 80 * 1024 * 1024, `RSS grew by ${Math.round(grew / 1e6)} MB reading ${Math.round(size / 1e6)} MB of snapshots`);
    fs.rmSync(f);
  });

  it('a single 50 MB line is read and counted', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 's.jsonl');
    const big = JSON.stringify({ ...claudeLine({ id: 'big', usage: { input_tokens: 7, output_tokens: 93 } }), toolUseResult: 'y'.repeat(50 * 1024 * 1024) });
    writeLines(f, [cl('m1', 90), big, cl('m2', 90)]);
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    await e.scan();
    assert.equal(total(e), 300);
  });

  it('invalid UTF-8: a line with bad bytes in a string still counts; a garbage line is reported, the next line counts', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 's.jsonl');
    fs.mkdirSync(path.dirname(f), { recursive: true });
    const good = Buffer.from(cl('m1', 90).replace('"content":[]', '"content":[{"type":"text","text":"BAD"}]'));
    const bad = Buffer.concat([good.subarray(0, good.indexOf('BAD')), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), good.subarray(good.indexOf('BAD') + 3)]);
    const garbage = Buffer.concat([Buffer.from('{"usage":'), Buffer.from([0xff, 0x00, 0x81, 0x9f])]);
    fs.writeFileSync(f, Buffer.concat([bad, Buffer.from('\n'), garbage, Buffer.from('\n'), Buffer.from(cl('m2', 40) + '\n')]));
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    await e.scan();
    assert.equal(total(e), 150);
    assert.deepEqual(e.diagnostics()[0].problems.map((p) => p.line), [2]);
  });

  it('a NUL-padded tail waits, and a line written after the padding counts', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 's.jsonl');
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, Buffer.concat([Buffer.from(cl('m1', 90) + '\n'), Buffer.alloc(4096)]));
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    await e.scan();
    assert.equal(total(e), 100);
    fs.appendFileSync(f, cl('m2', 40) + '\n');
    await e.updateFile(f);
    assert.equal(total(e), 150);
    assert.equal(e.diagnostics().length, 0);
  });

  it('a symlink loop neither hangs the scan nor the watcher, nor counts twice', async () => {
    const root = tmpDir();
    const projects = path.join(root, 'projects');
    writeLines(path.join(projects, 'p', 's.jsonl'), [cl('m1', 90)]);
    fs.symlinkSync(projects, path.join(projects, 'p', 'loop'));
    fs.symlinkSync(path.join(projects, 'p', 's.jsonl'), path.join(projects, 'p', 'alias.jsonl'));
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    await e.scan();
    assert.equal(total(e), 100);
    const w = watch(e, [projects]);
    await new Promise((r) => setTimeout(r, 300));
    w.dispose();
  });

  it('a file without read permission is reported, the rest is read', async () => {
    const root = tmpDir();
    const locked = path.join(root, 'projects', 'p', 'locked.jsonl');
    writeLines(locked, [cl('m1', 90)]);
    writeLines(path.join(root, 'projects', 'p', 'open.jsonl'), [cl('m2', 40)]);
    fs.chmodSync(locked, 0o000);
    const realOpen = readerIo.open;
    // As root, permission bits do not stop a read: there the refusal comes from a stubbed open().
    const stub =
      process.getuid?.() === 0
        ? sinon.stub(readerIo, 'open').callsFake((p: string) => {
            if (p === locked) throw Object.assign(new Error(`EACCES: permission denied, open '${locked}'`), { code: 'EACCES' });
            return realOpen(p);
          })
        : undefined;
    try {
      const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
      await e.scan();
      assert.equal(total(e), 50);
      const d = e.diagnostics().find((x) => x.file === locked);
      assert.match(d?.readError ?? '', /EACCES/);
    } finally {
      stub?.restore();
      fs.chmodSync(locked, 0o644);
    }
  });

  it('an unknown line type and unknown fields are ignored, not errors', async () => {
    const root = tmpDir();
    const f = path.join(root, 'projects', 'p', 's.jsonl');
    writeLines(f, [JSON.stringify({ ...claudeLine({ id: 'm1', usage: { input_tokens: 1, output_tokens: 9 } }), brandNewField: { deep: [1, 2] } }), JSON.stringify({ type: 'future-thing', usage: 'n/a' }), JSON.stringify(codexEnv('2026-01-01T00:00:00Z', 'x', {}))]);
    const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
    await e.scan();
    assert.equal(total(e), 10);
    assert.equal(e.diagnostics().length, 0);
  });
});
