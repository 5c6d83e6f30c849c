import { describe, expect, it } from 'vitest';
import { relativeTime } from '../../src/sdk/relative-time.ts';

const now = Date.parse('2026-11-25T10:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('relative times in the inbox', () => {
  it('reads like a person says it, in the visitor’s language', () => {
    expect(relativeTime(ago(20_000), now, 'en')).toBe('now');
    expect(relativeTime(ago(5 * 60_000), now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(ago(2 * 3_600_000), now, 'en')).toBe('2 hours ago');
    expect(relativeTime(ago(30 * 3_600_000), now, 'en')).toBe('yesterday');
    expect(relativeTime(ago(3 * 86_400_000), now, 'en')).toBe('3 days ago');
    expect(relativeTime(ago(15 * 86_400_000), now, 'en')).toBe('2 weeks ago');
    expect(relativeTime(ago(5 * 60_000), now, 'de')).toBe('vor 5 Minuten');
  });

  it('gives the date for old messages, "now" for clock skew into the future, and nothing for a bad time', () => {
    expect(relativeTime('2026-01-03T12:00:00Z', now, 'en')).toBe('Jan 3, 2026');
    expect(relativeTime(new Date(now + 90_000).toISOString(), now, 'en')).toBe('now');
    expect(relativeTime('not a time', now, 'en')).toBe('');
  });
});
