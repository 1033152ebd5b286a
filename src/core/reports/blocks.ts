import { Source } from '../discovery';
import { UsageEvent } from '../events';
import { totalTokens } from '../tokens';
import { Accumulator, TokenFields, tokenFields } from './accumulator';
import { ReportOptions, calendarFor, filterEvents } from './filter';

export const BLOCK_MS = 5 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface BurnRate {
  tokensPerMinute: number;
  costPerHour: number;
}

export interface BlockRow extends TokenFields {
  id: string;
  source: Source;
  startTime: string;
  endTime: string;
  actualEndTime: string;
  isActive: boolean;
  entries: number;
  costUSD: number;
  models: string[];
  /** Over the block's active span (first to last entry); null with a single instant. */
  burnRate: BurnRate | null;
  /** For the active block: where the current burn rate takes it by the block's end. */
  projection: { totalTokens: number; totalCost: number; remainingMinutes: number } | null;
  unpricedModels?: string[];
}

interface RawBlock {
  source: Source;
  start: number;
  acc: Accumulator;
}

/**
 * 5-hour billing blocks per source: a block starts at its first entry floored to the hour (UTC) and
 * a new one begins when an entry falls 5 h or more after the block's start, or after a gap of 5 h.
 */
export function blocksReport(events: readonly UsageEvent[], o: ReportOptions, now = Date.now()): BlockRow[] {
  const cal = calendarFor(o);
  const bySource = new Map<Source, UsageEvent[]>();
  for (const e of filterEvents(events, o, cal)) {
    let l = bySource.get(e.source);
    if (!l) bySource.set(e.source, (l = []));
    l.push(e);
  }
  const raw: RawBlock[] = [];
  for (const [source, list] of bySource) {
    list.sort((a, b) => a.timestamp - b.timestamp);
    let cur: RawBlock | undefined;
    for (const e of list) {
      if (!cur || e.timestamp - cur.start >= BLOCK_MS || e.timestamp - cur.acc.last >= BLOCK_MS) {
        cur = { source, start: Math.floor(e.timestamp / HOUR_MS) * HOUR_MS, acc: new Accumulator() };
        raw.push(cur);
      }
      cur.acc.add(e);
    }
  }
  raw.sort((a, b) => a.start - b.start || a.source.localeCompare(b.source));
  return raw.map((b) => blockRow(b, now));
}

function blockRow(b: RawBlock, now: number): BlockRow {
  const end = b.start + BLOCK_MS;
  const acc = b.acc;
  const isActive = now < end && now - acc.last < BLOCK_MS;
  const spanMin = (acc.last - acc.first) / 60_000;
  const tokens = totalTokens(acc.tokens);
  const burnRate = spanMin > 0 ? { tokensPerMinute: tokens / spanMin, costPerHour: (acc.cost / spanMin) * 60 } : null;
  let projection: BlockRow['projection'] = null;
  if (isActive && burnRate) {
    const remainingMinutes = Math.max(0, (end - now) / 60_000);
    projection = {
      totalTokens: Math.round(tokens + burnRate.tokensPerMinute * remainingMinutes),
      totalCost: acc.cost + (burnRate.costPerHour / 60) * remainingMinutes,
      remainingMinutes: Math.round(remainingMinutes),
    };
  }
  const unpriced = acc.unpricedModels();
  return {
    id: `${b.source}-${new Date(b.start).toISOString()}`,
    source: b.source,
    startTime: new Date(b.start).toISOString(),
    endTime: new Date(end).toISOString(),
    actualEndTime: new Date(acc.last).toISOString(),
    isActive,
    entries: acc.count,
    ...tokenFields(acc.tokens),
    costUSD: acc.cost,
    models: acc.modelsUsed(),
    burnRate,
    projection,
    ...(unpriced.length ? { unpricedModels: unpriced } : {}),
  };
}
