import { compareArms, type JourneyStats, type StatsQuery, type WaitRange, type WaitTimes, waitQuantile } from '@waymark/shared';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { segmentCounters, sumCounters } from './segment-counters.ts';
import { type StatsScope, statsRows, statsScope, versionsOf } from './stats-scope.ts';

/**
 * A journey's numbers for a version and a range of days: every counter summed over its day
 * buckets (never a scan of steps), `waiting` as it is now, distinct customers who entered, and
 * each split's A/B readout and each wait's time spent read from the same counters. With a
 * segment, the same counters are worked out from its members' steps and messages at read time.
 */
export async function journeyStats(db: Db, workspaceId: string, journeyId: string, query: StatsQuery): Promise<JourneyStats> {
  return statsOf(db, await statsScope(db, workspaceId, journeyId, query));
}

export async function statsOf(db: Db, scope: StatsScope): Promise<JourneyStats> {
  if (scope.segment) {
    const counters = await segmentCounters(db, { ...scope, segment: scope.segment });
    return statsFrom(scope, sumCounters(counters.rows), counters.customers);
  }
  const allDays: StatsScope = { ...scope, range: { ...scope.range, from: null, to: null } };
  const [flows, gauges, [customers]] = await Promise.all([
    db.execute<{ node_id: string; metric: string; count: number }>(sql`
      select node_id, metric, sum(count)::bigint as count from node_stats
      where ${statsRows(scope)} and metric <> 'waiting' group by node_id, metric`),
    // A gauge, not a flow: who waits now, whatever the range.
    db.execute<{ node_id: string; count: number }>(sql`
      select node_id, sum(count)::bigint as count from node_stats where ${statsRows(allDays)} and metric = 'waiting' group by node_id`),
    // Grouped by hash under the byte collation: a sorted count(distinct) spends most of its time comparing text.
    db.execute<{ n: number }>(sql`
      select count(*)::int as n from (select customer_id collate "C" from run_entries
        where journey_id = ${scope.journeyId} and version = any(${versionsOf(scope)})
          ${scope.since ? sql`and entered_at >= ${scope.since}` : sql``} ${scope.until ? sql`and entered_at < ${scope.until}` : sql``}
        group by 1) customers`),
  ]);
  const nodes: JourneyStats['nodes'] = {};
  const countsOf = (nodeId: string) => {
    const counts = nodes[nodeId] ?? {};
    nodes[nodeId] = counts;
    return counts;
  };
  for (const row of flows) countsOf(row.node_id)[row.metric] = Number(row.count);
  for (const row of gauges) if (Number(row.count)) countsOf(row.node_id).waiting = Number(row.count);
  return statsFrom(scope, nodes, customers?.n ?? 0);
}

/** The stats of a scope from its counters per node: the A/B readouts and wait times are read from them too. */
export function statsFrom(scope: StatsScope, nodes: JourneyStats['nodes'], customers: number): JourneyStats {
  return {
    journeyId: scope.journeyId,
    version: scope.version,
    versions: scope.versions,
    range: scope.range,
    nodes,
    customers,
    splits: splitReadouts(scope, nodes),
    waits: waitTimes(scope, nodes),
    ...(scope.segment ? { segment: scope.segment } : {}),
    generatedAt: new Date().toISOString(),
  };
}

/** Every split's arms against the control, from `left:<arm>` (customers assigned) and `converted:<arm>`. */
function splitReadouts(scope: StatsScope, nodes: JourneyStats['nodes']): JourneyStats['splits'] {
  const splits: JourneyStats['splits'] = {};
  // The newest version's arms (ids and labels) name the arms; older versions count into the same ids.
  for (const version of [...scope.versions].reverse()) {
    for (const [nodeId, state] of Object.entries(scope.machines.get(version)?.states ?? {})) {
      if (state.type !== 'split' || splits[nodeId]) continue;
      const counts = nodes[nodeId] ?? {};
      splits[nodeId] = compareArms(
        state.arms.map((arm) => ({
          id: arm.id,
          ...(arm.label ? { label: arm.label } : {}),
          holdout: arm.holdout,
          entered: counts[`left:${arm.id}`] ?? 0,
          converted: counts[`converted:${arm.id}`] ?? 0,
        })),
      );
    }
  }
  return splits;
}

/** Every wait's median and p90 time spent, as bucket ranges. */
function waitTimes(scope: StatsScope, nodes: JourneyStats['nodes']): JourneyStats['waits'] {
  const waits: JourneyStats['waits'] = {};
  for (const machine of scope.machines.values()) {
    for (const [nodeId, state] of Object.entries(machine.states)) {
      if ((state.type !== 'wait' && state.type !== 'wait-for-event') || waits[nodeId]) continue;
      const counts = nodes[nodeId] ?? {};
      const median = waitQuantile(counts, 0.5);
      const p90 = waitQuantile(counts, 0.9);
      if (!median || !p90) continue;
      const count = Object.entries(counts).reduce((sum, [metric, n]) => (metric.startsWith('waited:') ? sum + n : sum), 0);
      waits[nodeId] = { count, median: span(median), p90: span(p90) } satisfies WaitTimes;
    }
  }
  return waits;
}

const span = (range: WaitRange) => ({ from: range.from, to: Number.isFinite(range.to) ? range.to : null });
