import { Source } from '../discovery';
import { UsageEvent } from '../events';
import { Weekday, ZonedCalendar } from '../time';

export interface ReportOptions {
  /** Inclusive local dates `YYYY-MM-DD`. */
  since?: string;
  until?: string;
  source?: Source | 'all';
  timezone: string;
  weekStartsOn?: Weekday;
  /** Thread titles are prompt text: only the local UI asks for them. */
  includeTitles?: boolean;
}

export function calendarFor(o: ReportOptions): ZonedCalendar {
  return new ZonedCalendar(o.timezone, o.weekStartsOn ?? 'monday');
}

/** Events of the chosen source whose local date is within [since, until]. */
export function filterEvents(events: readonly UsageEvent[], o: ReportOptions, cal: ZonedCalendar): UsageEvent[] {
  const src = o.source ?? 'all';
  return events.filter((e) => {
    if (src !== 'all' && e.source !== src) return false;
    if (!o.since && !o.until) return true;
    const d = cal.day(e.timestamp);
    return (!o.since || d >= o.since) && (!o.until || d <= o.until);
  });
}
