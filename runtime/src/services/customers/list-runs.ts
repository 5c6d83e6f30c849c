import type { RunSummary } from '@waymark/shared';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { journeys, progress } from '../../db/schema.ts';
import { labelOf, nodeLabels } from './node-labels.ts';

/** The runs shown on a customer's page: the newest this many. */
export const runsShown = 100;

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

/** A customer's runs, newest first (or the one `where` picks), each with where it is now in words. */
export async function listRuns(db: Db, customerId: string, where?: SQL): Promise<RunSummary[]> {
  const rows = await db
    .select({
      id: progress.id,
      journeyId: progress.journeyId,
      journeyName: sql<string>`coalesce(${journeys.name}, 'a deleted journey')`,
      version: progress.version,
      status: progress.status,
      nodeId: progress.nodeId,
      endReason: sql<string | null>`${progress.state} ->> 'endReason'`,
      convertedAt: sql<string | null>`${progress.state} ->> 'convertedAt'`,
      enteredAt: progress.enteredAt,
      endedAt: progress.endedAt,
    })
    .from(progress)
    .leftJoin(journeys, eq(journeys.id, progress.journeyId))
    .where(and(eq(progress.customerId, customerId), where))
    .orderBy(desc(progress.enteredAt), desc(progress.id))
    .limit(runsShown);
  const labels = await nodeLabels(
    db,
    rows.filter((r) => r.status === 'active'),
  );
  return rows.map(({ nodeId, ...run }) => ({
    ...run,
    currentStep: run.status === 'active' ? (labelOf(labels, run.journeyId, run.version, nodeId)?.label ?? null) : null,
    enteredAt: new Date(run.enteredAt).toISOString(),
    endedAt: iso(run.endedAt),
    convertedAt: iso(run.convertedAt),
  }));
}
