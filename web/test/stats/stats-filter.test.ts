import { describe, expect, it } from 'vitest';
import { addDays, filterDays, filterQuery, readFilter, todayIn, withSegment, writeFilter } from '../../src/editor/stats/stats-filter.ts';

describe('the stats filter', () => {
  it('reads from and writes to the address, keeping other parameters, defaults left out', () => {
    expect(readFilter('')).toEqual({ version: 'live', range: '30' });
    expect(readFilter('?statsVersion=3&range=7')).toEqual({ version: '3', range: '7' });
    expect(readFilter('?range=custom&from=2026-11-01&to=2026-11-10')).toEqual({ version: 'live', range: 'custom', from: '2026-11-01', to: '2026-11-10' });
    // Unreadable or backwards: the default.
    expect(readFilter('?statsVersion=drop&range=custom&from=2026-11-10&to=2026-11-01')).toEqual({ version: 'live', range: '30' });
    expect(writeFilter('?replay=r1', { version: 'all', range: 'today' })).toBe('?replay=r1&statsVersion=all&range=today');
    expect(writeFilter('?range=7', { version: 'live', range: '30' })).toBe('');
  });

  it('counts days in the workspace zone, today included', () => {
    const now = new Date('2026-11-25T03:00:00Z');
    expect(todayIn('America/New_York', now)).toBe('2026-11-24');
    expect(todayIn('UTC', now)).toBe('2026-11-25');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(filterDays({ version: 'live', range: '7' }, 'America/New_York', now)).toEqual({ from: '2026-11-18', to: '2026-11-24' });
    expect(filterDays({ version: 'live', range: 'today' }, 'UTC', now)).toEqual({ from: '2026-11-25', to: '2026-11-25' });
    expect(filterQuery({ version: '2', range: '30' }, 'UTC', now)).toBe('version=2&from=2026-10-27&to=2026-11-25');
  });

  it('keeps a segment in the address and the API query; "all customers" leaves it out', () => {
    const id = '0b8e7c1e-3f7a-4c1e-9a55-2f2d1c7b9e10';
    expect(readFilter(`?range=7&segment=${id}`)).toEqual({ version: 'live', range: '7', segment: id });
    // Unreadable: all customers.
    expect(readFilter('?segment=a%20b%3Bdrop')).toEqual({ version: 'live', range: '30' });
    expect(writeFilter('?replay=r1&segment=old', { version: 'live', range: '30', segment: id })).toBe(`?replay=r1&segment=${id}`);
    expect(writeFilter(`?segment=${id}`, { version: 'live', range: '30' })).toBe('');
    const now = new Date('2026-11-25T03:00:00Z');
    expect(filterQuery({ version: 'live', range: 'today', segment: id }, 'UTC', now)).toBe(`version=live&from=2026-11-25&to=2026-11-25&segment=${id}`);
    expect(withSegment({ version: '2', range: '7', segment: id }, undefined)).toEqual({ version: '2', range: '7' });
    expect(withSegment({ version: '2', range: '7' }, id)).toEqual({ version: '2', range: '7', segment: id });
  });
});
