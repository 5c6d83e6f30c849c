import { describe, expect, it } from 'vitest';
import { capWords, pastRunWords, sentTodayWords } from '../../src/editor/preview/context-words.ts';
import { matchZones } from '../../src/editor/preview/TimeZoneField.tsx';

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

describe('the preview’s context in words', () => {
  it('says what other journeys sent today and the cap', () => {
    expect(sentTodayWords({ email: 2, sms: 1, push: 0 })).toBe('Already sent today by other journeys: 2 emails, 1 SMS');
    expect(sentTodayWords({})).toBe('Nothing sent today by other journeys');
    expect(capWords({ email: 3 })).toBe('Frequency cap: 3 emails a day');
    expect(capWords({})).toBe('');
  });

  it('says when the customer was in this journey before, from the latest run', () => {
    expect(pastRunWords([], day)).toBe('Never in this journey before');
    expect(
      pastRunWords(
        [
          { key: null, status: 'exited', enteredAt: '2026-10-01T10:00:00Z' },
          { key: null, status: 'completed', enteredAt: '2026-11-03T10:00:00Z' },
        ],
        day,
      ),
    ).toBe('Was in this journey before: completed 2026-11-03 (2 runs in all)');
    expect(pastRunWords([{ key: null, status: 'active', enteredAt: '2026-11-20T10:00:00Z' }], day)).toBe('Is in this journey now: entered 2026-11-20');
  });

  it('finds zones by every word typed', () => {
    const zones = ['America/New_York', 'Europe/Istanbul', 'America/North_Dakota/New_Salem', 'UTC'];
    expect(matchZones(zones, 'new york')).toEqual(['America/New_York']);
    expect(matchZones(zones, 'istan')).toEqual(['Europe/Istanbul']);
    expect(matchZones(zones, 'america new')).toEqual(['America/New_York', 'America/North_Dakota/New_Salem']);
    expect(matchZones(zones, '')).toEqual(zones);
  });
});
