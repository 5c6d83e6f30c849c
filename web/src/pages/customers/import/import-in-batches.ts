import { type CustomerImportResponse, type ImportRow, maxImportRows } from '@waymark/shared';
import { api } from '../../../api/client.ts';
import { withRetries } from '../../../editor/enroll/enroll-in-batches.ts';
import type { ColumnUse } from './column-mapping.ts';
import { problemWords, type RowProblem, rowFrom } from './import-rows.ts';

/** Bodies stay well under the API's 5 MB: a call of 1,000 wide rows is split. */
const maxBatchBytes = 4_000_000;

/** Where an import has got to: the next row to send (a position in the rows sent) and what came back so far. */
export interface ImportTally {
  /** Names this upload's calls: with the batch's first position, each call's idempotency key. */
  session: string;
  next: number;
  /** Rows that created or updated a customer. */
  imported: number;
  /** Customers created, and customers that existed and were updated (two rows of one person count once). */
  created: Set<string>;
  updated: Set<string>;
  rejected: RowProblem[];
}

export const startTally = (): ImportTally => ({ session: crypto.randomUUID(), next: 0, imported: 0, created: new Set(), updated: new Set(), rejected: [] });

/**
 * Sends the rows at `indexes` of the file one call after another — 1,000 rows a call, fewer when
 * they are wide — from `tally.next` on, each call with its own idempotency key (so a call retried
 * after a dropped connection or a busy server writes nothing twice), and updates `tally` as calls
 * come back; a failure leaves it where the import stopped, so calling again resumes there.
 */
export async function importInBatches(
  path: string,
  file: { data: string[][]; columns: string[] },
  mapping: ColumnUse[],
  indexes: number[],
  tally: ImportTally,
  onProgress: (tally: ImportTally) => void,
): Promise<void> {
  while (tally.next < indexes.length) {
    const part: number[] = [];
    const rows: ImportRow[] = [];
    let bytes = 0;
    for (let at = tally.next; at < indexes.length && part.length < maxImportRows; at++) {
      const row = rowFrom(file.data[indexes[at]!]!, mapping);
      bytes += JSON.stringify(row).length + 1;
      if (part.length && bytes > maxBatchBytes) break;
      part.push(indexes[at]!);
      rows.push(row);
    }
    const body = { rows, idempotencyKey: `${tally.session}-${tally.next}` };
    const answer = await withRetries(() => api<CustomerImportResponse>('POST', path, body));
    tally.imported += answer.created + answer.updated;
    for (const result of answer.results) {
      if (result.status === 'created') tally.created.add(result.customerId!);
      else if (result.status === 'updated' && !tally.created.has(result.customerId!)) tally.updated.add(result.customerId!);
      if (result.status !== 'rejected') continue;
      const field = result.field ?? 'userId';
      const message = (result.reason ?? 'could not be imported').replace(`${field}: `, '');
      tally.rejected.push({ index: part[result.index]!, reason: problemWords({ field, message }, file.columns, mapping) });
    }
    tally.next += part.length;
    onProgress({ ...tally });
  }
}
