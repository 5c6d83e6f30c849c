import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';

/** The number memberships store for a segment (`segments.number`); -1, which no segment has, for one that is gone. */
export async function segmentNumber(db: Db | Tx, segmentId: string): Promise<number> {
  const [row] = await db.execute<{ number: number }>(sql`select number from segments where id = ${segmentId}`);
  return row?.number ?? -1;
}

/**
 * `customer_segments` row `alias` is in the segment numbered `number` (`segmentNumber`), which the
 * GIN index answers. The number is written into the statement as a constant, so the planner
 * estimates the segment's size from the index's statistics: behind a subquery it guessed a few
 * hundred members for 25,000 and chose plans that took over 20 s.
 */
export function inSegment(alias: string, number: number): SQL {
  if (!Number.isInteger(number)) throw new Error('inSegment takes a segment number');
  return sql`${sql.raw(alias)}.segments @> ${sql.raw(`array[${number}]::int4[]`)}`;
}

/**
 * A customer's membership history, one row per instant anything changed (`at`, with the segment
 * ids `entered` and `exited` then, each in the order they changed): entries of memberships going on from `customer_segments`,
 * entries and exits of ended ones from `segment_exits`. A segment deleted since has no id left;
 * it shows as `deleted:<number>` (a name lookup then finds none).
 */
export function membershipChanges(customerId: string): SQL {
  return sql`
    select h.at, coalesce(array_agg(coalesce(g.id, 'deleted:' || h.s) order by h.o) filter (where h.change = 'entered'), '{}') as entered,
      coalesce(array_agg(coalesce(g.id, 'deleted:' || h.s) order by h.o) filter (where h.change = 'exited'), '{}') as exited
    from (
      select u.t as at, u.s, u.o, 'entered' as change from customer_segments m cross join unnest(m.segments, m.entered_at) with ordinality u(s, t, o) where m.customer_id = ${customerId}
      union all select u.t, u.s, u.o, 'entered' from segment_exits x cross join unnest(x.segments, x.entered_at) with ordinality u(s, t, o) where x.customer_id = ${customerId}
      union all select x.at, u.s, u.o, 'exited' from segment_exits x cross join unnest(x.segments) with ordinality u(s, o) where x.customer_id = ${customerId}
    ) h left join segments g on g.number = h.s
    group by h.at`;
}

/**
 * `insert into segment_counts` of the differences `deltas` selects (rows of a segment number `s`
 * and `d`, +1 for a member gained, -1 for one lost), summed per segment, in the row of the
 * writing connection (its backend pid), so concurrent writers never wait on one another's
 * counter rows; segments in id order, so statements lock them in one order. Every statement that
 * changes which segments a row holds includes it, counting from the rows it changed, as they were
 * (`returning old`) and as it left them.
 */
export function addToCounts(deltas: SQL): SQL {
  return sql`insert into segment_counts (segment_id, shard, members)
    select g.id, pg_backend_pid(), x.d from (select s, sum(d)::int as d from (${deltas}) y group by s having sum(d) <> 0) x join segments g on g.number = x.s
    order by g.id
    on conflict (segment_id, shard) do update set members = segment_counts.members + excluded.members`;
}

/**
 * `insert into segment_exits` of the memberships `ended` selects (`customer_id, workspace_id, at,
 * segments, entered_at`): a customer's exits at an instant they already have one at join it.
 */
export function insertExits(ended: SQL): SQL {
  return sql`insert into segment_exits (customer_id, workspace_id, at, segments, entered_at)
    select customer_id, workspace_id, at, segments, entered_at from (${ended}) ended
    on conflict (customer_id, at) do update set segments = segment_exits.segments || excluded.segments, entered_at = segment_exits.entered_at || excluded.entered_at`;
}

/** Deletes a customer's memberships (an erasure, a merge), their counts with them; returns nothing. */
export async function deleteMemberships(tx: Tx, customerId: string): Promise<void> {
  await tx.execute(sql`
    with gone as (delete from customer_segments where customer_id = ${customerId} returning segments)
    ${addToCounts(sql`select s, -1 as d from gone cross join unnest(gone.segments) s`)}`);
}
