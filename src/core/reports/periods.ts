import { UsageEvent } from '../events';
import { Accumulator, ModelBreakdown, TokenFields, tokenFields } from './accumulator';
import { ReportOptions, calendarFor, filterEvents } from './filter';
import { Source } from '../discovery';

export type Period = 'daily' | 'weekly' | 'monthly';
const KEY = { daily: 'date', weekly: 'week', monthly: 'month' } as const;

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
      [KEY[period]]: k,
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

export function periodKeyName(p: Period): string {
  return KEY[p];
}
