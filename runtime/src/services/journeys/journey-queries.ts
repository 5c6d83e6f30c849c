import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { JourneySummary } from '@waymark/shared';
import type { Db } from '../../db/database.ts';
import { journeys, journeyVersions, nodeStats } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { getJourney } from './journey-service.ts';
import { journeyNode } from '../execution/run-batch.ts';

/** A published journey whose draft has been saved since its last publish. */
const unpublished = sql<boolean>`(${journeys.liveVersion} is not null and ${journeys.revision} > coalesce(${journeys.publishedRevision}, 0))`;

/** Journeys of a workspace with customers currently in them and conversions, from the counters. */
export async function listJourneys(db: Db, workspaceId: string, search?: string): Promise<JourneySummary[]> {
  const rows = await db
    .select({
      id: journeys.id,
      name: journeys.name,
      status: journeys.status,
      liveVersion: journeys.liveVersion,
      revision: journeys.revision,
      updatedAt: journeys.updatedAt,
      entered: sql<number>`coalesce((select sum(count) from node_stats s where s.journey_id = ${journeys.id} and s.node_id = ${journeyNode} and s.metric = 'entered'), 0)::int`,
      ended: sql<number>`coalesce((select sum(count) from node_stats s where s.journey_id = ${journeys.id} and s.node_id = ${journeyNode} and s.metric like 'exit:%'), 0)::int`,
      conversions: sql<number>`coalesce((select sum(count) from node_stats s where s.journey_id = ${journeys.id} and s.node_id = ${journeyNode} and s.metric = 'converted'), 0)::int`,
      unpublishedChanges: unpublished,
    })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), ne(journeys.status, 'archived'), search ? sql`${journeys.name} ilike ${`%${search}%`}` : undefined))
    .orderBy(desc(journeys.updatedAt));
  return rows.map(({ entered, ended, ...row }) => ({
    ...row,
    status: row.status as JourneySummary['status'],
    updatedAt: new Date(row.updatedAt).toISOString(),
    activeCustomers: entered - ended,
  }));
}

export async function listVersions(db: Db, workspaceId: string, journeyId: string) {
  return db
    .select({ version: journeyVersions.version, publishedBy: journeyVersions.publishedBy, publishedAt: journeyVersions.publishedAt })
    .from(journeyVersions)
    .where(and(eq(journeyVersions.workspaceId, workspaceId), eq(journeyVersions.journeyId, journeyId)))
    .orderBy(desc(journeyVersions.version));
}

export async function getVersion(db: Db, workspaceId: string, journeyId: string, version: number) {
  const [row] = await db
    .select()
    .from(journeyVersions)
    .where(and(eq(journeyVersions.workspaceId, workspaceId), eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.version, version)));
  if (!row) throw new ApiError(404, 'version-not-found', `Journey "${journeyId}" has no version ${version}.`);
  return row;
}

/** One journey as the editor opens it: its draft, whether it has unpublished changes, and how many customers are in it now. */
export async function journeyDetail(db: Db, workspaceId: string, id: string) {
  const journey = await getJourney(db, workspaceId, id);
  const [counts] = await db.execute<{ entered: number; ended: number }>(sql`
    select coalesce(sum(count) filter (where metric = 'entered'), 0)::int as entered, coalesce(sum(count) filter (where metric like 'exit:%'), 0)::int as ended
    from node_stats where journey_id = ${id} and node_id = ${journeyNode}`);
  return {
    ...journey,
    unpublishedChanges: journey.liveVersion !== null && journey.revision > (journey.publishedRevision ?? 0),
    activeCustomers: (counts?.entered ?? 0) - (counts?.ended ?? 0),
  };
}
