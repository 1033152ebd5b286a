import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { tryLock, writeFileAtomic } from './sharedState';

/**
 * The official percentages as observed over time, per limit window and cycle: every Claude poll and
 * every Codex `rate_limits` line. Pace and forecasts are read from it (never from local tokens, which
 * miss other machines and claude.ai). Bounded: one cycle per window, flat runs kept as their two ends,
 * at most MAX_OBSERVATIONS, cycles that ended more than RETAIN_MS ago forgotten.
 */
export type Observation = [at: number, percent: number];

export interface CycleHistory {
  /** The cycle's reset time; a reset time that moves by more than CYCLE_TOLERANCE_MS is a new cycle. */
  resetsAt: number;
  /** In time order. */
  obs: Observation[];
}

/** By `source:window name`. */
export type PercentHistory = Record<string, CycleHistory>;

export const MAX_OBSERVATIONS = 500;
export const RETAIN_MS = 8 * 86_400_000;
/** Claude's reset times wobble by a few seconds between polls; a new cycle moves them by hours. */
export const CYCLE_TOLERANCE_MS = 5 * 60_000;

export function historyKey(source: string, windowName: string): string {
  return `${source}:${windowName}`;
}

/** Adds one observation in time order; true if the history changed. */
export function recordObservation(h: PercentHistory, key: string, at: number, percent: number, resetsAt: number | undefined): boolean {
  if (resetsAt === undefined || !Number.isFinite(at) || !Number.isFinite(percent)) return false;
  const cur = h[key];
  if (cur && resetsAt < cur.resetsAt - CYCLE_TOLERANCE_MS) return false; // a late line of an earlier cycle
  if (!cur || resetsAt > cur.resetsAt + CYCLE_TOLERANCE_MS) {
    h[key] = { resetsAt, obs: [[at, percent]] };
    return true;
  }
  const obs = cur.obs;
  let i = obs.length;
  while (i > 0 && obs[i - 1][0] > at) i--;
  if (i > 0 && obs[i - 1][0] === at) return false; // seen (another window recorded the same poll)
  obs.splice(i, 0, [at, percent]);
  cur.resetsAt = Math.max(cur.resetsAt, resetsAt);
  collapseFlat(obs, i);
  if (obs.length > MAX_OBSERVATIONS) obs.splice(0, obs.length - MAX_OBSERVATIONS);
  return true;
}

/** A flat run keeps its first and last observation: removes middles around index i. */
function collapseFlat(obs: Observation[], i: number): void {
  for (let k = Math.min(obs.length - 2, i + 1); k >= Math.max(1, i - 1); k--) {
    if (obs[k - 1][1] === obs[k][1] && obs[k][1] === obs[k + 1][1]) obs.splice(k, 1);
  }
}

/** Merges what another window wrote into `h` (the newer cycle of each window wins). */
export function mergeHistory(h: PercentHistory, other: PercentHistory): void {
  for (const [key, c] of Object.entries(other)) for (const [at, p] of c.obs) recordObservation(h, key, at, p, c.resetsAt);
}

/** Forgets cycles that ended long ago. */
export function pruneHistory(h: PercentHistory, now: number): void {
  for (const [key, c] of Object.entries(h)) if (c.resetsAt < now - RETAIN_MS) delete h[key];
}

const FileSchema = z.object({
  version: z.literal(1),
  windows: z.record(z.string(), z.object({ resetsAt: z.number(), obs: z.array(z.tuple([z.number(), z.number()])) })),
});

/** The history file in global storage, shared by every open window: read, merged and written under a lock. */
export class PercentHistoryFile {
  private h: PercentHistory = {};
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly log: (msg: string) => void = () => undefined,
  ) {}

  get history(): PercentHistory {
    return this.h;
  }

  /** Reads what the other windows recorded (a corrupted file is reported and started afresh). */
  async load(now = Date.now()): Promise<void> {
    const other = await this.read();
    mergeHistory(this.h, other);
    pruneHistory(this.h, now);
  }

  record(key: string, at: number, percent: number, resetsAt: number | undefined): boolean {
    const changed = recordObservation(this.h, key, at, percent, resetsAt);
    this.dirty ||= changed;
    return changed;
  }

  /** Writes the merged history if this window recorded anything; skipped while another window writes. */
  async save(now = Date.now()): Promise<void> {
    if (!this.dirty) return;
    const release = await tryLock(`${this.file}.lock`, 30_000, now);
    if (!release) return;
    try {
      mergeHistory(this.h, await this.read());
      pruneHistory(this.h, now);
      await writeFileAtomic(this.file, JSON.stringify({ version: 1, windows: this.h }));
      this.dirty = false;
    } finally {
      await release();
    }
  }

  private async read(): Promise<PercentHistory> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`cannot read ${path.basename(this.file)}: ${(e as NodeJS.ErrnoException).code}`);
      return {};
    }
    try {
      const p = FileSchema.safeParse(JSON.parse(text));
      if (p.success) return p.data.windows;
    } catch {
      /* reported below */
    }
    this.log(`${path.basename(this.file)} is corrupted or of an unknown shape; the percent history starts afresh`);
    return {};
  }
}
