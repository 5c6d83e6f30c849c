import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { entryRefusals, journeys } from '../../db/schema.ts';

/** Why an entry was refused: the journey's re-entry rule, a paused journey, or the trigger's audience filter. */
export type RefusalReason = 'already-in-journey' | 're-entry-never' | 're-entry-cooldown' | 'no-key' | 'paused' | 'audience-filter';

/** The entries refused to one customer, latest first, with the journey's name. */
export async function listRefusals(db: Db, customerId: string) {
  const rows = await db
    .select({
      journeyId: entryRefusals.journeyId,
      journeyName: journeys.name,
      version: entryRefusals.version,
      reason: entryRefusals.reason,
      detail: entryRefusals.detail,
      count: entryRefusals.count,
      firstAt: entryRefusals.firstAt,
      lastAt: entryRefusals.lastAt,
    })
    .from(entryRefusals)
    .innerJoin(journeys, eq(journeys.id, entryRefusals.journeyId))
    .where(eq(entryRefusals.customerId, customerId))
    .orderBy(desc(entryRefusals.lastAt))
    .limit(200);
  return rows.map((row) => ({ ...row, reason: row.reason as RefusalReason, firstAt: new Date(row.firstAt).toISOString(), lastAt: new Date(row.lastAt).toISOString() }));
}
