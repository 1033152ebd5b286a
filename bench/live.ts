// A child process of the benchmark: the extension's live path as the host runs it, without VS Code. The
// real engine worker (dist/engineWorker.js) indexes the corpus, is restarted from its index, and gets
// lines appended through the real watcher; this thread keeps the view as the store does (whole once,
// then patches), renders the status bar and builds the dashboard's patches. It prints its figures as JSON.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { EngineClient } from '../src/core/live/client';
import { LiveConfig } from '../src/core/live/liveModel';
import { statusBarView } from '../src/core/present/statusBar';
import { withLimits } from '../src/core/snapshot';
import { MAX_OBSERVATIONS, PercentHistory, historyKey, recordObservation } from '../src/core/limits/percentHistory';
import { publicState } from '../src/core/present/publicState';
import { ViewModel, ViewPatch, applyPatch } from '../src/core/view/model';
import { dashboardFull, dashboardPatch } from '../src/shared/dashboardSync';

const args = process.argv.slice(2);
const get = (f: string) => args[args.indexOf(f) + 1];
const claudeRoots = args.flatMap((a, i) => (a === '--claude-dir' ? [args[i + 1]] : []));
const rounds = Number(get('--rounds') ?? 20);
const ROOT = path.resolve(__dirname, '..', '..');
const WORKER = path.join(ROOT, 'dist', 'engineWorker.js');
const settings = { thresholds: { claude: { warning: 80, critical: 90 }, codex: { warning: 80, critical: 90 } }, plans: { claude: { plan: 'max5x' as const, monthlyPrice: 0 }, codex: { plan: 'plus' as const, monthlyPrice: 0 } } };
const barCfg = { sources: ['claude' as const, 'codex' as const], windows: ['fiveHour', 'weekly'], metric: 'percent' as const, scope: 'all' as const, thresholds: settings.thresholds };

const phase = get('--phase');

/** The host's side: the view kept by patches, the status bar rendered and the dashboard's patches built on each. */
function host(cfg: LiveConfig) {
  const s = { view: undefined as ViewModel | undefined, fulls: 0, patches: 0, firstViewAt: 0, dashBytes: [] as number[], logs: [] as string[], onPatch: undefined as undefined | ((p: ViewPatch) => void), changed: () => undefined as void };
  let shown: ReturnType<typeof dashboardFull>['shown'];
  // The percent history at its bound (every Codex window full), so each snapshot pays for its forecasts as the store's does.
  const history: PercentHistory = {};
  const snap = () => {
    for (const w of s.view!.codexWindows) if (!history[historyKey('codex', w.name)]) for (let i = 0; i < MAX_OBSERVATIONS; i++) recordObservation(history, historyKey('codex', w.name), w.observedAt - (MAX_OBSERVATIONS - i) * 60_000, i / 10, w.resetsAt ?? Date.now() + 3600_000);
    return withLimits(s.view!, { enabled: false }, Date.now(), cfg.staleAfterMs, { history, idleMs: 15 * 60_000 });
  };
  const client = new EngineClient(WORKER, cfg, {
    full: (v) => {
      s.view = v;
      s.fulls++;
      s.firstViewAt ||= performance.now();
      statusBarView(snap(), barCfg, Date.now());
      shown = dashboardFull(snap(), settings).shown;
      s.changed();
    },
    patch: (p) => {
      if (!s.view) return;
      s.patches++;
      applyPatch(s.view, p);
      const now = snap();
      statusBarView(now, barCfg, Date.now());
      publicState(now, settings.thresholds);
      if (shown) {
        const d = dashboardPatch(shown, now, p, settings);
        if (d) s.dashBytes.push(Buffer.byteLength(JSON.stringify({ type: 'patch', patch: d })));
      }
      s.onPatch?.(p);
      s.changed();
    },
    log: (_l, m) => s.logs.push(m),
  });
  return { s, client };
}

