import { describe, expect, it } from 'vitest';
import { dueWords, durationWords, edgeWidth, edgeWidthRange, formatCount, formatPoints, formatShare, rateWithCounts } from '../../src/editor/stats/stats-format.ts';

describe('numbers as the stats show them', () => {
  it('counts in full, compact on small badges from 10,000', () => {
    expect(formatCount(2500)).toBe('2,500');
    expect(formatCount(2500, { compact: true })).toBe('2,500');
    expect(formatCount(12_400, { compact: true })).toBe('12.4k');
    expect(formatCount(1_250_000, { compact: true })).toBe('1.3M');
  });

  it('a rate comes with the counts it is made of, and says so when there is nothing to divide', () => {
    expect(rateWithCounts(310, 2500)).toBe('12.4% · 310 of 2,500');
    expect(formatShare(1, 3)).toBe('33.3%');
    expect(rateWithCounts(0, 0)).toBe('– · 0 of 0');
  });

  it('differences of rates are signed percentage points', () => {
    expect(formatPoints(0.021)).toBe('+2.1 pts');
    expect(formatPoints(-0.0042)).toBe('−0.4 pts');
    expect(formatPoints(0)).toBe('±0.0 pts');
  });

  it('a connection is as wide as its volume allows, between 1.5 and 8 px', () => {
    expect(edgeWidth(100, 100)).toBe(edgeWidthRange.max);
    expect(edgeWidth(0, 100)).toBe(edgeWidthRange.min);
    expect(edgeWidth(5, 0)).toBe(edgeWidthRange.min);
    expect(edgeWidth(25, 100)).toBe(4.8);
    // More than the busiest (a stale maximum) never draws wider than the widest.
    expect(edgeWidth(300, 100)).toBe(edgeWidthRange.max);
    expect(edgeWidth(10, 100)).toBeLessThan(edgeWidth(20, 100));
  });

  it('how long a customer has waited, and when their timer is due', () => {
    expect(durationWords(12 * 60_000)).toBe('12 min');
    expect(durationWords(3 * 3_600_000 + 59 * 60_000)).toBe('3 h');
    expect(durationWords(3 * 86_400_000)).toBe('3 d');
    const now = Date.parse('2026-11-29T12:00:00Z');
    expect(dueWords('2026-12-01T09:00:00Z', now)).toMatch(/^Tue \d{2}:00$/);
    expect(dueWords('2026-12-20T09:00:00Z', now)).toMatch(/^Dec 20 \d{2}:00$/);
  });
});
