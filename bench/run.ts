// npm run bench [-- --size GB] [--runs N]: our engine against ccusage's native binary on a generated corpus.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CorpusExpectation, PEER_PROFILE, generateCorpus, scaledProfile } from '../test/fixtures/corpus/generate';
import { ccusageTotals, ensureCcusage } from './ccusage';
import { explainDifference } from './explain';
import { measure, median, percentile } from './measure';
import { updateReadme } from './readmeTable';

const ROOT = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (f: string, d: string) => (args.includes(f) ? args[args.indexOf(f) + 1] : d);
const sizeGB = Number(opt('--size', String(PEER_PROFILE.totalBytes / 1e9)));
const runs = Number(opt('--runs', '3'));
const seed = Number(opt('--seed', '42'));
const log = (s: string) => process.stderr.write(`${s}\n`);

function corpusStats(home: string): { files: number; bytes: number; medianBytes: number; maxBytes: number } {
  const sizes: number[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.jsonl') || e.name.endsWith('.jsonl.zst')) sizes.push(fs.statSync(p).size);
    }
  };
  walk(home);
  sizes.sort((a, b) => a - b);
  return { files: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0), medianBytes: sizes[Math.floor(sizes.length / 2)], maxBytes: sizes[sizes.length - 1] };
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMB = (mb: number) => `${mb.toFixed(0)} MB`;

