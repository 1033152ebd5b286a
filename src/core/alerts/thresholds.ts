import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { SOURCE_NAME, formatDuration } from '../format';

import { Thresholds, levelOf } from './levels';

export type { Level, Thresholds } from './levels';
export { levelOf, windowLevel, worstLevel } from './levels';

export interface AlertWindow {
  source: 'claude' | 'codex';
  name: string;
  label: string;
  percent: number;
  resetsAt?: number;
  reached?: string;
}

/** The toast of a threshold crossing, naming the window (`Claude Weekly · Fable limit at 85%. Resets in 2d 3h.`). */
export function thresholdMessage(w: AlertWindow, now: number): string {
  const reset = w.resetsAt ? ` Resets in ${formatDuration(w.resetsAt - now)}.` : '';
  const what = w.reached ? `reached (${Math.round(w.percent)}%)` : `at ${Math.round(w.percent)}%`;
  return `${SOURCE_NAME[w.source]} ${w.label} limit ${what}.${reset}`;
}

/** One period of a window: from one reset to the next (reset times jitter by seconds: 10-minute buckets). */
export function periodKey(w: AlertWindow): string {
  const p = w.resetsAt !== undefined ? String(Math.round(w.resetsAt / 600_000)) : 'open';
  return `${w.source}.${w.name}.${p}`;
}

export type AlertKind = 'warning' | 'critical' | 'projection';

/**
 * Edge-triggered alerts remembered on disk, shared by every window and reload: a marker file per
 * (window period, level) created with O_EXCL, so exactly one window wins each crossing.
 */
export class AlertLedger {
  constructor(private readonly dir: string) {}

  private file(period: string, kind: AlertKind): string {
    return path.join(this.dir, `${period}.${kind}`.replace(/[^\w.-]/g, '_'));
  }

  /** True for exactly one caller per (period, kind). */
  async claim(period: string, kind: AlertKind): Promise<boolean> {
    await fsp.mkdir(this.dir, { recursive: true });
    try {
      const fh = await fsp.open(this.file(period, kind), 'wx');
      await fh.close();
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }

  /** "Don't show again for this window": every alert of this period counts as shown. */
  async suppress(period: string): Promise<void> {
    for (const k of ['warning', 'critical', 'projection'] as const) await this.claim(period, k);
  }

  /** Forgets markers older than `maxAgeMs` (their periods are long over). */
  async prune(maxAgeMs: number, now = Date.now()): Promise<void> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    for (const n of names) {
      const p = path.join(this.dir, n);
      const st = await fsp.stat(p).catch(() => undefined);
      if (st && now - st.mtimeMs > maxAgeMs) await fsp.rm(p, { force: true });
    }
  }
}

/**
 * The alert to show for a window now, if any: the highest level reached, once per period. Lower
 * levels are claimed silently, so a jump straight past both thresholds shows one toast and a fall
 * back from critical to warning shows none.
 */
export async function alertFor(w: AlertWindow, t: Thresholds, ledger: AlertLedger): Promise<'warning' | 'critical' | undefined> {
  const level = levelOf(w.percent, t);
  if (level === 'ok') return undefined;
  const period = periodKey(w);
  if (level === 'critical') {
    await ledger.claim(period, 'warning');
    return (await ledger.claim(period, 'critical')) ? 'critical' : undefined;
  }
  return (await ledger.claim(period, 'warning')) ? 'warning' : undefined;
}
