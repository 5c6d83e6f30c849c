import { type ImportRow, type ImportRowProblem, readImportRow } from '@waymark/shared';
import type { ColumnUse } from './column-mapping.ts';

/**
 * A cell as written before Waymark's CSV export (or a spreadsheet) guarded it against formulas:
 * `'+14155550100` → `+14155550100`, so an exported file imports as it was.
 */
export const unguarded = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/** The API's row for a line of the file under the mapping; empty cells are left out (they change nothing). */
export function rowFrom(cells: string[], mapping: ColumnUse[]): ImportRow {
  const row: ImportRow = {};
  mapping.forEach((use, i) => {
    const cell = unguarded((cells[i] ?? '').trim());
    if (!cell || use.as === 'skip') return;
    if (use.as === 'userId' || use.as === 'email' || use.as === 'phone') row[use.as] = cell;
    else if (use.as === 'trait') row.traits = { ...row.traits, [use.name.trim()]: { type: use.type, value: cell } };
    else row.consent = { ...row.consent, [use.channel]: cell };
  });
  return row;
}

/** A problem of a row in words, naming the column it came from: `Signed up: "31/02/2024" is not a date (…)`. */
export function problemWords(problem: ImportRowProblem, columns: string[], mapping: ColumnUse[]): string {
  if (problem.field === 'userId' && problem.message.startsWith('has no')) return 'No user ID, email or phone: each row needs at least one to say who it is';
  const column = mapping.findIndex((use) =>
    problem.field === 'userId' || problem.field === 'email' || problem.field === 'phone'
      ? use.as === problem.field
      : problem.field.startsWith('traits.')
        ? use.as === 'trait' && use.name.trim() === problem.field.slice('traits.'.length)
        : use.as === 'consent' && `consent.${use.channel}` === problem.field,
  );
  const name = column >= 0 ? columns[column] || `Column ${column + 1}` : problem.field;
  return `${name}: ${problem.message}`;
}

/** A row of the file that cannot be imported: its index in the data (its line is index + 2) and why. */
export interface RowProblem {
  index: number;
  reason: string;
}

/** How a check of every row is going, and what it found. */
export interface RowCheck {
  checked: number;
  total: number;
  problems: RowProblem[];
}

/**
 * Checks rows `from`–`to` of the file with the same function the server imports with, so the
 * preview says what the import will: the problems found, in file order.
 */
export function checkRows(data: string[][], columns: string[], mapping: ColumnUse[], from = 0, to = data.length): RowProblem[] {
  const problems: RowProblem[] = [];
  for (let index = from; index < to; index++) {
    const read = readImportRow(rowFrom(data[index]!, mapping));
    if ('problem' in read) problems.push({ index, reason: problemWords(read.problem, columns, mapping) });
  }
  return problems;
}

const slice = 2_000;

/**
 * `checkRows` over the whole file a slice at a time, yielding between slices so a file of 100,000
 * rows never freezes the tab; reports as it goes and stops when `signal` aborts (the mapping changed).
 */
export async function checkAllRows(data: string[][], columns: string[], mapping: ColumnUse[], signal: AbortSignal, onProgress: (check: RowCheck) => void): Promise<void> {
  const problems: RowProblem[] = [];
  for (let from = 0; from < data.length; from += slice) {
    if (signal.aborted) return;
    const to = Math.min(data.length, from + slice);
    problems.push(...checkRows(data, columns, mapping, from, to));
    onProgress({ checked: to, total: data.length, problems });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (!data.length) onProgress({ checked: 0, total: 0, problems });
}
