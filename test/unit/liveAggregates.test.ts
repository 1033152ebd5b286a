import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { dedupeClaude } from '../../src/core/claude/dedupe';
import { sessionUsage } from '../../src/core/codex/accounting';
import { UsageEngine, claudeEvent } from '../../src/core/engine';
import { UsageEvent } from '../../src/core/events';
import { codexIdFromName } from '../../src/core/ledger/codexLedger';
import { LiveModel } from '../../src/core/live/liveModel';
import { deserializeState } from '../../src/core/persist/engineState';
import { requestCost } from '../../src/core/pricing/pricing';
import { periodReport } from '../../src/core/reports/periods';
import { sessionReport } from '../../src/core/reports/sessions';
import { ZonedCalendar } from '../../src/core/time';
import { Aggregates, RECENT_MS } from '../../src/core/view/aggregates';
import { ViewModel, applyPatch, rowsInOrder } from '../../src/core/view/model';
import { Projector } from '../../src/core/view/projector';
import { RepoIndex } from '../../src/core/view/repos';
import { RepoResolver } from '../../src/core/attribution';
import { zstdCompress } from '../fixtures/zstd';
import { claudeLine, sessionMeta, tmpDir, tokenCount, turnContext, usage } from './helpers';

const NOW = Date.UTC(2026, 9, 20, 15, 0, 0);
const ZONE = 'Asia/Kolkata';
const at = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

/** One step of what agents and Codex do to the logs. */
type Op =
  | { kind: 'claude'; file: number; msg: number; req: number; out: number; age: number; session: number; sidechain: boolean; partial: boolean }
  | { kind: 'codex'; session: number; file: number; input: number; output: number; age: number }
  | { kind: 'rewrite'; file: number }
  | { kind: 'delete'; file: number }
  | { kind: 'archive'; session: number; compress: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('claude' as const), file: fc.nat(3), msg: fc.nat(7), req: fc.nat(2), out: fc.integer({ min: 1, max: 900 }), age: fc.nat(20 * 1440), session: fc.nat(2), sidechain: fc.boolean(), partial: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('codex' as const), session: fc.nat(2), file: fc.nat(1), input: fc.integer({ min: 1, max: 5000 }), output: fc.integer({ min: 1, max: 500 }), age: fc.nat(20 * 1440) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rewrite' as const), file: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), file: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('archive' as const), session: fc.nat(2), compress: fc.boolean() }) },
);

const CODEX_IDS = ['0199a0b1-0000-7000-8000-00000000000a', '0199a0b1-0000-7000-8000-00000000000b', '0199a0b1-0000-7000-8000-00000000000c'];

/** A world of logs that the ops act on, remembering what each Codex session's totals are. */
class World {
  readonly claudeDir: string;
  readonly codexHome: string;
  private readonly pending = new Map<string, string>();
  private readonly totals = new Map<string, { input: number; output: number }>();

  constructor(readonly root: string) {
    this.claudeDir = path.join(root, 'claude');
    this.codexHome = path.join(root, 'codex');
    for (const d of [path.join(this.claudeDir, 'projects', 'p'), path.join(this.codexHome, 'sessions', '2026', '10', '20'), path.join(this.codexHome, 'archived_sessions')]) fs.mkdirSync(d, { recursive: true });
  }

  claudeFile(i: number): string {
    return path.join(this.claudeDir, 'projects', 'p', `f${i}.jsonl`);
  }

  codexFile(s: number, variant: number): string {
    const name = `rollout-2026-10-20T10-00-0${variant}-${CODEX_IDS[s]}.jsonl`;
    return path.join(this.codexHome, 'sessions', '2026', '10', '20', name);
  }

