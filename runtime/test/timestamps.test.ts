import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoFromPostgres } from '../src/db/timestamps.ts';

/** How PostgreSQL writes a `timestamptz` in a session in UTC: microseconds, trailing zeros dropped, none at all when whole. */
function asPostgresWrites(ms: number, micros: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
}

describe('timestamps as PostgreSQL writes them', () => {
  it('read as the instant they name, to the millisecond, for any instant of years 1–9999 and any fraction', () => {
    fc.assert(
      fc.property(fc.integer({ min: new Date('0001-01-01T00:00:00Z').getTime(), max: Date.UTC(9999, 11, 31) }), fc.integer({ min: 0, max: 999 }), fc.boolean(), (at, micros, whole) => {
        const ms = whole ? at - (((at % 1000) + 1000) % 1000) : at;
        const text = asPostgresWrites(ms, whole ? 0 : micros);
        expect(isoFromPostgres(text)).toBe(new Date(ms).toISOString());
        // Date's parser agrees from year 100 on (it reads years 1–99 as 19xx or 20xx).
        if (new Date(ms).getUTCFullYear() >= 100) expect(isoFromPostgres(text)).toBe(new Date(text).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it('another zone, or a form it does not know, is left to Date', () => {
    for (const text of ['2026-11-30 23:49:26.5+01', '2026-11-30 18:19:26.123-04:30', '2026-11-30T22:49:26.573Z', '2026-11-30 22:49:26+00']) {
      expect(isoFromPostgres(text)).toBe(new Date(text).toISOString());
    }
    expect(isoFromPostgres('2026-11-30 22:49:26+00')).toBe('2026-11-30T22:49:26.000Z');
    expect(isoFromPostgres('2026-11-30 22:49:26.5+00')).toBe('2026-11-30T22:49:26.500Z');
  });
});
