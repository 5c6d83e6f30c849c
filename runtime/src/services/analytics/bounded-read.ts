import type { Db, Tx } from '../../db/database.ts';
import { sqlStateOf } from '../../db/database-errors.ts';
import { ApiError } from '../../http/api-error.ts';
import { sql } from 'drizzle-orm';

/** How long a read of a segment's numbers may take before PostgreSQL stops it. */
export const segmentReadLimitMs = 20_000;
/** Memory per sort or hash of such a read (PostgreSQL's default, 4 MB, sent 25,000 members' steps to disk). */
const workMem = '64MB';

/**
 * Runs a read-time count of segment members in a read-only transaction whose statements PostgreSQL
 * stops after `limitMs` (SQLSTATE 57014), answered as a 422 that says what to do, so a huge
 * segment costs the database a bounded amount of work.
 */
export async function boundedRead<T>(db: Db, what: string, read: (tx: Tx) => Promise<T>, limitMs = segmentReadLimitMs): Promise<T> {
  try {
    return await db.transaction(
      async (tx) => {
        await tx.execute(sql.raw(`set local statement_timeout = ${Math.round(limitMs)}`));
        // Room to keep the members' steps, sorts and groups in memory rather than on disk.
        await tx.execute(sql.raw(`set local work_mem = '${workMem}'`));
        return read(tx);
      },
      { accessMode: 'read only' },
    );
  } catch (error) {
    if (sqlStateOf(error) !== '57014') throw error;
    throw new ApiError(422, 'segment-too-large', `Counting ${what} took longer than ${formatSeconds(limitMs)}, so it was stopped. Choose a smaller segment, or read the numbers for all customers.`, {
      field: 'segment',
    });
  }
}

const formatSeconds = (ms: number) => `${new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
