import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/components/charts/csv.ts';
import { sparklineLabel } from '../../src/components/charts/Sparkline.tsx';

describe('CSV built in the browser', () => {
  it('quotes only the fields that need it, doubling quotes', () => {
    expect(csvField('Email')).toBe('Email');
    expect(csvField(12)).toBe('12');
    expect(csvField('Send email: Welcome, {first name}!')).toBe('"Send email: Welcome, {first name}!"');
    expect(csvField('The "big" sale')).toBe('"The ""big"" sale"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
  });

  it('rows end with CRLF', () => {
    expect(
      toCsv([
        ['Step', 'Passes'],
        ['Wait, then send', 40],
      ]),
    ).toBe('Step,Passes\r\n"Wait, then send",40\r\n');
  });

  it('a sparkline says its numbers', () => {
    expect(
      sparklineLabel('Entries per day', [
        { day: '2026-11-24', count: 0 },
        { day: '2026-11-25', count: 1200 },
      ]),
    ).toBe('Entries per day, Nov 24–Nov 25: 0, 1,200 (total 1,200)');
  });
});
