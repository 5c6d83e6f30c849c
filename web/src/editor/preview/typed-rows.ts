/** What a row's value is, as the row's type select offers it; `json` holds lists and objects. */
export type ValueType = 'text' | 'number' | 'boolean' | 'date' | 'json';

/** One key and value being written, the value as typed. */
export interface TypedRow {
  key: string;
  type: ValueType;
  value: string;
}

export const valueTypeNames: Record<ValueType, string> = { text: 'text', number: 'number', boolean: 'true/false', date: 'date', json: 'JSON' };

const isoDate = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The rows for a record's values, each with the type it looks like (ISO-8601 strings are dates). Pure. */
export function rowsFromRecord(record: Record<string, unknown>): TypedRow[] {
  return Object.entries(record).map(([key, value]): TypedRow => {
    if (typeof value === 'number') return { key, type: 'number', value: String(value) };
    if (typeof value === 'boolean') return { key, type: 'boolean', value: String(value) };
    if (typeof value === 'string') return { key, type: isoDate.test(value) ? 'date' : 'text', value };
    return { key, type: 'json', value: JSON.stringify(value ?? null) };
  });
}

/**
 * The record the rows describe, and a sentence for each row that does not read as its type.
 * Rows without a key are left out; a later row with the same key wins. Pure.
 */
export function recordFromRows(rows: readonly TypedRow[]): { value: Record<string, unknown>; errors: string[] } {
  const value: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const row of rows) {
    const key = row.key.trim();
    if (!key) continue;
    const read = readValue(row);
    if ('error' in read) errors.push(`${key}: ${read.error}`);
    else value[key] = read.value;
  }
  return { value, errors };
}

function readValue(row: TypedRow): { value: unknown } | { error: string } {
  const text = row.value.trim();
  switch (row.type) {
    case 'number': {
      const n = Number(text);
      return text !== '' && Number.isFinite(n) ? { value: n } : { error: `"${row.value}" is not a number` };
    }
    case 'boolean':
      return { value: text === 'true' };
    case 'date':
      return isoDate.test(text) && !Number.isNaN(Date.parse(text)) ? { value: text } : { error: 'choose a date' };
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: 'is not valid JSON' };
      }
    default:
      return { value: row.value };
  }
}

/** A value as the timeline shows it: strings bare, lists and objects short. */
export function shortValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** "{total: 40, plan: pro}", or '' for an empty record. */
export function recordWords(record: Record<string, unknown>): string {
  const entries = Object.entries(record);
  return entries.length ? `{${entries.map(([key, value]) => `${key}: ${shortValue(value)}`).join(', ')}}` : '';
}
