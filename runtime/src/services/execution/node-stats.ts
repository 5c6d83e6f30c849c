import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { chunk } from '../../db/bulk-sql.ts';
import { nodeStats } from '../../db/schema.ts';

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
 * Adds to the per-node counters in the caller's transaction. Deltas for the same counter are
 * merged, zeros dropped, and rows written in one order everywhere, so concurrent transactions
 * (event loops, timers, delivery, engagement) lock counter rows in the same order and cannot deadlock.
 */
export async function addToNodeStats(tx: Tx | Db, deltas: Iterable<NodeStatDelta>): Promise<void> {
  const merged = new Map<string, NodeStatDelta>();
  for (const delta of deltas) {
    const key = `${delta.journeyId}|${delta.version}|${delta.nodeId}|${delta.metric}`;
    const known = merged.get(key);
    if (known) known.count += delta.count;
    else merged.set(key, { ...delta });
  }
  const rows = [...merged]
    .filter(([, d]) => d.count !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, d]) => d);
  for (const part of chunk(rows, 4_000)) {
    await tx
      .insert(nodeStats)
      .values(part)
      .onConflictDoUpdate({
        target: [nodeStats.journeyId, nodeStats.version, nodeStats.nodeId, nodeStats.metric],
        set: { count: sql`${nodeStats.count} + excluded.count` },
      });
  }
}
