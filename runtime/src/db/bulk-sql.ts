import { storableText } from '@waymark/shared';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/*
 * Statements over thousands of rows or ids with ONE parameter (a JSON document) instead of one
 * parameter per value: far cheaper for drizzle to build and for PostgreSQL to parse. Rows are read
 * as `jsonb` (parsed once; read as `json`, each jsonb column inside is parsed again: runs with their
 * state were written 10–20 % slower), lists of ids as `json` (only scanned).
 */

/** `items` in slices of at most `size`, for statements that must stay bounded. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * `insert into <table> (…) select … from jsonb_populate_recordset(null::<table>, $1)`. Keys are
 * the first row's camelCase fields (every row has the same); unnamed columns take their defaults.
 */
export function insertJson(table: string, rows: object[], tail = sql``): SQL {
  const keys = Object.keys(rows[0]!);
  const names = keys.map(snake);
  const columns = sql.raw(names.map((name) => `"${name}"`).join(', '));
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) record[names[i]!] = (row as Record<string, unknown>)[keys[i]!];
    return record;
  });
  return sql`insert into ${sql.raw(table)} (${columns}) select ${columns} from jsonb_populate_recordset(null::${sql.raw(table)}, ${storableJsonText(records)}::jsonb) ${tail}`;
}

/** `column in (…values)` as one parameter; `type` is the column's SQL type. */
export function anyOf(column: SQLWrapper, values: readonly (string | number)[], type: 'text' | 'bigint' = 'text'): SQL {
  // `= any(array(…))` rather than `in (select …)`: the planner then sees an array and walks the index.
  return sql`${column} = any(array(select (json_array_elements_text(${storableJsonText(values)}::json))::${sql.raw(type)}))`;
}

/**
 * A PostgreSQL array literal of texts (`{"a","b",NULL}`), to send a column of values as one
 * parameter (`${textArray(list)}::text[]`, read back with `unnest`): cheaper to build and parse than
 * JSON for plain values. Every element is quoted, so any text (another array literal too) is safe.
 */
export function textArray(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}

/** A PostgreSQL array literal of integers (`{1,2,3}`). */
export function intArray(values: readonly number[]): string {
  if (!values.every(Number.isInteger)) throw new Error('intArray takes integers');
  return `{${values.join(',')}}`;
}

/**
 * A column with few distinct values (a batch's workspaces, its one instant) as two parameters: the
 * values once (`distinct`), and each row's position among them (`positions`, an int4[] literal;
 * 1-based, 0 for null, which reads as null). (Membership upkeep's workspace ids and instant, sent
 * with every row, were more than half of its entering statement's parameters.)
 */
export function positions(values: readonly (string | null)[]): { distinct: string[]; positions: string } {
  const distinct: string[] = [];
  const index = new Map<string, number>();
  const at = values.map((value) => {
    if (value === null) return 0;
    let i = index.get(value);
    if (i === undefined) {
      distinct.push(value);
      i = distinct.length;
      index.set(value, i);
    }
    return i;
  });
  return { distinct, positions: intArray(at) };
}

/** JSON escapes PostgreSQL refuses in jsonb: NUL, and UTF-16 surrogates (JSON.stringify writes only lone ones as escapes). */
const unstorable = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

/**
 * `JSON.stringify(value)`, made storable as jsonb: strings (and keys) with NUL or a lone surrogate
 * are cleaned (`storableText`). The check is one scan of the text; only a hit pays for cleaning.
 */
export function storableJsonText(value: unknown): string {
  const json = JSON.stringify(value);
  if (!unstorable.test(json)) return json;
  return JSON.stringify(value, function (this: unknown, _key, child: unknown) {
    if (typeof child === 'string') return storableText(child);
    if (child && typeof child === 'object' && !Array.isArray(child)) return Object.fromEntries(Object.entries(child).map(([k, v]) => [storableText(k), v]));
    return child;
  });
}

/** `%text%` for `ilike`, with the user's `%`, `_` and `\\` matching themselves. */
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
