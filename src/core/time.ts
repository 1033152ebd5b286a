/** Calendar keys (day, week, month) of UTC instants in one IANA time zone. */

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const BUCKET_MS = 15 * 60 * 1000; // every UTC offset in use is a multiple of 15 minutes

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export class ZonedCalendar {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly cache = new Map<number, string>();
  private readonly weekOfDay = new Map<string, string>();
  private readonly weekStart: number;

  constructor(readonly timeZone: string = systemTimeZone(), weekStartsOn: Weekday = 'monday') {
    if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
    this.fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    this.weekStart = WEEKDAYS.indexOf(weekStartsOn);
  }

  /** Local calendar date `YYYY-MM-DD` of a UTC instant (ms). */
  day(ms: number): string {
    const bucket = Math.floor(ms / BUCKET_MS);
    let d = this.cache.get(bucket);
    if (d === undefined) {
      const parts = this.fmt.formatToParts(new Date(bucket * BUCKET_MS));
      const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
      d = `${get('year')}-${get('month')}-${get('day')}`;
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(bucket, d);
    }
    return d;
  }

  /** Local date on which the week containing `ms` starts. */
  week(ms: number): string {
    const d = this.day(ms);
    let w = this.weekOfDay.get(d);
    if (w === undefined) {
      w = weekStartOf(d, this.weekStart);
      this.weekOfDay.set(d, w);
    }
    return w;
  }

  /** Local month `YYYY-MM`. */
  month(ms: number): string {
    return this.day(ms).slice(0, 7);
  }
}

/** The first day (weekday index 0=Sunday) of the week holding the calendar date `day`. */
export function weekStartOf(day: string, weekStart: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const utc = Date.UTC(y, m - 1, d);
  const dow = new Date(utc).getUTCDay();
  const back = (dow - weekStart + 7) % 7;
  return new Date(utc - back * 86_400_000).toISOString().slice(0, 10);
}

export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}
