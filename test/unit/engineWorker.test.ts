import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineClient } from '../../src/core/live/client';
import { LiveConfig } from '../../src/core/live/liveModel';
import { ViewModel, ViewPatch, applyPatch } from '../../src/core/view/model';
import { generateCorpus } from '../fixtures/corpus/generate';
import { claudeLine, tmpDir } from './helpers';

const WORKER = path.resolve(__dirname, '../../src/core/live/worker.js');

async function until<T>(what: string, probe: () => T | undefined | false, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A client with the view it keeps, as the extension's store keeps it. */
function connect(cfg: LiveConfig, restartMs?: number) {
  const got = { view: undefined as ViewModel | undefined, fulls: 0, patches: [] as ViewPatch[], logs: [] as string[] };
  const client = new EngineClient(WORKER, cfg, {
    full: (v) => {
      got.view = v;
      got.fulls++;
    },
    patch: (p) => {
      got.patches.push(p);
      if (got.view) applyPatch(got.view, p);
    },
    log: (_l, m) => got.logs.push(m),
  }, restartMs);
  client.start();
  return { client, got };
}

const tokensIn = (v: ViewModel) => Object.values(v.daily).reduce((n, d) => n + d.totalTokens, 0);

describe('the engine worker (a real worker thread)', function () {
  this.timeout(120_000);
  let cfg: LiveConfig;
  let expected: number;
  let live: string;

  before(async () => {
    const dir = tmpDir();
    const exp = await generateCorpus({ out: path.join(dir, 'c'), seed: 5, claudeSessions: 20, codexSessions: 12 });
    expected = exp.totals.totalTokens;
    cfg = { claudeRoots: exp.claudeRoots, codexHome: exp.codexHome, timezone: 'UTC', weekStartsOn: 'monday', historyDays: 3650, workspaceFolders: [], staleAfterMs: 900_000, indexFile: path.join(dir, 'state', 'usage-index.gz') };
    live = path.join(exp.claudeRoots[0], 'projects', 'live', 'live.jsonl');
    fs.mkdirSync(path.dirname(live), { recursive: true });
  });

  it('indexes in the worker, sends the view once, then patches of only what an appended line changed', async () => {
    const { client, got } = connect(cfg);
    try {
      await until('the ready view', () => got.view?.indexing.phase === 'ready');
      assert.equal(tokensIn(got.view!), expected);
      const before = got.patches.length;
      fs.appendFileSync(live, JSON.stringify(claudeLine({ id: 'live1', sessionId: 'live-s', cwd: '/work/live', ts: new Date().toISOString(), usage: { input_tokens: 100, output_tokens: 900 } })) + '\n');
      await until('the appended line', () => got.view && tokensIn(got.view) === expected + 1000, 20_000);
      await client.idle();
      const p = got.patches.slice(before);
      assert.equal(got.fulls, 1, 'one whole view, then patches');
      const threads = p.flatMap((x) => Object.keys(x.threads?.upsert ?? {}));
      assert.deepEqual([...new Set(threads)], ['claude:live-s'], 'only the thread that changed');
      const days = p.flatMap((x) => Object.keys(x.daily?.upsert ?? {}));
      assert.deepEqual([...new Set(days)], [new Date().toISOString().slice(0, 10)]);
      const bytes = p.reduce((n, x) => n + JSON.stringify(x).length, 0);
      assert.ok(bytes < 50_000, `patches of ${bytes} bytes`);
      assert.equal(got.view!.today.claude.tokens, 1000);
      await client.save();
      assert.ok(fs.existsSync(cfg.indexFile!));
    } finally {
      await client.dispose();
    }
  });

  it('a restart shows the saved figures at once, then checks the logs without reading an unchanged one', async () => {
    const { client, got } = connect(cfg);
    try {
      const first = await until('the first view', () => got.view && structuredClone(got.view));
      assert.equal(first.indexing.phase, 'verifying', 'the saved view, before the index is loaded');
      assert.equal(tokensIn(first), expected + 1000);
      await until('the ready view', () => got.view?.indexing.phase === 'ready');
      assert.equal(tokensIn(got.view!), expected + 1000);
      assert.ok(got.logs.some((l) => /indexed \d+ files \(0\.0 MB read, 0 changed\)/.test(l)), got.logs.join('\n'));
      const exported = await client.exportRows();
      assert.equal(exported.daily.reduce((n, d) => n + d.totalTokens, 0), expected + 1000);
    } finally {
      await client.dispose();
    }
  });

  it('starts again when the worker dies, with the view and the configuration it had', async () => {
    const { client, got } = connect({ ...cfg, indexFile: undefined }, 100);
    try {
      await until('the ready view', () => got.view?.indexing.phase === 'ready');
      got.view = undefined;
      // What a crash looks like to the client: the thread is gone.
      await (client as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await until('a view from the restarted worker', () => got.view?.indexing.phase === 'ready', 30_000);
      assert.equal(tokensIn(got.view!), expected + 1000);
      assert.ok(got.logs.some((l) => /engine worker exited/.test(l)));
    } finally {
      await client.dispose();
    }
  });
});
