import { type JourneyStats, type StatsSegment, waitBucketBounds } from '@waymark/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { journeyNode } from '../execution/run-batch.ts';
import { boundedRead } from './bounded-read.ts';
import { inSegment, segmentNumber } from '../segments/membership-sql.ts';
import { type StatsScope, versionsOf } from './stats-scope.ts';

/** One counter as `node_stats` would hold it for the segment's members: a day in the workspace's zone (null: the `waiting` gauge, now). */
export interface CounterRow {
  day: string | null;
  nodeId: string;
  metric: string;
  count: number;
}

/** A segment's counters over the scope's days, and the distinct customers who entered in them. */
export interface SegmentCounters {
  rows: CounterRow[];
  customers: number;
}

interface Row extends Record<string, unknown> {
  day: string | null;
  node_id: string;
  metric: string;
  count: number;
}

/** The row that carries the distinct customers, not a counter. */
const customersMetric = '#customers';

/** The finite bounds of the wait-time buckets, negated and ascending, as a `float8[]` parameter. */
const negatedBounds = `{${waitBucketBounds
  .filter(Number.isFinite)
  .map((bound) => -bound)
  .reverse()
  .join(',')}}`;
const finiteCount = waitBucketBounds.filter(Number.isFinite).length;

/**
 * `waitMetric` in SQL: the bucket is how many bounds lie below the milliseconds — all of them
 * less those at or above, which `width_bucket` counts over the negated bounds in one call.
 */
const waitMetricOf = (ms: SQL) => sql`'waited:' || (${finiteCount} - width_bucket(-(${ms})::float8, ${negatedBounds}::float8[]))`;

/**
 * The counters `node_stats` keeps, worked out at read time for the customers who are members of
 * the scope's segment now: their runs of the journey (`progress_customer`), each run's steps
 * (`run_steps_progress`) and refused entries in one statement, their messages (`messages_customer`)
 * in another beside it, grouped by day in the workspace's zone over the scope's range. Steps are
 * read as the writers count them: a step is a pass unless the run was already on that node (leaving
 * a wait, a send resumed after quiet hours); a conversion counts on the nodes the run had passed; a
 * run that leaves a wait (or ends while in one) counts its time there. Bounded by `boundedRead`.
 */
