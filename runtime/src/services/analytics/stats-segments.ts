import type { StatsSegment } from '@waymark/shared';
import { sql } from 'drizzle-orm';
import { anyOf } from '../../db/bulk-sql.ts';
import type { Db } from '../../db/database.ts';
import { ApiError } from '../../http/api-error.ts';

interface Row extends Record<string, unknown> {
  id: string;
  name: string;
  status: string;
  members: number;
}

/** Segments with their members now (the sum of each one's `segment_counts` rows). */
async function segmentRows(db: Db, workspaceId: string, which: { ids: string[] } | { first: number }) {
  const chosen =
    'ids' in which
      ? sql`select id, name, status from segments where workspace_id = ${workspaceId} and ${anyOf(sql`id`, which.ids)}`
      : sql`select id, name, status from segments where workspace_id = ${workspaceId} order by lower(name), id limit ${which.first}`;
  return db.execute<Row>(sql`
    select s.id, s.name, s.status, coalesce((select sum(n.members) from segment_counts n where n.segment_id = s.id), 0)::int as members
    from (${chosen}) s`);
}

const toSegment = (row: Row): StatsSegment => ({ id: row.id, name: row.name, members: row.members, building: row.status === 'building' });

/**
 * The workspace's segments of these ids, in the order asked, with their members now; 404 naming
 * `field` for one the workspace does not have.
 */
export async function statsSegments(db: Db, workspaceId: string, ids: string[], field: string): Promise<StatsSegment[]> {
  const found = new Map((await segmentRows(db, workspaceId, { ids })).map((row) => [row.id, toSegment(row)]));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new ApiError(404, 'segment-not-found', `"${field}": no segment "${missing}" in this workspace.`, { field });
  return ids.map((id) => found.get(id)!);
}

/** How many segments the workspace has. */
export async function countSegments(db: Db, workspaceId: string): Promise<number> {
  const [count] = await db.execute<{ n: number }>(sql`select count(*)::int as n from segments where workspace_id = ${workspaceId}`);
  return count?.n ?? 0;
}

/** The workspace's first `limit` segments by name, and how many it has. */
export async function firstSegments(db: Db, workspaceId: string, limit: number): Promise<{ segments: StatsSegment[]; available: number }> {
  const [rows, available] = await Promise.all([segmentRows(db, workspaceId, { first: limit }), countSegments(db, workspaceId)]);
  return { segments: rows.map(toSegment), available };
}
