import Papa from 'papaparse';
import type { RowProblem } from './import-rows.ts';

/**
 * The rows that were not imported as a CSV to fix and import again: the file's own columns, as
 * they were, plus why (`reason`). Cells a spreadsheet would run as formulas get a leading
 * apostrophe; the import reads them back without it.
 */
export function rejectedRowsCsv(columns: string[], data: string[][], rejected: RowProblem[]): string {
  const reason = columns.includes('reason') ? 'import problem' : 'reason';
  const rows = [...rejected].sort((a, b) => a.index - b.index).map((row) => [...columns.map((_, i) => data[row.index]?.[i] ?? ''), row.reason]);
  return Papa.unparse({ fields: [...columns, reason], data: rows }, { escapeFormulae: true, newline: '\r\n' });
}