export async function segmentCounters(db: Db, scope: StatsScope & { segment: StatsSegment }, { driver }: { driver?: MemberDriver } = {}): Promise<SegmentCounters> {
  const zone = scope.range.zone;
  const versions = versionsOf(scope);
  const ms = (from: SQL, to: SQL) => sql`extract(epoch from ${to} - ${from}) * 1000`;
  const between = (column: SQL) =>
    sql.join([sql`true`, ...(scope.since ? [sql`${column} >= ${scope.since}::timestamptz`] : []), ...(scope.until ? [sql`${column} < ${scope.until}::timestamptz`] : [])], sql` and `);
  const what = `the customers in ${scope.segment.name}`;
  const number = await segmentNumber(db, scope.segment.id);
  const members = membersIn(driver ?? (await smallerSide(db, scope)), scope, number);
  // Two statements side by side, each on its own connection: the runs and their steps, and the messages.
  const [stepRows, messageRows] = await Promise.all([
    boundedRead(db, what, (tx) =>
      tx.execute<Row>(sql`
      with members as materialized (${members}),
      -- Each member's runs of the journey, looked up by the member (progress_customer): a lateral
      -- subquery kept apart (offset 0), so the cost follows the members', never the table's.
      runs as materialized (
        select p.id, p.customer_id, p.status, p.node_id, p.entered_at, p.ended_at, x."endReason" as end_reason, x."convertedAt" as converted_at
        from members m
        cross join lateral (
          select id, customer_id, status, node_id, entered_at, ended_at, state from progress
          where customer_id = m.customer_id and journey_id = ${scope.journeyId} and version = any(${versions}) offset 0
        ) p
        -- Both fields in one read of the state (each ->> would read it again).
        cross join lateral jsonb_to_record(p.state) as x("endReason" text, "convertedAt" timestamptz)
      ),
      -- Every step of those runs, in order. "In band" are the run's own way through; the others were
      -- written later on its behalf (a failed delivery, a held message skipped at resume) and are
      -- ordered apart, so the step before a step is the run's own.
      path as materialized (
        select run, seq, node_id, handle, reason, at, band,
          lag(node_id) over w as before_node, lag(at) over w as before_at, lead(seq) over w is null as last
        from (
          select r.id as run, s.id * 256 + t.n as seq, t.node_id, t.handle, t.reason, t.at,
            t.reason <> 'delivery-failed' and not (t.reason = 'skipped:paused' and t.handle is null) as band
          from runs r
          cross join lateral (select id, transitions from run_steps where progress_id = r.id offset 0) s
          cross join lateral rows from (jsonb_to_recordset(s.transitions) as (node_id text, handle text, reason text, at timestamptz)) with ordinality as t(node_id, handle, reason, at, n)
        ) steps
        window w as (partition by run, band order by seq)
      ),
      -- A conversion counts on the nodes the run had passed: before it, or at its instant unless the
      -- event it came with then moved the run on (its steps follow the wait's event-matched step).
      conversions as (
        select r.id, r.converted_at, min(p.seq) filter (where p.at = r.converted_at and p.reason = 'event-matched') as cut
        from runs r join path p on p.run = r.id and p.band where r.converted_at is not null group by r.id, r.converted_at
      ),
      converted_nodes as (
        select c.converted_at as at, p.node_id, max(p.handle) filter (where p.reason in ('split-assigned', 'holdout')) as arm
        from conversions c join path p on p.run = c.id and p.band
        where p.at < c.converted_at or (p.at = c.converted_at and (c.cut is null or p.seq <= c.cut))
        group by c.id, c.converted_at, p.node_id
      ),
      flows (at, node_id, metric, n) as (
        -- Passes (a step on a node the run was not already on), entries of the journey, branches taken, skips, failures.
        select at, node_id, 'entered', 1 from path where band and before_node is distinct from node_id
        union all select at, ${journeyNode}::text, 'entered', 1 from path where band and reason = 'entered'
        union all select at, node_id, 'left:' || handle, 1 from path where band and handle is not null
        union all select at, node_id, reason, 1 from path where reason like 'skipped:%'
        union all select at, node_id, 'failed', 1 from path where reason = 'delivery-failed'
        union all
          -- A failed delivery's channel, from its message (rare: one lookup each).
          select p.at, p.node_id, 'failed@' || f.channel, 1 from path p join runs r on r.id = p.run
          cross join lateral (
            select channel from messages
            where customer_id = r.customer_id and journey_id = ${scope.journeyId} and progress_id = p.run and node_id = p.node_id and status in ('failed', 'undelivered')
            order by created_at desc limit 1
          ) f
          where p.reason = 'delivery-failed'
        union all
          select p.at, p.node_id, ${waitMetricOf(ms(sql`greatest(p.before_at, case when r.converted_at < p.at then r.converted_at end)`, sql`p.at`))}, 1
          from path p join runs r on r.id = p.run where p.band and p.reason in ('wait-elapsed', 'event-timeout', 'event-matched')
        union all
          select r.ended_at, p.node_id, ${waitMetricOf(ms(sql`greatest(p.at, case when r.converted_at < r.ended_at then r.converted_at end)`, sql`r.ended_at`))}, 1
          from runs r join path p on p.run = r.id and p.band and p.last
          where r.ended_at is not null and r.end_reason <> 'merged' and p.reason in ('waiting', 'waiting-for-event')
        union all select ended_at, ${journeyNode}::text, 'exit:' || end_reason, 1 from runs where ended_at is not null and end_reason <> 'merged'
        union all
          select r.ended_at, p.node_id, 'exited', 1 from runs r join path p on p.run = r.id and p.band and p.last
          where r.ended_at is not null and r.end_reason not in ('completed', 'merged')
        union all select converted_at, ${journeyNode}::text, 'converted', 1 from runs where converted_at is not null
        union all select at, node_id, 'converted', 1 from converted_nodes
        union all select at, node_id, 'converted:' || arm, 1 from converted_nodes where arm is not null
        union all
          select e.last_at, ${journeyNode}::text, 'refused:' || e.reason, e.count from members x
          cross join lateral (
            select last_at, reason, count from entry_refusals where journey_id = ${scope.journeyId} and customer_id = x.customer_id and version = any(${versions}) offset 0
          ) e
      ),
      -- Grouped by the day first, formatted after: to_char on every row cost more than the grouping.
      counted as (
        select (at at time zone ${zone}::text)::date as day, node_id, metric, sum(n)::bigint as count from flows where ${between(sql`at`)} group by 1, 2, 3
      )
      select to_char(day, 'YYYY-MM-DD') as day, node_id, metric, count from counted
      union all
      select null, node_id, 'waiting', count(*) from runs where status = 'active' and node_id is not null group by node_id
      union all
      select null, ${journeyNode}::text, ${customersMetric}::text, count(distinct customer_id) from runs where ${between(sql`entered_at`)}`),
    ),
    boundedRead(db, what, (tx) =>
      tx.execute<Row>(sql`
        with members as materialized (${members}),
        -- The members' messages of the journey, looked up by the member (messages_customer).
        msgs as (
          select m.* from members x
          cross join lateral (
            select node_id, channel, created_at, sent_at, delivered_at, opened_at, clicked_at, unsubscribed_at from messages
            where customer_id = x.customer_id and journey_id = ${scope.journeyId} and version = any(${versions}) offset 0
          ) m
        ),
        -- What became of each message when: queued, sent, then the first delivery, open, click and unsubscribe.
        counted as (
          select (v.at at time zone ${zone}::text)::date as day, m.node_id, v.metric, m.channel, count(*) as n from msgs m
          cross join lateral (values ('queued', m.created_at), ('sent', m.sent_at), ('delivered', m.delivered_at), ('opened', m.opened_at), ('clicked', m.clicked_at), ('unsubscribed', m.unsubscribed_at)) v(metric, at)
          where v.at is not null and ${between(sql`v.at`)}
          group by 1, 2, 3, 4
        )
        -- On the send step, and per channel (sent@email), as the counters keep them.
        select to_char(day, 'YYYY-MM-DD') as day, node_id, metric, sum(n)::bigint as count from counted group by day, node_id, metric
        union all
        select to_char(day, 'YYYY-MM-DD'), node_id, metric || '@' || channel, n from counted`),
    ),
  ]);
  let customers = 0;
  const counters: CounterRow[] = [];
  for (const row of [...stepRows, ...messageRows]) {
    if (row.metric === customersMetric) customers = Number(row.count);
    else counters.push({ day: row.day, nodeId: row.node_id, metric: row.metric, count: Number(row.count) });
  }
  return { rows: counters, customers };
}

