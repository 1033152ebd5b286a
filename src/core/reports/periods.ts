import { UsageEvent } from '../events';
import { Accumulator, ModelBreakdown, TokenFields, tokenFields } from './accumulator';
import { ReportOptions, calendarFor, filterEvents } from './filter';
import { Source } from '../discovery';

export type Period = 'daily' | 'weekly' | 'monthly';
/** The key of each report's rows: `date`, `week` (its first day) or `month`. */
export const PERIOD_KEY = { daily: 'date', weekly: 'week', monthly: 'month' } as const;

export interface PeriodRow extends TokenFields {
  /** `date` (YYYY-MM-DD), `week` (first day of the week) or `month` (YYYY-MM), per report. */
  [key: string]: unknown;
  totalCost: number;
  modelsUsed: string[];
  modelBreakdowns: ModelBreakdown[];
  sources: Partial<Record<Source, TokenFields & { totalCost: number }>>;
  unpricedModels?: string[];
}

export interface Totals extends TokenFields {
  totalCost: number;
  unpricedModels?: string[];
}

export interface PeriodReport {
  rows: PeriodRow[];
  totals: Totals;
}

export function totalsOf(acc: Accumulator): Totals {
  const unpriced = acc.unpricedModels();
  return { ...tokenFields(acc.tokens), totalCost: acc.cost, ...(unpriced.length ? { unpricedModels: unpriced } : {}) };
}

/** Groups usage by local day, week or month of the report's time zone. */
export function periodReport(events: readonly UsageEvent[], period: Period, o: ReportOptions): PeriodReport {
  const cal = calendarFor(o);
  const keyOf = period === 'daily' ? (t: number) => cal.day(t) : period === 'weekly' ? (t: number) => cal.week(t) : (t: number) => cal.month(t);
  const groups = new Map<string, Accumulator>();
  const all = new Accumulator();
  for (const e of filterEvents(events, o, cal)) {
    const k = keyOf(e.timestamp);
    let acc = groups.get(k);
    if (!acc) groups.set(k, (acc = new Accumulator()));
    acc.add(e);
    all.add(e);
  }
  const rows = [...groups.keys()].sort().map((k) => {
    const acc = groups.get(k)!;
    const unpriced = acc.unpricedModels();
    const row: PeriodRow = {
      [PERIOD_KEY[period]]: k,
      ...tokenFields(acc.tokens),
      totalCost: acc.cost,
      modelsUsed: acc.modelsUsed(),
      modelBreakdowns: acc.modelBreakdowns(),
      sources: acc.sources(),
      ...(unpriced.length ? { unpricedModels: unpriced } : {}),
    };
    return row;
  });
  return { rows, totals: totalsOf(all) };
}

/** Weekly or monthly rows from daily rows (cheaper than another pass over every event; same sums). */
export function rollUp(daily: readonly PeriodRow[], keyName: 'week' | 'month', keyOf: (day: string) => string): PeriodRow[] {
  const out = new Map<string, PeriodRow>();
  const addFields = (into: Record<string, number>, from: Record<string, number>, keys: readonly string[]) => {
    for (const k of keys) into[k] = (into[k] ?? 0) + (from[k] ?? 0);
  };
  const TOKEN_KEYS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens'] as const;
  for (const d of daily) {
    const k = keyOf(String(d.date));
    let r = out.get(k);
    if (!r) {
      r = { [keyName]: k, inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, reasoningTokens: 0, totalTokens: 0, totalCost: 0, modelsUsed: [], modelBreakdowns: [], sources: {} } as PeriodRow;
      out.set(k, r);
    }
    addFields(r as unknown as Record<string, number>, d as unknown as Record<string, number>, [...TOKEN_KEYS, 'totalCost']);
    r.modelsUsed = [...new Set([...r.modelsUsed, ...d.modelsUsed])].sort();
    for (const m of d.modelBreakdowns) {
      const have = r.modelBreakdowns.find((x) => x.modelName === m.modelName);
      if (have) addFields(have as unknown as Record<string, number>, m as unknown as Record<string, number>, ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'reasoningTokens', 'cost']);
      else r.modelBreakdowns.push({ ...m });
    }
    for (const [src, t] of Object.entries(d.sources) as [Source, TokenFields & { totalCost: number }][]) {
      const have = (r.sources[src] ??= { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, reasoningTokens: 0, totalTokens: 0, totalCost: 0 });
      addFields(have as unknown as Record<string, number>, t as unknown as Record<string, number>, [...TOKEN_KEYS, 'totalCost']);
    }
    if (d.unpricedModels) r.unpricedModels = [...new Set([...(r.unpricedModels ?? []), ...d.unpricedModels])].sort();
  }
  for (const r of out.values()) r.modelBreakdowns.sort((a, b) => b.cost - a.cost || a.modelName.localeCompare(b.modelName));
  return [...out.keys()].sort().map((k) => out.get(k)!);
}
