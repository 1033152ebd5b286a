// A child process of the benchmark: from an appended line to an updated engine and an updated snapshot
// (what the extension's store shows), through the real watcher, on the warm index of the corpus.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RepoResolver } from '../src/core/attribution';
import { claudeLogDirs, codexLogDirs } from '../src/core/discovery';
import { UsageEngine } from '../src/core/engine';
import { EngineIndex } from '../src/core/persist/engineIndex';
import { buildSnapshot } from '../src/core/snapshot';
import { totalTokens } from '../src/core/tokens';
import { LogWatcher } from '../src/core/live/logWatcher';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (f: string) => args[args.indexOf(f) + 1];
  const claudeRoots = args.flatMap((a, i) => (a === '--claude-dir' ? [args[i + 1]] : []));
  const codexHome = get('--codex-home');
  const rounds = Number(get('--rounds') ?? 20);
  const engine = new UsageEngine({ claudeRoots, codexHome });
  const r = await new EngineIndex(get('--index'), engine).load();
  if (r.kind !== 'loaded') throw new Error('no index');
  await engine.scan();
  const resolver = new RepoResolver();
  const snap = () =>
    buildSnapshot({ now: Date.now(), events: engine.events(), hints: engine.threadHints(), codexLimits: engine.codexLimits(), claude: { enabled: false }, workspaceFolders: [], timezone: 'UTC', weekStartsOn: 'monday', staleAfterMs: 900_000, indexing: { done: 1, total: 1, finished: true }, resolver, historyDays: 90 });
  await snap();
  let pending: ((ms: number) => void) | undefined;
  let t0 = 0;
  let target = Infinity;
  let engineMs: number[] = [];
  const storeMs: number[] = [];
  const w = new LogWatcher([...claudeLogDirs(claudeRoots), ...codexLogDirs(codexHome)].filter((d) => fs.existsSync(d)), {
    onBatch: async (changed) => {
      for (const p of changed) await engine.updateFile(p);
      // Only the batch that brought the round's line counts (a settle pass re-reads and finds nothing new).
      if (!pending || engine.events().reduce((n, e) => n + totalTokens(e.tokens), 0) < target) return;
      const engineDone = performance.now();
      await snap();
      const done = pending;
      pending = undefined;
      storeMs.push(performance.now() - t0);
      done(engineDone - t0);
    },
    onError: () => undefined,
  });
  w.start();
  await new Promise((res) => setTimeout(res, 1500));
  const dir = path.join(claudeLogDirs(claudeRoots)[0], 'bench-latency');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'live.jsonl');
  fs.writeFileSync(file, '');
  await new Promise((res) => setTimeout(res, 500));
  engineMs = [];
  storeMs.length = 0;
  const before = engine.events().reduce((n, e) => n + totalTokens(e.tokens), 0);
  await new Promise((res) => setTimeout(res, 600)); // past any settle pass of the file's creation
  for (let i = 0; i < rounds; i++) {
    const line = JSON.stringify({ type: 'assistant', sessionId: 'bench-live', cwd: '/bench', timestamp: new Date().toISOString(), requestId: `req_live_${i}`, message: { id: `msg_live_${i}`, model: 'claude-sonnet-4-6', usage: { input_tokens: 10, output_tokens: 90 } } }) + '\n';
    target = before + (i + 1) * 100;
    const done = new Promise<number>((res) => (pending = res));
    t0 = performance.now();
    fs.appendFileSync(file, line);
    engineMs.push(await done);
    await new Promise((res) => setTimeout(res, 300));
  }
  w.dispose();
  const after = engine.events().reduce((n, e) => n + totalTokens(e.tokens), 0);
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ rounds, engineMs, storeMs, counted: after - before, expected: rounds * 100, debounceMs: 150 }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
