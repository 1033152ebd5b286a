import { Source } from '../discovery';
import { UsageEvent } from '../events';
import { ModelBreakdown, TokenFields } from '../reports/accumulator';
import { ZonedCalendar } from '../time';
import { TokenCounts, addTokens, totalTokens } from '../tokens';

/** Token and cost sums that an event adds to and, removed, subtracts from exactly. */
export class Sum implements TokenCounts {
  input = 0;
  output = 0;
  cacheWrite5m = 0;
  cacheWrite1h = 0;
  cacheRead = 0;
  reasoning = 0;
  cost = 0;
  count = 0;
  /** Events of a model without a price (their cost is unknown, never $0). */
  unpriced = 0;

  add(e: UsageEvent, sign: 1 | -1): void {
    const t = e.tokens;
    this.input += sign * t.input;
    this.output += sign * t.output;
    this.cacheWrite5m += sign * t.cacheWrite5m;
    this.cacheWrite1h += sign * t.cacheWrite1h;
    this.cacheRead += sign * t.cacheRead;
    this.reasoning += sign * t.reasoning;
    this.count += sign;
    if (e.cost === undefined) this.unpriced += sign;
    else this.cost += sign * e.cost;
    // Float sums drift when subtracted: an empty sum is exactly zero.
    if (this.count === 0) this.cost = 0;
  }

  /** Adds another sum (roll-ups of days into weeks and months). */
  merge(o: Sum): void {
    addTokens(this, o);
    this.cost += o.cost;
    this.count += o.count;
    this.unpriced += o.unpriced;
  }

  get total(): number {
    return totalTokens(this);
  }

  fields(): TokenFields {
    return { inputTokens: this.input, outputTokens: this.output, cacheCreationTokens: this.cacheWrite5m + this.cacheWrite1h, cacheReadTokens: this.cacheRead, reasoningTokens: this.reasoning, totalTokens: this.total };
  }
}

/** Sums per key (model, source), dropping a key whose sum is empty again. */
export class SumMap<K> {
  readonly map = new Map<K, Sum>();

  add(k: K, e: UsageEvent, sign: 1 | -1): void {
    let s = this.map.get(k);
    if (!s) this.map.set(k, (s = new Sum()));
    s.add(e, sign);
    if (s.count === 0) this.map.delete(k);
  }

  merge(o: SumMap<K>): void {
    for (const [k, v] of o.map) {
      let s = this.map.get(k);
      if (!s) this.map.set(k, (s = new Sum()));
      s.merge(v);
    }
  }

  /** Per model, by cost, as the reports list them. */
  breakdowns(): ModelBreakdown[] {
    return [...this.map.entries()]
      .map(([modelName, s]) => {
        const f = s.fields();
        return { modelName: String(modelName), inputTokens: f.inputTokens, outputTokens: f.outputTokens, cacheCreationTokens: f.cacheCreationTokens, cacheReadTokens: f.cacheReadTokens, reasoningTokens: f.reasoningTokens, cost: s.cost };
      })
      .sort((a, b) => b.cost - a.cost || a.modelName.localeCompare(b.modelName));
  }

  keys(): K[] {
    return [...this.map.keys()];
  }

  /** Keys with events of no price. */
  unpriced(): K[] {
    return [...this.map.entries()].filter(([, s]) => s.unpriced > 0).map(([k]) => k);
  }
}

export interface DayAgg {
  total: Sum;
  byModel: SumMap<string>;
  bySource: SumMap<Source>;
}

export interface ThreadAgg {
  source: Source;
  sessionId: string;
  total: Sum;
  byModel: SumMap<string>;
  /** Event times, sorted (first and last activity survive removals). */
  times: number[];
  /** Local day -> sums (sparklines, the workspace's today and week). */
  byDay: Map<string, Sum>;
}

function insertSorted(xs: number[], v: number): void {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  xs.splice(lo, 0, v);
}

function removeSorted(xs: number[], v: number): void {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  if (xs[lo] === v) xs.splice(lo, 1);
}

/** Events of the last week (and an hour), in time order: burn-up, projections, blocks. */
export const RECENT_MS = 7 * 86_400_000 + 3600_000;

/**
 * The aggregates every view reads, updated in place by each change: per local day (by model and by
 * source), per thread (by model, by day, first and last activity), and the recent events. Removing an
 * event subtracts exactly what adding it added. `dirty` names what changed since it was last cleared.
 */
export class Aggregates {
  readonly days = new Map<string, DayAgg>();
  readonly threads = new Map<string, ThreadAgg>();
  /** Recent events in time order (see RECENT_MS), by id. */
  readonly recent: UsageEvent[] = [];
  events = 0;
  readonly dirty = { days: new Set<string>(), threads: new Set<string>(), recent: false };

  constructor(
    readonly cal: ZonedCalendar,
    /** Events older than this are not kept as recent (moves with the clock, see prune). */
    private recentFrom: number,
  ) {}

  static fromEvents(events: Iterable<UsageEvent>, cal: ZonedCalendar, recentFrom: number): Aggregates {
    const a = new Aggregates(cal, recentFrom);
    a.apply([], events);
    return a;
  }

  apply(removed: Iterable<UsageEvent>, added: Iterable<UsageEvent>): void {
    for (const e of removed) this.add(e, -1);
    for (const e of added) this.add(e, 1);
  }

  private add(e: UsageEvent, sign: 1 | -1): void {
    this.events += sign;
    const day = this.cal.day(e.timestamp);
    let d = this.days.get(day);
    if (!d) this.days.set(day, (d = { total: new Sum(), byModel: new SumMap(), bySource: new SumMap() }));
    d.total.add(e, sign);
    d.byModel.add(e.model, e, sign);
    d.bySource.add(e.source, e, sign);
    if (d.total.count === 0) this.days.delete(day);
    this.dirty.days.add(day);

    const key = `${e.source}:${e.sessionId}`;
    let t = this.threads.get(key);
    if (!t) this.threads.set(key, (t = { source: e.source, sessionId: e.sessionId, total: new Sum(), byModel: new SumMap(), times: [], byDay: new Map() }));
    t.total.add(e, sign);
    t.byModel.add(e.model, e, sign);
    if (sign > 0) insertSorted(t.times, e.timestamp);
    else removeSorted(t.times, e.timestamp);
    let td = t.byDay.get(day);
    if (!td) t.byDay.set(day, (td = new Sum()));
    td.add(e, sign);
    if (td.count === 0) t.byDay.delete(day);
    if (t.total.count === 0) this.threads.delete(key);
    this.dirty.threads.add(key);

    if (e.timestamp >= this.recentFrom) {
      this.dirty.recent = true;
      if (sign > 0) this.insertRecent(e);
      else {
        const i = this.recent.findIndex((x) => x.id === e.id && x.timestamp === e.timestamp);
        if (i >= 0) this.recent.splice(i, 1);
      }
    }
  }

  private insertRecent(e: UsageEvent): void {
    let i = this.recent.length;
    while (i > 0 && this.recent[i - 1].timestamp > e.timestamp) i--;
    this.recent.splice(i, 0, e);
  }

  /** Forgets recent events older than `from` (the clock moved on). */
  prune(from: number): void {
    if (from <= this.recentFrom) return;
    this.recentFrom = from;
    let n = 0;
    while (n < this.recent.length && this.recent[n].timestamp < from) n++;
    if (n) {
      this.recent.splice(0, n);
      this.dirty.recent = true;
    }
  }

  clearDirty(): void {
    this.dirty.days.clear();
    this.dirty.threads.clear();
    this.dirty.recent = false;
  }
}
