import { isValidTimeZone, zonedParts } from '@waymark/shared';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { anyOf, chunk, insertJson } from '../../db/bulk-sql.ts';
import { workspaces } from '../../db/schema.ts';

/** An amount to add to one counter of one node of one journey version. */
export interface NodeStatDelta {
  workspaceId: string;
  journeyId: string;
  version: number;
  nodeId: string;
  metric: string;
  count: number;
}

/**
 * A message counter twice: on the send step (`sent`) and on the step per channel (`sent@sms`), so
 * a step that sends on the customer's preferred channel still reports each channel on its own.
 */
export function perChannel(delta: NodeStatDelta, channel: string): NodeStatDelta[] {
  return [delta, { ...delta, metric: `${delta.metric}@${channel}` }];
}

/**
 * Adds to the per-node counters of the day `at` falls on in each workspace's time zone, in the
 * caller's transaction, so a date range is a sum over day buckets. Deltas for the same counter are
 * merged, zeros dropped, and rows written in one order everywhere, so concurrent transactions
 * (event loops, timers, delivery, engagement) lock counter rows in the same order and cannot deadlock.
 */
export async function addToNodeStats(tx: Tx | Db, deltas: Iterable<NodeStatDelta>, at: number): Promise<void> {
  const merged = new Map<string, NodeStatDelta>();
  for (const delta of deltas) {
    const key = `${delta.journeyId}|${delta.version}|${delta.nodeId}|${delta.metric}`;
    const known = merged.get(key);
    if (known) known.count += delta.count;
    else merged.set(key, { ...delta });
  }
  const nonZero = [...merged].filter(([, d]) => d.count !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  if (!nonZero.length) return;
  const days = await workspaceDays(tx, [...new Set(nonZero.map(([, d]) => d.workspaceId))], at);
  const rows = nonZero.map(([, d]) => ({ ...d, day: days.get(d.workspaceId)! }));
  for (const part of chunk(rows, 4_000)) {
    await tx.execute(insertJson('node_stats', part, sql`on conflict (journey_id, version, day, node_id, metric) do update set count = node_stats.count + excluded.count`));
  }
}

/** Workspace zones read recently: counters are written on every batch, and a zone changes rarely. */
const zones = new Map<string, { zone: string; readAt: number }>();
const zoneTtlMs = 60_000;

/** Forgets a workspace's zone after its settings change here (other processes notice within a minute). */
export function forgetWorkspaceZone(workspaceId: string) {
  zones.delete(workspaceId);
}

/** The calendar day (YYYY-MM-DD) of `at` in each workspace's zone (UTC when it has none). */
async function workspaceDays(tx: Tx | Db, workspaceIds: string[], at: number): Promise<Map<string, string>> {
  const fresh = performance.now() - zoneTtlMs;
  const missing = workspaceIds.filter((id) => (zones.get(id)?.readAt ?? -Infinity) < fresh);
  if (missing.length) {
    const rows = await tx.execute<{ id: string; zone: string | null }>(sql`select id, settings ->> 'timeZone' as zone from workspaces where ${anyOf(workspaces.id, missing)}`);
    for (const row of rows) zones.set(row.id, { zone: row.zone && isValidTimeZone(row.zone) ? row.zone : 'UTC', readAt: performance.now() });
  }
  return new Map(workspaceIds.map((id) => [id, dayIn(at, zones.get(id)?.zone ?? 'UTC')]));
}

/** YYYY-MM-DD of an instant in a zone. */
export function dayIn(at: number, zone: string): string {
  const p = zonedParts(at, zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
