import * as assert from 'node:assert/strict';
import { ZonedCalendar, isCalendarDate, weekStartOf } from '../../src/core/time';

describe('time zones and calendar keys', () => {
  it('puts a UTC instant on the local calendar day of the zone', () => {
    const t = Date.parse('2026-10-05T23:30:00Z');
    assert.equal(new ZonedCalendar('UTC').day(t), '2026-10-05');
    assert.equal(new ZonedCalendar('Europe/Berlin').day(t), '2026-10-06');
    assert.equal(new ZonedCalendar('America/Los_Angeles').day(t), '2026-10-05');
    assert.equal(new ZonedCalendar('Asia/Kolkata').day(Date.parse('2026-10-05T18:29:00Z')), '2026-10-05');
    assert.equal(new ZonedCalendar('Asia/Kolkata').day(Date.parse('2026-10-05T18:30:00Z')), '2026-10-06');
  });

  it('handles the DST change (New York, 2026-11-01)', () => {
    const c = new ZonedCalendar('America/New_York');
    assert.equal(c.day(Date.parse('2026-11-01T03:59:00Z')), '2026-10-31'); // 23:59 EDT
    assert.equal(c.day(Date.parse('2026-11-01T04:00:00Z')), '2026-11-01');
    assert.equal(c.day(Date.parse('2026-11-02T04:59:00Z')), '2026-11-01'); // 23:59 EST
    assert.equal(c.day(Date.parse('2026-11-02T05:00:00Z')), '2026-11-02');
  });

  it('starts weeks on the configured day', () => {
    assert.equal(weekStartOf('2026-10-07', 1), '2026-10-05'); // Wednesday -> Monday
    assert.equal(weekStartOf('2026-10-05', 1), '2026-10-05');
    assert.equal(weekStartOf('2026-10-07', 0), '2026-10-04'); // -> Sunday
    assert.equal(weekStartOf('2026-01-01', 1), '2025-12-29'); // across a year
    const c = new ZonedCalendar('Asia/Tokyo', 'sunday');
    assert.equal(c.week(Date.parse('2026-10-10T16:00:00Z')), '2026-10-11'); // Sunday 01:00 in Tokyo
  });

  it('gives months in the zone', () => {
    assert.equal(new ZonedCalendar('Pacific/Auckland').month(Date.parse('2026-10-31T12:00:00Z')), '2026-11');
    assert.equal(new ZonedCalendar('UTC').month(Date.parse('2026-10-31T12:00:00Z')), '2026-10');
  });

  it('rejects unknown zones and invalid dates', () => {
    assert.throws(() => new ZonedCalendar('Mars/Olympus'), RangeError);
    assert.equal(isCalendarDate('2026-02-29'), false);
    assert.equal(isCalendarDate('2028-02-29'), true);
    assert.equal(isCalendarDate('2026-1-01'), false);
  });
});
