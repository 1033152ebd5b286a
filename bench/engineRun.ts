// A child process of the benchmark: one cold scan (and index save) or one warm start from the index,
// printing its phases and its own peak memory as JSON.
import { UsageEngine } from '../src/core/engine';
import { EngineIndex } from '../src/core/persist/engineIndex';
import { periodReport } from '../src/core/reports/periods';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (f: string) => args[args.indexOf(f) + 1];
  const mode = get('--mode');
  const claudeRoots = args.flatMap((a, i) => (a === '--claude-dir' ? [args[i + 1]] : []));
  const engine = new UsageEngine({ claudeRoots, codexHome: get('--codex-home'), chunkSize: 4 << 20 });
  const index = new EngineIndex(get('--index'), engine);
  const t0 = performance.now();
  let loadMs = 0;
  if (mode === 'warm') {
    const r = await index.load();
    if (r.kind !== 'loaded') throw new Error(`no index to start from: ${r.kind}`);
    loadMs = performance.now() - t0;
  }
  const t1 = performance.now();
  const scan = await engine.scan();
  const t2 = performance.now();
  const report = periodReport(engine.events(), 'daily', { timezone: 'UTC' });
  const t3 = performance.now();
  let saveMs = 0;
  let indexBytes = 0;
  if (mode === 'cold') {
    indexBytes = (await index.save()).bytes;
    saveMs = performance.now() - t3;
  }
  process.stdout.write(
    JSON.stringify({ mode, loadMs, scanMs: t2 - t1, reportMs: t3 - t2, saveMs, readyMs: t3 - t0, bytesRead: scan.bytesRead, files: scan.files, indexBytes, maxRssMB: process.resourceUsage().maxRSS / 1024, totals: report.totals }) + '\n',
  );
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
