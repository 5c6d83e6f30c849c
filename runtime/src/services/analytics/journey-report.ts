import type { JourneyReport, JourneyStats, ReportChannel, ReportDay, StatsQuery } from '@waymark/shared';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { journeyNode } from '../execution/run-batch.ts';
import { daysBetween } from '../journeys/journey-queries.ts';
import { statsFrom, statsOf } from './journey-stats.ts';
import { segmentCounters, sumCounters } from './segment-counters.ts';
import { type StatsScope, statsRows, statsScope } from './stats-scope.ts';

const dayMetrics = ['entered', 'sent', 'opened', 'clicked', 'converted'] as const;
const channelMetrics = ['queued', 'sent', 'delivered', 'failed', 'opened', 'clicked', 'unsubscribed'] as const;

/** Whether a counter is one of the day-by-day series: entries and conversions of the journey, sends, opens and clicks of its steps. */
const inSeries = (nodeId: string, metric: string) => (nodeId === journeyNode ? metric === 'entered' || metric === 'converted' : metric === 'sent' || metric === 'opened' || metric === 'clicked');

/**
 * A journey's report for a version and a range: its stats, a day-by-day series (every day of the
 * range, zeros included), sends per channel and how runs ended, all from the day-bucketed counters
 * — or, with a segment, from the same counters worked out for its members at read time (once).
 */
export async function journeyReport(db: Db, workspaceId: string, journeyId: string, query: StatsQuery): Promise<JourneyReport> {
  const scope = await statsScope(db, workspaceId, journeyId, query);
  let stats: JourneyStats;
  let series: { day: string; metric: string; count: number }[];
  if (scope.segment) {
    const counters = await segmentCounters(db, { ...scope, segment: scope.segment });
    stats = statsFrom(scope, sumCounters(counters.rows), counters.customers);
    series = counters.rows.filter((row): row is typeof row & { day: string } => row.day !== null && inSeries(row.nodeId, row.metric)).sort((a, b) => (a.day < b.day ? -1 : 1));
  } else {
    [stats, series] = await Promise.all([
      statsOf(db, scope),
      db.execute<{ day: string; metric: string; count: number }>(sql`
        select to_char(day, 'YYYY-MM-DD') as day, metric, sum(count)::bigint as count from node_stats
        where ${statsRows(scope)}
          and ((node_id = ${journeyNode} and metric in ('entered', 'converted')) or (node_id <> ${journeyNode} and metric in ('sent', 'opened', 'clicked')))
        group by day, metric order by day`),
    ]);
  }
  const byDay = new Map<string, ReportDay>();
  const blank = (day: string): ReportDay => ({ day, entered: 0, sent: 0, opened: 0, clicked: 0, converted: 0 });
  const first = scope.range.from ?? series[0]?.day;
  const last = scope.range.to ?? series.at(-1)?.day ?? first;
  if (first && last) for (const day of daysBetween(first, last)) byDay.set(day, blank(day));
  for (const row of series) {
    const day = byDay.get(row.day) ?? blank(row.day);
    if ((dayMetrics as readonly string[]).includes(row.metric)) day[row.metric as (typeof dayMetrics)[number]] += Number(row.count);
    byDay.set(row.day, day);
  }

  const channels = new Map<string, ReportChannel>();
  const rowOf = (channel: string) => {
    const row = channels.get(channel) ?? { channel, queued: 0, sent: 0, delivered: 0, failed: 0, opened: 0, clicked: 0, unsubscribed: 0, skipped: 0 };
    channels.set(channel, row);
    return row;
  };
  for (const [nodeId, channelsOfNode] of sendSteps(scope)) {
    const counts = stats.nodes[nodeId] ?? {};
    for (const channel of channelsOfNode) rowOf(channel);
    for (const [metric, n] of Object.entries(counts)) {
      const [name, channel] = metric.split('@');
      if (channel && (channelMetrics as readonly string[]).includes(name!)) rowOf(channel)[name as (typeof channelMetrics)[number]] += n;
      // A skip happens before a channel is chosen: it is the step's one channel, or "preferred" for a step with several.
      else if (metric.startsWith('skipped:')) rowOf(channelsOfNode.length === 1 ? channelsOfNode[0]! : 'preferred').skipped += n;
    }
  }

  const exits: Record<string, number> = {};
  for (const [metric, n] of Object.entries(stats.nodes[journeyNode] ?? {})) if (metric.startsWith('exit:')) exits[metric.slice(5)] = n;
  return { stats, days: [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1)), channels: [...channels.values()], exits };
}

/** Each send step of the scope's versions with the channels it may send on. */
function sendSteps(scope: StatsScope): Map<string, string[]> {
  const steps = new Map<string, string[]>();
  for (const machine of scope.machines.values()) {
    for (const [nodeId, state] of Object.entries(machine.states)) {
      if (state.type === 'send') steps.set(nodeId, state.delivery.mode === 'channel' ? [state.delivery.channel] : state.delivery.channels);
    }
  }
  return steps;
}