  /** Applies an op; returns the paths a watcher would report. */
  async apply(o: Op): Promise<string[]> {
    switch (o.kind) {
      case 'claude': {
        const f = this.claudeFile(o.file);
        const line = JSON.stringify(claudeLine({ id: `m${o.msg}`, req: `r${o.req}`, sessionId: `s${o.session}`, cwd: `/work/repo${o.session}`, ts: at(o.age), sidechain: o.sidechain, usage: { input_tokens: 10, output_tokens: o.out, cache_read_input_tokens: 100 } })) + '\n';
        // A half-written line is finished by the next write to the file.
        const before = this.pending.get(f) ?? '';
        const text = before + line;
        const cut = o.partial ? Math.floor(text.length / 2) : text.length;
        fs.appendFileSync(f, text.slice(0, cut));
        if (cut < text.length) this.pending.set(f, text.slice(cut));
        else this.pending.delete(f);
        return [f];
      }
      case 'codex': {
        const f = this.codexFile(o.session, o.file);
        const id = CODEX_IDS[o.session];
        const t = this.totals.get(id) ?? { input: 0, output: 0 };
        t.input += o.input;
        t.output += o.output;
        this.totals.set(id, t);
        const lines = fs.existsSync(f) ? [] : [sessionMeta(at(o.age + 1), id, { cwd: `/work/codex${o.session}` }), turnContext(at(o.age + 1), 'gpt-5.4')];
        lines.push(tokenCount(at(o.age), usage(t.input, 0, t.output), usage(o.input, 0, o.output), { limit_id: 'codex', primary: { used_percent: o.input % 100, window_minutes: 300, resets_at: Math.floor(NOW / 1000) + 3600 } }));
        fs.appendFileSync(f, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
        return [f];
      }
      case 'rewrite': {
        const f = this.claudeFile(o.file);
        if (!fs.existsSync(f)) return [];
        const keep = fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).slice(0, 2);
        fs.writeFileSync(f, keep.map((l) => l.replace('"output_tokens":', '"output_tokens":1')).join('\n') + '\n');
        this.pending.delete(f);
        return [f];
      }
      case 'delete': {
        const f = this.claudeFile(o.file);
        if (!fs.existsSync(f)) return [];
        fs.rmSync(f);
        this.pending.delete(f);
        return [f];
      }
      case 'archive': {
        const f = this.codexFile(o.session, 0);
        if (!fs.existsSync(f)) return [];
        const dest = path.join(this.codexHome, 'archived_sessions', path.basename(f));
        if (o.compress) fs.writeFileSync(`${dest}.zst`, await zstdCompress(fs.readFileSync(f)));
        else fs.copyFileSync(f, dest);
        fs.rmSync(f);
        return [f, o.compress ? `${dest}.zst` : dest];
      }
    }
  }
}

const cfgOf = (w: World) => ({ claudeRoots: [w.claudeDir], codexHome: w.codexHome, timezone: ZONE, weekStartsOn: 'monday' as const, historyDays: 14, workspaceFolders: ['/work/repo1'], staleAfterMs: 15 * 60_000, watch: false });

/** The events the logs hold, from the engine's file states, by the batch rules (no ledger). */
function batchEvents(e: UsageEngine): UsageEvent[] {
  const states = e.exportState().files.map((f, i) => deserializeState(f, i + 1));
  const claude = states.flatMap((s) => (s.source === 'claude' && s.records.size ? [s] : []));
  const span = (rs: Iterable<{ timestamp: number }>): [number, number] => {
    const ts = [...rs].map((r) => r.timestamp);
    return [Math.min(...ts), Math.max(...ts)];
  };
  const out: UsageEvent[] = dedupeClaude(claude.map((s) => ({ records: s.records.values(), written: span(s.records.values()) }))).map(claudeEvent);
  const sessions = new Map<string, { file: string; meta: never; observations: never }[]>();
  for (const s of states) {
    if (s.source !== 'codex' || !s.reader.observations.length) continue;
    const id = s.reader.meta.id ?? codexIdFromName(s.path)!;
    const l = sessions.get(id) ?? [];
    l.push({ file: s.path, meta: s.reader.meta as never, observations: s.reader.observations as never });
    sessions.set(id, l);
  }
  for (const [id, files] of sessions) {
    sessionUsage(files).usage.forEach((u, i) => out.push({ id: `x:${id}:${i}`, source: 'codex', timestamp: u.timestamp, sessionId: id, model: u.model, tokens: u.tokens, cost: requestCost(u.model, u.tokens), costFromLog: false }));
  }
  return out;
}