/**
 * Where a read finds the segment's members who can have numbers in the journey: `segment`, its
 * members (through the members index), or `journey`, the journey's customers (its entries and
 * refused entries) who are members. The same customers either way — one who never entered nor was
 * refused has nothing to count.
 */
export type MemberDriver = 'segment' | 'journey';

/**
 * The side with fewer customers: the segment's count (as the scope read it, from `segment_counts`)
 * against the journey's entries in the scope's versions (an index-only count of `run_entries`). Driven by the segment
 * alone, a segment of everyone looked up each of its members' runs, however few had entered the
 * journey: about 3 µs for each member who never entered, so millions of them reached the 20 s limit.
 */
export async function smallerSide(db: Db, scope: StatsScope & { segment: StatsSegment }): Promise<MemberDriver> {
  // Counted only as far as the segment's size: a small segment on a journey of millions reads a few rows.
  const members = scope.segment.members;
  const [row] = await db.execute<{ entries: string }>(
    sql`select count(*) as entries from (select 1 from run_entries where journey_id = ${scope.journeyId} and version = any(${versionsOf(scope)}) limit ${members + 1}) e`,
  );
  return members > Number(row?.entries ?? 0) ? 'journey' : 'segment';
}

/** The members' ids (`customer_id`) as `driver` finds them. */
function membersIn(driver: MemberDriver, scope: StatsScope, number: number): SQL {
  const versions = versionsOf(scope);
  if (driver === 'segment') return sql`select customer_id from customer_segments m where ${inSegment('m', number)}`;
  return sql`
    select j.customer_id from (
      select customer_id from run_entries where journey_id = ${scope.journeyId} and version = any(${versions})
      union select customer_id from entry_refusals where journey_id = ${scope.journeyId} and version = any(${versions})
    ) j
    where exists (select 1 from customer_segments m where m.customer_id = j.customer_id and ${inSegment('m', number)})`;
}

/** Each node's counters summed over the rows' days (the `waiting` gauge as it is now). */
export function sumCounters(rows: CounterRow[]): JourneyStats['nodes'] {
  const nodes: JourneyStats['nodes'] = {};
  for (const row of rows) {
    const counts = nodes[row.nodeId] ?? {};
    nodes[row.nodeId] = counts;
    counts[row.metric] = (counts[row.metric] ?? 0) + row.count;
  }
  return nodes;
}
