import { describe, expect, it } from 'vitest';
import { instantToLocal, localToInstant, offsetWords, zonedDay, zonedTime } from '../../src/editor/preview/zoned-format.ts';

describe('preview times', () => {
  it('reads an instant in the customer’s zone, with the year only when it is not this one', () => {
    const at = Date.parse('2026-11-25T10:00:00Z');
    expect(zonedTime(at, 'Europe/Istanbul', 2026)).toBe('Wed 25 Nov 13:00');
    expect(zonedTime(at, 'America/New_York', 2026)).toBe('Wed 25 Nov 05:00');
    expect(zonedTime(at, 'UTC', 2025)).toBe('Wed 25 Nov 2026 10:00');
    expect(zonedDay(at, 'UTC', 2026)).toBe('Nov 25');
    // Not a zone: UTC, rather than throwing mid-render.
    expect(zonedTime(at, 'Mars/Olympus', 2026)).toBe('Wed 25 Nov 10:00');
  });

  it('says how long after entry in at most two units', () => {
    expect(offsetWords(0)).toBe('at entry');
    expect(offsetWords(15 * 60_000)).toBe('+15 min');
    expect(offsetWords(2 * 3_600_000)).toBe('+2 h');
    expect(offsetWords(2 * 3_600_000 + 30 * 60_000)).toBe('+2 h 30 min');
    expect(offsetWords(86_400_000 + 3 * 3_600_000 + 60_000)).toBe('+1 d 3 h');
    expect(offsetWords(2 * 86_400_000 + 60_000)).toBe('+2 d');
    expect(offsetWords(15 * 86_400_000)).toBe('+2 w 1 d');
    expect(offsetWords(-3_600_000)).toBe('−1 h');
  });

  it('turns a wall-clock reading in a zone into an instant and back, across daylight saving', () => {
    expect(new Date(localToInstant('2026-11-25T10:00', 'Europe/Istanbul')!).toISOString()).toBe('2026-11-25T07:00:00.000Z');
    expect(new Date(localToInstant('2026-07-01T09:00', 'America/New_York')!).toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(new Date(localToInstant('2026-12-01T09:00', 'America/New_York')!).toISOString()).toBe('2026-12-01T14:00:00.000Z');
    expect(localToInstant('tomorrow', 'UTC')).toBeNull();
    expect(instantToLocal(Date.parse('2026-11-25T07:00:00Z'), 'Europe/Istanbul')).toBe('2026-11-25T10:00');
  });
});