/** Deep equality with float sums compared to a relative 1e-9 (the order of additions differs). */
function close(a: unknown, b: unknown, where = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)), `${where}: ${a} != ${b}`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    assert.deepEqual(ka, kb, `${where}: keys`);
    for (const k of ka) close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}.${k}`);
    return;
  }
  assert.deepEqual(a, b, where);
}

function omit<T extends object>(o: T, keys: (keyof T)[]): Partial<T> {
  const out: Partial<T> = { ...o };
  for (const k of keys) delete out[k];
  return out;
}

const byId = (xs: UsageEvent[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));

describe('live aggregates: incremental equals from scratch', function () {
  this.timeout(300_000);

  it('after any sequence of appends, partial lines, rewrites, deletions, archiving and compression', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const w = new World(fs.mkdtempSync(path.join(tmpDir(), 'w-')));
        let view: ViewModel | undefined;
        const live = new LiveModel(cfgOf(w), { full: (v) => (view = structuredClone(v)), patch: (p) => view && applyPatch(view, structuredClone(p)), log: () => undefined }, () => NOW);
        await live.start();
        for (const o of ops) await live.paths(await w.apply(o));
        const engine = live.usageEngine;
        // The ledgers' events are the batch rules' events.
        close(byId(engine.events()), byId(batchEvents(engine)), 'events');
        // The view kept by patches is the view built at once from the same events.
        const cal = new ZonedCalendar(ZONE, 'monday');
        const agg = Aggregates.fromEvents(engine.events(), cal, NOW - RECENT_MS);
        const repos = new RepoIndex(new RepoResolver());
        await repos.update([...agg.threads.keys()].map((k) => [k, engine.threadHint(k)] as const));
        const fresh = new Projector({ agg, hint: (k) => engine.threadHint(k), repo: (k) => repos.of(k), limits: () => [] }, { timezone: ZONE, weekStartsOn: 'monday', historyDays: 14, workspaceFolders: ['/work/repo1'] }).full(NOW, { phase: 'ready', done: 0, total: 0 }, []);
        // The limit windows and what is derived from them have no from-scratch counterpart here.
        const figures = (v: ViewModel) => omit(v, ['codexWindows', 'burnUp', 'indexing']);
        close(figures(view!), figures(fresh), 'view');
        live.dispose();
      }),
      { numRuns: 400, seed: 20261207 },
    );
  });

  it('the patched view agrees with the batch reports (daily rows, threads) on the same logs', async () => {
    const w = new World(tmpDir());
    let view: ViewModel | undefined;
    const live = new LiveModel({ ...cfgOf(w), historyDays: 365 }, { full: (v) => (view = structuredClone(v)), patch: (p) => view && applyPatch(view, structuredClone(p)), log: () => undefined }, () => NOW);
    await live.start();
    const rng = fc.sample(fc.array(op, { minLength: 60, maxLength: 60 }), { numRuns: 1, seed: 7 })[0];
    for (const o of rng) await live.paths(await w.apply(o));
    const e = live.usageEngine;
    const daily = periodReport(e.events(), 'daily', { timezone: ZONE }).rows;
    close(rowsInOrder(view!.daily), daily, 'daily');
    const sessions = await sessionReport(e.events(), e.threadHints(), { timezone: ZONE, includeTitles: true });
    for (const s of sessions.sessions) {
      close(omit(view!.threads[`${s.source}:${s.sessionId}`], ['inWorkspace', 'spark']), s, `thread ${s.sessionId}`);
    }
    assert.equal(Object.keys(view!.threads).length, sessions.sessions.length);
    live.dispose();
  });

  it('a restart from the index and the saved view patches the shown view into exactly the view of a fresh start', async () => {
    const w = new World(tmpDir());
    const indexFile = path.join(w.root, 'state', 'usage-index.gz');
    const run = async () => {
      let view: ViewModel | undefined;
      let fulls = 0;
      const live = new LiveModel({ ...cfgOf(w), indexFile }, { full: (v) => ((view = structuredClone(v)), fulls++), patch: (p) => view && applyPatch(view, structuredClone(p)), log: () => undefined }, () => NOW);
      await live.start();
      return { live, view: () => view!, fulls: () => fulls };
    };
    const ops = fc.sample(fc.array(op, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 11 })[0];
    const a = await run();
    for (const o of ops.slice(0, 30)) await a.live.paths(await w.apply(o));
    await a.live.saveIndex();
    a.live.dispose();
    // While it was closed, more happened.
    for (const o of ops.slice(30)) await w.apply(o);
    const b = await run();
    assert.equal(b.fulls(), 1, 'the saved view once, then patches');
    // A scan of the folders would not know what deleted logs held (the index alone does): the reference
    // is the view built at once from the restarted engine.
    const engine = b.live.usageEngine;
    const agg = Aggregates.fromEvents(engine.events(), new ZonedCalendar(ZONE, 'monday'), NOW - RECENT_MS);
    const repos = new RepoIndex(new RepoResolver());
    await repos.update([...agg.threads.keys()].map((k) => [k, engine.threadHint(k)] as const));
    const full = new Projector({ agg, hint: (k) => engine.threadHint(k), repo: (k) => repos.of(k), limits: () => [] }, { timezone: ZONE, weekStartsOn: 'monday', historyDays: 14, workspaceFolders: ['/work/repo1'] }).full(NOW, { phase: 'ready', done: 0, total: 0 }, []);
    // The saved view went through JSON (an absent field and an undefined one are the same to every view).
    const figures = (v: ViewModel) => JSON.parse(JSON.stringify(omit(v, ['codexWindows', 'burnUp', 'indexing'])));
    close(figures(b.view()), figures(full), 'view');
    b.live.dispose();
  });
});
