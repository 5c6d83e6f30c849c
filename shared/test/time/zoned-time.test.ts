import { describe, expect, it } from 'vitest';
import { isValidTimeZone, nextLocalTime, zonedParts, zonedTimeToInstant } from '@waymark/shared';

const iso = (ms: number) => new Date(ms).toISOString();

/** The next `count` occurrences of a local time, each strictly after the previous one. */
function occurrences(from: string, zone: string, time: string, count: number, weekdays?: number[]): string[] {
  const out: string[] = [];
  let at = Date.parse(from);
  for (let i = 0; i < count; i++) {
    at = nextLocalTime(at, zone, time, weekdays);
    out.push(iso(at));
  }
  return out;
}

describe('zoned time', () => {
  it('Z2 "09:00" in New York is 09:00 local each day across spring forward, neither skipped nor doubled', () => {
    expect(occurrences('2026-03-06T15:00:00Z', 'America/New_York', '09:00', 4)).toEqual([
      '2026-03-07T14:00:00.000Z', // EST, UTC−5
      '2026-03-08T13:00:00.000Z', // EDT from 02:00 that morning, UTC−4
      '2026-03-09T13:00:00.000Z',
      '2026-03-10T13:00:00.000Z',
    ]);
  });

  it('Z2 "09:00" in New York across fall back', () => {
    expect(occurrences('2026-10-30T15:00:00Z', 'America/New_York', '09:00', 3)).toEqual(['2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z', '2026-11-02T14:00:00.000Z']);
  });

  it('Z2 a local time in the spring-forward gap moves forward by the gap (Berlin 02:30 → 03:30)', () => {
    expect(iso(zonedTimeToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
    expect(occurrences('2026-03-27T12:00:00Z', 'Europe/Berlin', '02:30', 3)).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('Z2 a local time in the fall-back overlap is the earlier instant (New York 01:30)', () => {
    expect(iso(zonedTimeToInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('Z2 the overlapped hour runs once: "01:30" on Berlin\'s fall-back day fires once', () => {
    expect(occurrences('2026-10-24T12:00:00Z', 'Europe/Berlin', '02:30', 3)).toEqual([
      '2026-10-25T00:30:00.000Z', // CEST 02:30 (the first of the two)
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('S3 weekdays: the next Monday 10:00 in Kolkata', () => {
    // 2026-11-25 is a Wednesday.
    expect(occurrences('2026-11-25T15:00:00Z', 'Asia/Kolkata', '10:00', 2, [1])).toEqual(['2026-11-30T04:30:00.000Z', '2026-12-07T04:30:00.000Z']);
  });

  it('reads wall-clock parts and ISO weekday', () => {
    expect(zonedParts(Date.parse('2026-11-25T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      year: 2026,
      month: 11,
      day: 26,
      hour: 8,
      minute: 30,
      second: 0,
      isoWeekday: 4,
    });
  });

  it('knows real zones from made-up ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
  });
});
