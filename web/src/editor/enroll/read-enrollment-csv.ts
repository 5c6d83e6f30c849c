import type { EnrollmentItem } from '@waymark/shared';
import Papa from 'papaparse';

/** How a column names the customer, in the enrollment API's words. */
export type IdentifierKind = 'userId' | 'email' | 'customerId';

export const identifierWords: Record<IdentifierKind, string> = { userId: 'User id', email: 'Email', customerId: 'Waymark customer id' };

/** The most rows one upload enrolls (a hundred calls of 1,000). */
export const maxRows = 100_000;

/** A row that cannot be sent, with its line in the file (the header is line 1). */
export interface RejectedRow {
  line: number;
  identifier: string;
  reason: string;
}

export interface EnrollmentCsv {
  columns: string[];
  /** The first rows as read, for the preview. */
  sample: string[][];
  /** The column that names the customer and what it holds; null when none could be told. */
  identifier: { column: number; kind: IdentifierKind } | null;
  rows: number;
  /** A problem with the file as a whole (empty, no header, too many rows). */
  problem: string | null;
}

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');
const guesses: [IdentifierKind, string[]][] = [
  ['userId', ['userid', 'externalid', 'user']],
  ['email', ['email', 'emailaddress', 'mail']],
  ['customerId', ['customerid', 'waymarkid', 'id']],
];

/** Which column names the customer, guessed from the header: user id first, then email, then Waymark's id. */
export function guessIdentifier(columns: string[]): { column: number; kind: IdentifierKind } | null {
  for (const [kind, names] of guesses) {
    const column = columns.findIndex((c) => names.includes(normalize(c)));
    if (column >= 0) return { column, kind };
  }
  return null;
}

/** Parses the file's text: the header, a preview, the row count and the guessed identifier column. */
export function readEnrollmentCsv(text: string): EnrollmentCsv & { data: string[][] } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const [header, ...data] = parsed.data;
  const columns = (header ?? []).map((c) => c.trim());
  const base = { columns, sample: data.slice(0, 5), rows: data.length, data };
  if (!columns.length || columns.every((c) => !c)) return { ...base, identifier: null, problem: 'The file is empty: it needs a header row, then one customer per row.' };
  if (data.length > maxRows) return { ...base, identifier: null, problem: `The file has ${data.length.toLocaleString('en')} rows; add at most ${maxRows.toLocaleString('en')} at a time.` };
  if (!data.length) return { ...base, identifier: guessIdentifier(columns), problem: 'The file has a header but no customers.' };
  return { ...base, identifier: guessIdentifier(columns), problem: null };
}

/**
 * The enrollments the rows ask for: the identifier column names the customer; with
 * `withProperties`, every other non-empty column becomes a property templates read as
 * `{{ event.<column> }}`. Rows without an identifier are rejected with their line.
 */
export function enrollmentsFrom(
  data: string[][],
  columns: string[],
  identifier: { column: number; kind: IdentifierKind },
  withProperties: boolean,
): { items: { line: number; item: EnrollmentItem }[]; rejected: RejectedRow[] } {
  const items: { line: number; item: EnrollmentItem }[] = [];
  const rejected: RejectedRow[] = [];
  data.forEach((row, i) => {
    const line = i + 2;
    const value = (row[identifier.column] ?? '').trim();
    if (!value) {
      rejected.push({ line, identifier: '', reason: `No ${identifierWords[identifier.kind].toLowerCase()} in this row` });
      return;
    }
    const properties: Record<string, string> = {};
    if (withProperties) {
      columns.forEach((name, c) => {
        const cell = (row[c] ?? '').trim();
        if (c !== identifier.column && name && cell) properties[name] = cell;
      });
    }
    items.push({ line, item: { [identifier.kind]: value, ...(Object.keys(properties).length ? { properties } : {}) } });
  });
  return { items, rejected };
}

/** The rows that did not enter, as a CSV people can fix and upload again (cells a spreadsheet would run as formulas get a leading apostrophe). */
export function rejectedCsv(rows: RejectedRow[]): string {
  return Papa.unparse({ fields: ['line', 'customer', 'reason'], data: rows.map((r) => [r.line, r.identifier, r.reason]) }, { escapeFormulae: true });
}
