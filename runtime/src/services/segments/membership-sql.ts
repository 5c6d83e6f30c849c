import { type SQL, sql } from 'drizzle-orm';

/**
 * `customer_segments` row `alias` is in the segment: its number (what rows store) among the row's
 * `segments`, which the GIN index answers. A deleted segment has no number: nobody is in it.
 */
export function inSegment(alias: string, segmentId: string): SQL {
  return sql`${sql.raw(alias)}.segments @> array[(select number from segments where id = ${segmentId})]`;
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