/** Waits for a condition, looked at only when the view changes (no polling on this thread). */
function until(h: { changed: () => void }, what: string, probe: () => boolean, ms = 120_000): Promise<void> {
  if (probe()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    h.changed = () => {
      if (!probe()) return;
      clearTimeout(timer);
      h.changed = () => undefined;
      resolve();
    };
  });
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function main(): Promise<void> {
  const indexFile = get('--index');
  const cfg: LiveConfig = { claudeRoots, codexHome: get('--codex-home'), timezone: 'UTC', weekStartsOn: 'monday', historyDays: 90, workspaceFolders: ['/work/acme/web'], staleAfterMs: 900_000, indexFile };
  const out: Record<string, unknown> = { phase };
  if (phase === 'first') {
    // A first index (no index yet): its time, and how the host's event loop fares meanwhile.
    fs.rmSync(path.dirname(indexFile), { recursive: true, force: true });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    const a = host(cfg);
    a.client.start();
    await until(a.s, 'the first index', () => a.s.view?.indexing.phase === 'ready');
    out.firstIndexMs = performance.now() - t0;
    const elu1 = performance.eventLoopUtilization(elu0);
    delay.disable();
    await a.client.idle();
    await a.client.dispose();
    const saved = a.s.logs.map((l) => /index: saved ([\d.]+) MB \(\d+ file\(s\) compressed again\) in (\d+) ms, the view in (\d+) ms/.exec(l)).find(Boolean);
    Object.assign(out, {
      firstIndexHost: { eventLoopDelayP99Ms: delay.percentile(99) / 1e6, eventLoopDelayMaxMs: delay.max / 1e6, activeMs: elu1.active, utilization: elu1.utilization },
      indexSaveMs: saved ? Number(saved[2]) : null,
      viewSaveMs: saved ? Number(saved[3]) : null,
      indexBytes: fs.statSync(indexFile).size,
      viewBytes: fs.statSync(path.join(path.dirname(indexFile), 'usage-view.gz')).size,
    });
  } else {
    // A window reload: the worker starts again from its index and its last view.
    const t2 = performance.now();
    const b = host(cfg);
    b.client.start();
    await until(b.s, 'the figures after a reload', () => !!b.s.view);
    out.reloadFiguresMs = b.s.firstViewAt - t2;
    await until(b.s, 'the verified figures', () => b.s.view?.indexing.phase === 'ready');
    out.reloadReadyMs = performance.now() - t2;
    await b.client.idle();
    await new Promise((r) => setTimeout(r, 1500)); // the watcher's first walk and its stat pass

    // Appended lines, through the real watcher: latency to the status bar's figures, CPU, patch size.
    const dir = path.join(claudeRoots[0], 'projects', 'bench-live');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'live.jsonl');
    fs.writeFileSync(file, '');
    await new Promise((r) => setTimeout(r, 1000));
    const latencies: number[] = [];
    const processCpu: number[] = [];
    const hostCpu: number[] = [];
    const patchBytes: number[] = [];
    const totalNow = () => b.s.view!.today.claude.tokens;
    // Ids of this run only: an earlier run's lines live on in the index as the history of a deleted log.
    const run = Date.now().toString(36);
    for (let i = 0; i < rounds; i++) {
      const before = totalNow();
      const dashBefore = b.s.dashBytes.length;
      const line = JSON.stringify({ type: 'assistant', sessionId: 'bench-live', cwd: '/work/acme/web', timestamp: new Date().toISOString(), requestId: `req_live_${run}_${i}`, message: { id: `msg_live_${run}_${i}`, model: 'claude-sonnet-4-6', usage: { input_tokens: 10, output_tokens: 90 } } }) + '\n';
      const cpu0 = process.cpuUsage();
      const elu = performance.eventLoopUtilization();
      const start = performance.now();
      let seen = 0;
      b.s.onPatch = () => {
        if (!seen && totalNow() === before + 100) seen = performance.now();
      };
      const arrived = until(b.s, `round ${i}`, () => seen > 0, 30_000);
      fs.appendFileSync(file, line);
      await arrived;
      latencies.push(seen - start);
      // The settle pass looks at the file once more (400 ms later): its cost belongs to the append.
      await new Promise((r) => setTimeout(r, 700));
      await b.client.idle();
      processCpu.push(cpuMs(process.cpuUsage(cpu0)));
      hostCpu.push(performance.eventLoopUtilization(elu).active);
      patchBytes.push(...b.s.dashBytes.slice(dashBefore));
    }
    b.s.onPatch = undefined;
    // Idle: nothing changes for 10 s.
    const idleCpu0 = process.cpuUsage();
    const idleElu = performance.eventLoopUtilization();
    const patchesBefore = b.s.patches;
    await new Promise((r) => setTimeout(r, 10_000));
    const idle = { seconds: 10, processCpuMs: cpuMs(process.cpuUsage(idleCpu0)), hostActiveMs: performance.eventLoopUtilization(idleElu).active, patches: b.s.patches - patchesBefore };
    // A save after the appends: only the shards holding the changed files are compressed again.
    await b.client.save();
    const saved = b.s.logs.map((l) => /index: saved ([\d.]+) MB \((\d+) file\(s\) compressed again\) in (\d+) ms, the view in (\d+) ms/.exec(l)).filter(Boolean).at(-1);
    const restored = b.s.logs.map((l) => /index: restored (\d+) files .* in (\d+) ms/.exec(l)).find(Boolean);
    Object.assign(out, { incrementalSave: saved ? { ms: Number(saved[3]), viewMs: Number(saved[4]), filesCompressed: Number(saved[2]) } : null, indexRestoreMs: restored ? Number(restored[2]) : null });

    await b.client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    Object.assign(out, { rounds, debounceMs: 150, latencies, processCpuPerAppendMs: processCpu, hostCpuPerAppendMs: hostCpu, dashboardPatchBytes: patchBytes, idle });
  }
  // Peak resident memory of this process: the engine worker and the host's side together.
  out.peakRssMB = (process.resourceUsage().maxRSS * 1024) / 1e6;
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
