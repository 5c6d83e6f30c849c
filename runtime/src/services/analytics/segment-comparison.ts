import { maxComparedSegments, type SegmentComparison, type SegmentComparisonQuery, type SegmentComparisonRow, type StatsSegment } from '@waymark/shared';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { anyOf } from '../../db/bulk-sql.ts';
import type { Db } from '../../db/database.ts';
import { journeyNode } from '../execution/run-batch.ts';
import { boundedRead } from './bounded-read.ts';
import { type StatsScope, statsRows, statsScope, versionsOf } from './stats-scope.ts';
import { countSegments, firstSegments, statsSegments } from './stats-segments.ts';

type Query = z.output<typeof SegmentComparisonQuery>;

const blank = (segment: StatsSegment | null): SegmentComparisonRow => ({ segment, entered: 0, converted: 0, sent: 0, opened: 0, clicked: 0 });

/**
 * The "by segment" table: all customers (from the counters), then each segment asked for (or the
 * workspace's first 10 by name) counted from its members now, over the same version and days —
 * entries and conversions from their runs, sends, first opens and first clicks from their
 * messages, the same numbers the report's totals and channels show. One bounded statement for all segments.
 */
export async function compareSegments(db: Db, workspaceId: string, journeyId: string, query: Query): Promise<SegmentComparison> {
  const scope = await statsScope(db, workspaceId, journeyId, { version: query.version, from: query.from, to: query.to });
  const { segments, available } = query.segments
    ? { segments: await statsSegments(db, workspaceId, query.segments, 'segments'), available: await countSegments(db, workspaceId) }
    : await firstSegments(db, workspaceId, maxComparedSegments);
  const [all, rows] = await Promise.all([everyone(db, scope), bySegment(db, scope, segments)]);
  return { range: scope.range, all, rows, available };
}

/** All customers, from the day counters. */
async function everyone(db: Db, scope: StatsScope): Promise<SegmentComparisonRow> {
  const counts = await db.execute<{ metric: keyof Omit<SegmentComparisonRow, 'segment'>; count: number }>(sql`
    select metric, sum(count)::bigint as count from node_stats
    where ${statsRows(scope)}
      and ((node_id = ${journeyNode} and metric in ('entered', 'converted')) or (node_id <> ${journeyNode} and metric in ('sent', 'opened', 'clicked')))
    group by metric`);
  const row = blank(null);
  for (const { metric, count } of counts) row[metric] = Number(count);
  return row;
}

/** Each segment's members now: their runs of the journey and its messages to them, counted over the range. */
async function bySegment(db: Db, scope: StatsScope, segments: StatsSegment[]): Promise<SegmentComparisonRow[]> {
  if (!segments.length) return [];
  const between = (column: string) =>
    sql.join(
      [
        sql`${sql.raw(column)} is not null`,
        ...(scope.since ? [sql`${sql.raw(column)} >= ${scope.since}::timestamptz`] : []),
        ...(scope.until ? [sql`${sql.raw(column)} < ${scope.until}::timestamptz`] : []),
      ],
      sql` and `,
    );
  const versions = versionsOf(scope);
  const wanted = sql`array(select number from segments where ${anyOf(
    sql`id`,
    segments.map((s) => s.id),
  )})`;
  const counts = await boundedRead(db, segments.length === 1 ? `the customers in ${segments[0]!.name}` : `the customers in ${segments.length} segments`, (tx) =>
    tx.execute<{ segment_id: string; entered: number; converted: number; sent: number; opened: number; clicked: number }>(sql`
      with members as materialized (
        select g.id as segment_id, m.customer_id from customer_segments m cross join lateral unnest(m.segments) s join segments g on g.number = s
        where m.segments && ${wanted} and s = any(${wanted})
      ),
      -- Looked up member by member (progress_customer, messages_customer): the cost follows the segments' sizes.
      runs as (
        select m.segment_id, p.entered_at, (p.state ->> 'convertedAt')::timestamptz as converted_at from members m
        cross join lateral (
          select entered_at, state from progress where customer_id = m.customer_id and journey_id = ${scope.journeyId} and version = any(${versions}) offset 0
        ) p
      ),
      msgs as (
        select m.segment_id, x.sent_at, x.opened_at, x.clicked_at from members m
        cross join lateral (
          select sent_at, opened_at, clicked_at from messages where customer_id = m.customer_id and journey_id = ${scope.journeyId} and version = any(${versions}) offset 0
        ) x
      )
      select segment_id, count(*) filter (where ${between('entered_at')}) as entered, count(*) filter (where ${between('converted_at')}) as converted,
        0 as sent, 0 as opened, 0 as clicked
      from runs group by segment_id
      union all
      select segment_id, 0, 0, count(*) filter (where ${between('sent_at')}), count(*) filter (where ${between('opened_at')}), count(*) filter (where ${between('clicked_at')})
      from msgs group by segment_id`),
  );
  const rows = new Map(segments.map((segment) => [segment.id, blank(segment)]));
  for (const count of counts) {
    const row = rows.get(count.segment_id)!;
    row.entered += Number(count.entered);
    row.converted += Number(count.converted);
    row.sent += Number(count.sent);
    row.opened += Number(count.opened);
    row.clicked += Number(count.clicked);
  }
  return [...rows.values()];
}
