import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { JourneyStats, JourneySummary } from '@waymark/shared';
import type { Db } from '../../db/database.ts';
import { journeys, journeyVersions, nodeStats } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { journeyNode } from '../execution/run-batch.ts';

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

/** Counters per node for one version (default: the live one), read from `node_stats`. */
export async function journeyStats(db: Db, workspaceId: string, journeyId: string, version: number): Promise<JourneyStats> {
  const rows = await db
    .select({ nodeId: nodeStats.nodeId, metric: nodeStats.metric, count: nodeStats.count })
    .from(nodeStats)
    .where(and(eq(nodeStats.workspaceId, workspaceId), eq(nodeStats.journeyId, journeyId), eq(nodeStats.version, version)));
  const nodes: JourneyStats['nodes'] = {};
  for (const row of rows) nodes[row.nodeId] = { ...nodes[row.nodeId], [row.metric]: Number(row.count) };
  return { journeyId, version, nodes };
}