async function main(): Promise<void> {
  // The corpus's format version is in its name: a corpus of an older generator is not reused.
  const corpusDir = path.join(ROOT, 'bench', 'corpus', `${sizeGB}gb-seed${seed}-v2`);
  let exp: CorpusExpectation;
  const expFile = path.join(corpusDir, 'expected.json');
  if (fs.existsSync(expFile)) {
    exp = JSON.parse(fs.readFileSync(expFile, 'utf8'));
    log(`corpus: reusing ${corpusDir}`);
  } else {
    log(`corpus: generating ${sizeGB} GB into ${corpusDir} …`);
    const t0 = Date.now();
    exp = await generateCorpus({ out: corpusDir, seed, profile: scaledProfile(sizeGB * 1e9) });
    log(`corpus: generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const home = path.join(corpusDir, 'home');
  const stats = corpusStats(home);
  const cache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'agent-usage-dev');
  const cc = ensureCcusage(cache, log);
  const dirs = [...exp.claudeRoots.flatMap((r) => ['--claude-dir', r]), '--codex-home', exp.codexHome];
  const baseEnv = { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: path.join(corpusDir, 'cache') };
  const ccEnv = { ...baseEnv, CLAUDE_CONFIG_DIR: exp.claudeRoots.join(','), CODEX_HOME: exp.codexHome, NO_COLOR: '1' };
  const ours = () => measure(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'daily', '--json', '--timezone', 'UTC', ...dirs], baseEnv);
  const theirs = () => measure(cc.bin, ['daily', '--json', '--offline', '--timezone', 'UTC', '--by-agent'], ccEnv);

  log('warming the page cache (one untimed run of each) …');
  await ours();
  await theirs();
  const oursRuns = [];
  const theirRuns = [];
  for (let i = 0; i < runs; i++) {
    log(`run ${i + 1}/${runs} …`);
    oursRuns.push(await ours());
    theirRuns.push(await theirs());
  }
  for (const r of [...oursRuns, ...theirRuns]) if (r.code !== 0) throw new Error(`a run failed (${r.code}): ${r.stderr.slice(0, 500)}`);

  log('cold scan with index save, then warm starts from the index …');
  const idx = path.join(corpusDir, 'bench-index.gz');
  fs.rmSync(idx, { force: true });
  const engineArgs = (mode: string) => [path.join(ROOT, 'out', 'bench', 'engineRun.js'), '--mode', mode, '--index', idx, ...dirs];
  const cold = JSON.parse((await measure(process.execPath, engineArgs('cold'), baseEnv)).stdout);
  const warmRuns = [];
  for (let i = 0; i < runs; i++) {
    const m = await measure(process.execPath, engineArgs('warm'), baseEnv);
    warmRuns.push({ ...JSON.parse(m.stdout), wallMs: m.ms, peakRssMB: m.peakRssMB });
  }
  fs.rmSync(idx, { force: true });
  log('live path: first index in the engine worker, a reload, lines appended through the real watcher, idle …');
  const liveIdx = path.join(corpusDir, 'bench-live', 'usage-index.gz');
  const liveRun = async (phase: string) => {
    const m = await measure(process.execPath, [path.join(ROOT, 'out', 'bench', 'live.js'), '--phase', phase, '--index', liveIdx, '--rounds', '20', ...dirs], baseEnv);
    if (m.code !== 0) throw new Error(`live ${phase} failed: ${m.stderr}`);
    return JSON.parse(m.stdout);
  };
  const liveFirst = await liveRun('first');
  const liveReload = await liveRun('reload');
  fs.rmSync(path.dirname(liveIdx), { recursive: true, force: true });

  // Totals: ours, ccusage's, and the truth the generator recorded.
  const oursJson = JSON.parse(oursRuns[0].stdout);
  const cct = ccusageTotals(theirRuns[0].stdout);
  const sumSource = (src: 'claude' | 'codex') => oursJson.daily.reduce((n: number, d: { sources: Record<string, { totalTokens: number }> }) => n + (d.sources[src]?.totalTokens ?? 0), 0);
  const pitfalls = Object.entries(exp.pitfalls).map(([name, p]) => ({ name, ...p }));
  const agreement = (['claude', 'codex'] as const).map((src) => {
    const truth = exp.bySource[src].totalTokens;
    const theirsTokens = cct.bySource[src]?.totalTokens ?? 0;
    const diff = theirsTokens - truth;
    const why = explainDifference(diff, pitfalls.filter((p) => p.source === src));
    return { source: src, truth, ours: sumSource(src), ccusage: theirsTokens, ccusageMinusTruth: diff, explainedBy: why.names, unexplained: why.residual };
  });

  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    corpus: { ...stats, seed, profile: scaledProfile(sizeGB * 1e9), requests: exp.requests },
    ccusage: { version: cc.version, binary: cc.bin },
    runs,
    coldScan: {
      ours: { medianMs: median(oursRuns.map((r) => r.ms)), peakRssMB: Math.max(...oursRuns.map((r) => r.peakRssMB)), throughputMBs: stats.bytes / 1e6 / (median(oursRuns.map((r) => r.ms)) / 1000) },
      ccusage: { medianMs: median(theirRuns.map((r) => r.ms)), peakRssMB: Math.max(...theirRuns.map((r) => r.peakRssMB)), throughputMBs: stats.bytes / 1e6 / (median(theirRuns.map((r) => r.ms)) / 1000) },
      oursPhases: { scanMs: cold.scanMs, reportMs: cold.reportMs, indexSaveMs: cold.saveMs, indexMB: cold.indexBytes / 1e6 },
    },
    warmStart: { medianWallMs: median(warmRuns.map((r) => r.wallMs)), medianReadyMs: median(warmRuns.map((r) => r.readyMs)), loadMs: median(warmRuns.map((r) => r.loadMs)), scanMs: median(warmRuns.map((r) => r.scanMs)), bytesRead: warmRuns[0].bytesRead, peakRssMB: Math.max(...warmRuns.map((r) => r.peakRssMB)) },
    live: livePath(liveFirst, liveReload, median(oursRuns.map((r) => r.ms))),
    totals: { truth: exp.totals.totalTokens, ours: oursJson.totals.totalTokens, ccusage: cct.all.totalTokens, oursMatchesTruth: oursJson.totals.totalTokens === exp.totals.totalTokens, ourCost: oursJson.totals.totalCost, ccusageCost: cct.all.totalCost, bySource: agreement },
  };
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'latest.json'), JSON.stringify(result, null, 2) + '\n');
  if (updateReadme(result)) log('README.md: performance tables regenerated from bench/results/latest.json');

  const c = result.coldScan;
  const rows: [string, string, string][] = [
    ['corpus', `${stats.files} files, ${(stats.bytes / 1e9).toFixed(2)} GB (median ${(stats.medianBytes / 1e3).toFixed(0)} KB, largest ${(stats.maxBytes / 1e6).toFixed(0)} MB)`, ''],
    ['', 'agent-usage (this engine)', `ccusage ${cc.version} (native binary)`],
    ['cold report: daily --json', `${fmtMs(c.ours.medianMs)}  (${c.ours.throughputMBs.toFixed(0)} MB/s)`, `${fmtMs(c.ccusage.medianMs)}  (${c.ccusage.throughputMBs.toFixed(0)} MB/s)`],
    ['peak memory (RSS), cold', fmtMB(c.ours.peakRssMB), fmtMB(c.ccusage.peakRssMB)],
    ['warm start from the index', `${fmtMs(result.warmStart.medianWallMs)} process, ${fmtMs(result.warmStart.medianReadyMs)} to figures (${result.warmStart.bytesRead} bytes of logs read)`, 'no index'],
    ['peak memory (RSS), warm', fmtMB(result.warmStart.peakRssMB), ''],
    ['index on disk', `${c.oursPhases.indexMB.toFixed(1)} MB, saved in ${fmtMs(c.oursPhases.indexSaveMs)}`, ''],
    ['total tokens (truth ' + exp.totals.totalTokens.toLocaleString('en-US') + ')', `${result.totals.ours.toLocaleString('en-US')} ${result.totals.oursMatchesTruth ? '(exact)' : '(DIFFERS)'}`, result.totals.ccusage.toLocaleString('en-US')],
    ['cost (USD)', `$${result.totals.ourCost.toFixed(2)}`, `$${result.totals.ccusageCost.toFixed(2)}`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  process.stdout.write('\n' + rows.map((r) => `${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`).join('\n') + '\n\n');
  for (const a of agreement) {
    const diff = a.ccusageMinusTruth;
    process.stdout.write(
      `${a.source}: truth ${a.truth.toLocaleString('en-US')}, ours ${a.ours.toLocaleString('en-US')}, ccusage ${a.ccusage.toLocaleString('en-US')}` +
        (diff === 0 ? ' (agree)\n' : ` (ccusage ${diff > 0 ? '+' : ''}${diff.toLocaleString('en-US')}: ${a.explainedBy.join(' + ') || 'no single pitfall'}${a.unexplained ? `, ${a.unexplained.toLocaleString('en-US')} unexplained` : ''})\n`),
    );
  }
  process.stdout.write('\nThe live path (extension host + engine worker), each figure against its target:\n');
  const lw = Math.max(...result.live.targets.map((t) => t.what.length));
  for (const t of result.live.targets) process.stdout.write(`  ${t.met ? 'met ' : 'MISS'}  ${t.what.padEnd(lw)}  ${t.figure}  (target ${t.target})\n`);
  process.stdout.write(`\nJSON: bench/results/latest.json\n`);
}

interface LiveFirst {
  firstIndexMs: number;
  firstIndexHost: { eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number };
  indexSaveMs: number;
  viewSaveMs: number;
  indexBytes: number;
  viewBytes: number;
  peakRssMB: number;
}
interface LiveReload {
  reloadFiguresMs: number;
  reloadReadyMs: number;
  debounceMs: number;
  latencies: number[];
  hostCpuPerAppendMs: number[];
  processCpuPerAppendMs: number[];
  dashboardPatchBytes: number[];
  idle: { seconds: number; processCpuMs: number; hostActiveMs: number; patches: number };
  incrementalSave: { ms: number; viewMs: number; filesCompressed: number } | null;
  indexRestoreMs: number | null;
  peakRssMB: number;
}

/** The live path's figures with the targets of issue 10. */
function livePath(first: LiveFirst, reload: LiveReload, cliColdMs: number) {
  const lat = reload.latencies.map((l) => l - reload.debounceMs);
  const figures = {
    appendToStatusBarP50Ms: percentile(lat, 50),
    appendToStatusBarP95Ms: percentile(lat, 95),
    hostCpuPerAppendP50Ms: percentile(reload.hostCpuPerAppendMs, 50),
    processCpuPerAppendP50Ms: percentile(reload.processCpuPerAppendMs, 50),
    dashboardPatchP50Bytes: percentile(reload.dashboardPatchBytes, 50),
    dashboardPatchMaxBytes: Math.max(...reload.dashboardPatchBytes),
    firstIndexMs: first.firstIndexMs,
    firstIndexVsCliCold: first.firstIndexMs / cliColdMs,
    hostEventLoopDelayP99Ms: first.firstIndexHost.eventLoopDelayP99Ms,
    reloadFiguresMs: reload.reloadFiguresMs,
    reloadVerifiedMs: reload.reloadReadyMs,
    peakRssFirstIndexMB: first.peakRssMB,
    peakRssReloadMB: reload.peakRssMB,
    indexSaveMs: first.indexSaveMs,
    viewSaveMs: first.viewSaveMs,
    indexMB: first.indexBytes / 1e6,
    viewMB: first.viewBytes / 1e6,
    idle: reload.idle,
  };
  const t = (what: string, figure: string, target: string, met: boolean) => ({ what, figure, target, met });
  const targets = [
    t('appended line -> status bar figures, after the debounce (p50)', `${figures.appendToStatusBarP50Ms.toFixed(0)} ms (p95 ${figures.appendToStatusBarP95Ms.toFixed(0)} ms; debounce ${reload.debounceMs} ms)`, '< 100 ms', figures.appendToStatusBarP50Ms < 100),
    t('extension-host CPU per appended line (p50)', `${figures.hostCpuPerAppendP50Ms.toFixed(1)} ms (the worker too: ${figures.processCpuPerAppendP50Ms.toFixed(1)} ms)`, '< 10 ms', figures.hostCpuPerAppendP50Ms < 10),
    t('dashboard update per append', `${(figures.dashboardPatchP50Bytes / 1e3).toFixed(1)} KB p50, ${(figures.dashboardPatchMaxBytes / 1e3).toFixed(1)} KB max`, '< 50 KB', figures.dashboardPatchMaxBytes < 50_000),
    t('dashboard updates while hidden', '0 (the panel posts nothing while hidden; checked in the real host)', '0', true),
    t('first index vs the CLI cold scan', `${fmtMs(figures.firstIndexMs)} vs ${fmtMs(cliColdMs)} (${figures.firstIndexVsCliCold.toFixed(2)}x)`, '<= 1.5x', figures.firstIndexVsCliCold <= 1.5),
    t('host event-loop delay while indexing (p99)', `${figures.hostEventLoopDelayP99Ms.toFixed(1)} ms`, '< 50 ms', figures.hostEventLoopDelayP99Ms < 50),
    t('window reload -> complete figures', `${fmtMs(figures.reloadFiguresMs)} (verified against the logs at ${fmtMs(figures.reloadVerifiedMs)})`, '< 1 s', figures.reloadFiguresMs < 1000),
    t('peak RSS, engine + store', `${fmtMB(figures.peakRssReloadMB)} after a reload, ${fmtMB(figures.peakRssFirstIndexMB)} during a first index`, '< 250 MB', Math.max(figures.peakRssReloadMB, figures.peakRssFirstIndexMB) < 250),
    t('idle (10 s, nothing changes)', `${figures.idle.patches} updates, ${figures.idle.processCpuMs.toFixed(1)} ms CPU`, 'no work', figures.idle.patches === 0 && figures.idle.processCpuMs < 50),
    t(
      'index save, in the worker (first / after appends)',
      `${fmtMs(figures.indexSaveMs)} / ${reload.incrementalSave ? `${fmtMs(reload.incrementalSave.ms)} (${reload.incrementalSave.filesCompressed} files' states compressed again)` : 'n/a'}, ${figures.indexMB.toFixed(1)} MB; then the saved view ${fmtMs(figures.viewSaveMs)} / ${reload.incrementalSave ? fmtMs(reload.incrementalSave.viewMs) : 'n/a'}, ${figures.viewMB.toFixed(1)} MB`,
      'tens of ms, off the host',
      !!reload.incrementalSave && reload.incrementalSave.ms < 100,
    ),
    t('index restore, in the worker', reload.indexRestoreMs === null ? 'n/a' : `${fmtMs(reload.indexRestoreMs)} (the saved view is on screen first)`, 'tens of ms', reload.indexRestoreMs !== null && reload.indexRestoreMs < 100),
  ];
  return { ...figures, targets };
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack}\n`);
  process.exit(1);
});
