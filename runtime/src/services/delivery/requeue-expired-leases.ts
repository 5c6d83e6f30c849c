import { sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import { chunk } from '../../db/bulk-sql.ts';
import type { Db } from '../../db/database.ts';
import { deliveryQueue } from '../execution/persist-batch.ts';

/**
 * Gives messages whose delivery handler died (the process killed while it held them, or unable to
 * record what it sent) a new delivery job once their lease has ended: status back to `retrying`,
 * the job in the same transaction. Runs every minute; returns how many it put back. A message
 * whose send happened but was not recorded is sent again — at least once, never lost.
 */
export async function requeueExpiredLeases(db: Db, boss: PgBoss, now: number): Promise<number> {
  return db.transaction(async (tx) => {
    const expired = await tx.execute<{ id: string; channel: string }>(sql`
      update messages set status = 'retrying', lease_until = null
      where status = 'sending' and lease_until < ${new Date(now).toISOString()}
      returning id, channel`);
    const inTx = { db: fromDrizzle(tx, sql) };
    for (const [channel, list] of Map.groupBy(expired, (m) => m.channel)) {
      for (const part of chunk(list, 500)) await boss.insert(deliveryQueue(channel), [{ data: { messageIds: part.map((m) => m.id) }, startAfter: new Date(now) }], inTx);
    }
    return expired.length;
  });
}
