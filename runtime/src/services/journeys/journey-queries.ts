import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { JourneySummary } from '@waymark/shared';
import type { Db } from '../../db/database.ts';
import { journeys, journeyVersions } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { getJourney } from './journey-service.ts';
import { journeyNode } from '../execution/run-batch.ts';

/** A published journey whose draft has been saved since its last publish. */
const unpublished = sql<boolean>`(${journeys.liveVersion} is not null and ${journeys.revision} > coalesce(${journeys.publishedRevision}, 0))`;

/**
 * Journeys of a workspace: customers in them now (all versions), conversions (all versions, all
 * time), and the live version's entries and conversions over `range` with entries per day.
 */
export async function listJourneys(db: Db, workspaceId: string, query: { q?: string | undefined; from: string; to: string }): Promise<JourneySummary[]> {
  const search = query.q;
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
  const days = await db.execute<{ journey_id: string; day: string; metric: string; count: number }>(sql`
    select s.journey_id, to_char(s.day, 'YYYY-MM-DD') as day, s.metric, sum(s.count)::int as count
    from journeys j join node_stats s on s.journey_id = j.id and s.version = j.live_version
    where j.workspace_id = ${workspaceId} and j.status <> 'archived' and s.day between ${query.from}::date and ${query.to}::date
      and s.node_id = ${journeyNode} and s.metric in ('entered', 'converted')
    group by 1, 2, 3`);
  const range = daysBetween(query.from, query.to);
  return rows.map(({ entered, ended, ...row }) => {
    const mine = days.filter((d) => d.journey_id === row.id);
    const sum = (metric: string) => mine.reduce((n, d) => (d.metric === metric ? n + d.count : n), 0);
    const perDay = new Map(mine.filter((d) => d.metric === 'entered').map((d) => [d.day, d.count]));
    return {
      ...row,
      status: row.status as JourneySummary['status'],
      updatedAt: new Date(row.updatedAt).toISOString(),
      activeCustomers: entered - ended,
      live: row.liveVersion ? { version: row.liveVersion, entered: sum('entered'), converted: sum('converted'), entriesByDay: range.map((day) => ({ day, count: perDay.get(day) ?? 0 })) } : null,
    };
  });
}

/** Every day from `first` to `last`, both included (at most about three years). */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${first}T00:00:00Z`), end = Date.parse(`${last}T00:00:00Z`); at <= end && days.length < 1_100; at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
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
