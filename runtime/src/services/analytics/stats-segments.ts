import type { StatsSegment } from '@waymark/shared';
import { sql } from 'drizzle-orm';
import { anyOf } from '../../db/bulk-sql.ts';
import type { Db } from '../../db/database.ts';
import { ApiError } from '../../http/api-error.ts';
import { memberCounts } from '../segments/segment-service.ts';

interface Row extends Record<string, unknown> {
  id: string;
  name: string;
  status: string;
}

/** Segments with their members now. */
async function segmentRows(db: Db, workspaceId: string, which: { ids: string[] } | { first: number }): Promise<StatsSegment[]> {
  const rows = await db.execute<Row>(
    'ids' in which
      ? sql`select id, name, status from segments where workspace_id = ${workspaceId} and ${anyOf(sql`id`, which.ids)}`
      : sql`select id, name, status from segments where workspace_id = ${workspaceId} order by lower(name), id limit ${which.first}`,
  );
  const counts = await memberCounts(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ id: row.id, name: row.name, members: counts.get(row.id) ?? 0, building: row.status === 'building' }));
}

/**
 * The workspace's segments of these ids, in the order asked, with their members now; 404 naming
 * `field` for one the workspace does not have.
 */
export async function statsSegments(db: Db, workspaceId: string, ids: string[], field: string): Promise<StatsSegment[]> {
  const found = new Map((await segmentRows(db, workspaceId, { ids })).map((segment) => [segment.id, segment]));
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
  return { segments: rows, available };
}
