import { describe, expect, it } from 'vitest';
import { recordFromRows, recordWords, rowsFromRecord } from '../../src/editor/preview/typed-rows.ts';

describe('typed rows', () => {
  it('gives each value the type it looks like, and reads the rows back to the same record', () => {
    const record = { plan: 'pro', seats: 12, vip: true, signed_up_at: '2026-03-02T09:15:00Z', birthday: '1990-05-01', tags: ['beta'], address: { city: 'Lyon' } };
    const rows = rowsFromRecord(record);
    expect(rows.map((r) => [r.key, r.type])).toEqual([
      ['plan', 'text'],
      ['seats', 'number'],
      ['vip', 'boolean'],
      ['signed_up_at', 'date'],
      ['birthday', 'date'],
      ['tags', 'json'],
      ['address', 'json'],
    ]);
    expect(recordFromRows(rows)).toEqual({ value: record, errors: [] });
  });

  it('says which rows do not read as their type, skips rows without a name, and the last of a name wins', () => {
    const read = recordFromRows([
      { key: 'total', type: 'number', value: 'forty' },
      { key: '', type: 'text', value: 'orphan' },
      { key: 'when', type: 'date', value: '' },
      { key: 'meta', type: 'json', value: '{nope' },
      { key: 'plan', type: 'text', value: 'free' },
      { key: 'plan', type: 'text', value: 'pro' },
      { key: 'ok', type: 'boolean', value: 'false' },
    ]);
    expect(read.value).toEqual({ plan: 'pro', ok: false });
    expect(read.errors).toEqual(['total: "forty" is not a number', 'when: choose a date', 'meta: is not valid JSON']);
  });

  it('writes a record in a short line for the timeline', () => {
    expect(recordWords({ total: 40, plan: 'pro' })).toBe('{total: 40, plan: pro}');
    expect(recordWords({})).toBe('');
    expect(recordWords({ long: 'x'.repeat(50) })).toBe(`{long: ${'x'.repeat(50)}}`);
    expect(recordWords({ list: Array.from({ length: 20 }, (_, i) => i) })).toMatch(/…}$/);
  });
});
