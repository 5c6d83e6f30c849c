import { describe, expect, it } from 'vitest';
import { earliestZone, nextOccurrence, occurrenceIn, type Schedule } from '@waymark/shared';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const next = (schedule: Schedule, after: string, zone = 'America/New_York') => {
  const found = nextOccurrence(schedule, Date.parse(after), zone);
  return found && { date: found.date, at: iso(found.at) };
};

describe('scheduled triggers: when they fire', () => {
  it('a one-off fires once at its local time, and never after', () => {
    const once: Schedule = { kind: 'once', date: '2026-12-01', time: '09:00' };
    expect(next(once, '2026-11-25T10:00:00Z')).toEqual({ date: '2026-12-01', at: '2026-12-01T14:00:00.000Z' });
    expect(next(once, '2026-12-01T14:00:00Z')).toBeNull();
  });

  it('daily fires today if the time is still ahead, else tomorrow; the wall-clock time holds across DST', () => {
    const daily: Schedule = { kind: 'recurring', frequency: 'daily', time: '09:00' };
    expect(next(daily, '2026-11-25T13:59:00Z')).toEqual({ date: '2026-11-25', at: '2026-11-25T14:00:00.000Z' });
    expect(next(daily, '2026-11-25T14:00:00Z')).toEqual({ date: '2026-11-26', at: '2026-11-26T14:00:00.000Z' });
    expect(next(daily, '2026-10-31T14:00:00Z')).toEqual({ date: '2026-11-01', at: '2026-11-01T14:00:00.000Z' });
    expect(next(daily, '2026-10-30T14:00:00Z')).toEqual({ date: '2026-10-31', at: '2026-10-31T13:00:00.000Z' });
  });

  it('weekly fires on the listed weekdays (Mondays when none are listed)', () => {
    // 2026-11-25 is a Wednesday.
    expect(next({ kind: 'recurring', frequency: 'weekly', time: '09:00', weekdays: ['tue', 'fri'] }, '2026-11-25T10:00:00Z')?.date).toBe('2026-11-27');
    expect(next({ kind: 'recurring', frequency: 'weekly', time: '09:00' }, '2026-11-25T10:00:00Z')?.date).toBe('2026-11-30');
  });

  it('monthly fires on its day, the last day of shorter months, and the 1st when no day is set', () => {
    const on31: Schedule = { kind: 'recurring', frequency: 'monthly', time: '08:00', dayOfMonth: 31 };
    expect(next(on31, '2026-11-25T10:00:00Z', 'UTC')).toEqual({ date: '2026-11-30', at: '2026-11-30T08:00:00.000Z' });
    expect(next(on31, '2026-11-30T08:00:00Z', 'UTC')?.date).toBe('2026-12-31');
    expect(next(on31, '2027-01-31T09:00:00Z', 'UTC')?.date).toBe('2027-02-28');
    expect(next({ kind: 'recurring', frequency: 'monthly', time: '08:00' }, '2026-12-15T00:00:00Z', 'UTC')?.date).toBe('2027-01-01');
  });

  it('customer-local: the same local date and time comes first at UTC+14 and last at UTC-12', () => {
    const daily: Schedule = { kind: 'recurring', frequency: 'daily', time: '09:00' };
    const first = nextOccurrence(daily, Date.parse('2026-11-25T10:00:00Z'), earliestZone)!;
    expect(first).toEqual({ date: '2026-11-26', at: Date.parse('2026-11-25T19:00:00Z') });
    expect(iso(occurrenceIn(daily, first.date, 'Europe/Paris'))).toBe('2026-11-26T08:00:00.000Z');
    expect(iso(occurrenceIn(daily, first.date, 'Pacific/Honolulu'))).toBe('2026-11-26T19:00:00.000Z');
    expect(occurrenceIn(daily, first.date, 'Europe/Paris')).toBeGreaterThanOrEqual(first.at);
  });
});
