import { describe, expect, it } from 'vitest';
import { addDays, filterDays, filterQuery, readFilter, todayIn, writeFilter } from '../../src/editor/stats/stats-filter.ts';

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
});
