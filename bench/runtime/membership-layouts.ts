import { createRuntime, createSegmentWrites, persistSegments } from '@waymark/runtime';
import { postgres } from './peer-baseline.ts';

/** Transactions at once, as the runtime's event loops. */
const loops = 4;
/** Customers one transaction writes (a batch of 1,000 events is about 500 new customers). */
const page = 500;

export interface LayoutTimes {
  /** One row per membership (Waymark until migration 0021). */
  perMembership: number;
  /** One row per customer, segment ids as text with a jsonb map of entry times (migration 0021). */
  idsAndJson: number;
  /** Waymark's: one row per customer, segment numbers with an array of entry times (migration 0022). */
  numbers: number;
  /** The same customers entering one more segment each, in the two one-row-per-customer layouts. */
  oneMore: { idsAndJson: number; numbers: number };
  /**
   * The cheapest durable write of that change: a plain update appending a number and a time to a
   * copy of the rows with no index but its key, no counts, no lock read first. No layout that keeps
   * memberships in the transaction writes less for a customer whose membership changed.
   */
  floor: number;
}

/**
 * What new customers' memberships cost to write in Waymark's layouts, old and current: the same
 * memberships, the same database, four loops of 500 customers a transaction, each layout with its
 * indexes and the statement triggers keeping its counts. The old ones are recreated in bench
 * tables; the current one is `customer_segments` itself, written by `persistSegments` (with
 * segments defined for the bench, so it keeps their counts as it does in a batch). Everything is
 * removed afterwards.
 */
export async function membershipLayouts(url: string, workspaceId: string, customers: number, perCustomer: number): Promise<LayoutTimes> {
  const sql = postgres(url, { max: loops, onnotice: () => {} });
  const ids = Array.from({ length: perCustomer + 1 }, (_, i) => `layout-seg-${i}`);
  const at = new Date().toISOString();
  try {
    await sql.unsafe(`
      create table bench_segment_members (segment_id text not null, customer_id text not null, workspace_id text not null, entered_at timestamptz not null, primary key (segment_id, customer_id));
      create index bench_segment_members_customer on bench_segment_members (customer_id);
      create table bench_segment_counts (segment_id text not null, shard int not null, members int not null, primary key (segment_id, shard));
      create function bench_counts_added() returns trigger language plpgsql as $$ begin
        insert into bench_segment_counts select segment_id, pg_backend_pid(), count(*) from added group by segment_id order by segment_id
        on conflict (segment_id, shard) do update set members = bench_segment_counts.members + excluded.members; return null; end $$;
      create trigger bench_segment_members_added after insert on bench_segment_members referencing new table as added for each statement execute function bench_counts_added();
      create table bench_customer_segments (customer_id text primary key, workspace_id text not null, segment_ids text[] not null default '{}', since jsonb not null default '{}', recheck_at timestamptz);
      create index on bench_customer_segments using gin (segment_ids);
      create index on bench_customer_segments (recheck_at) where recheck_at is not null;
      create function bench_counts_changed() returns trigger language plpgsql as $$ begin
        insert into bench_segment_counts select s, pg_backend_pid(), sum(d) from (
          select s, 1 as d from added, unnest(added.segment_ids) s
          union all select s, -1 from removed, unnest(removed.segment_ids) s) x group by s having sum(d) <> 0 order by s
        on conflict (segment_id, shard) do update set members = bench_segment_counts.members + excluded.members; return null; end $$;
      create function bench_counts_inserted() returns trigger language plpgsql as $$ begin
        insert into bench_segment_counts select s, pg_backend_pid(), count(*) from added, unnest(added.segment_ids) s group by s order by s
        on conflict (segment_id, shard) do update set members = bench_segment_counts.members + excluded.members; return null; end $$;
      create trigger bench_customer_segments_inserted after insert on bench_customer_segments referencing new table as added for each statement execute function bench_counts_inserted();
      create trigger bench_customer_segments_updated after update on bench_customer_segments referencing old table as removed new table as added for each statement execute function bench_counts_changed();`);
    for (const id of ids) {
      await sql.unsafe(`insert into segments (id, workspace_id, name, rules, status) values ($1, $2, $1, '{"kind":"group","match":"all","rules":[]}', 'ready')`, [id, workspaceId]);
    }
    const numbers = (await sql.unsafe(`select number from segments where id like 'layout-seg-%' order by id`)).map((r) => r.number as number);
    const pages = Array.from({ length: Math.ceil(customers / page) }, (_, p) => Array.from({ length: Math.min(page, customers - p * page) }, (_, i) => `layout-${p * page + i}`));
    const timed = async (write: (ids: string[]) => Promise<unknown>) => {
      const queue = [...pages];
      const start = performance.now();
      await Promise.all(
        Array.from({ length: loops }, async () => {
          for (let list = queue.shift(); list; list = queue.shift()) await write(list);
        }),
      );
      return performance.now() - start;
    };
    const entered = ids.slice(0, perCustomer);
    const perMembership = await timed((list) =>
      sql.unsafe(
        `insert into bench_segment_members (segment_id, customer_id, workspace_id, entered_at)
         select segment_id, customer_id, workspace_id, entered_at from jsonb_populate_recordset(null::bench_segment_members, $1::text::jsonb) on conflict do nothing`,
        [JSON.stringify(list.flatMap((id) => entered.map((segment) => ({ segment_id: segment, customer_id: id, workspace_id: workspaceId, entered_at: at }))))],
      ),
    );
    const writeJson = (segmentIds: string[]) => (list: string[]) =>
      sql.unsafe(
        `insert into bench_customer_segments as cs (customer_id, workspace_id, segment_ids, since)
         select v.c, v.w, array(select jsonb_object_keys(v.e)), v.e from jsonb_to_recordset($1::text::jsonb) as v(c text, w text, e jsonb) order by v.c
         on conflict (customer_id) do update set segment_ids = cs.segment_ids || array(select s from unnest(excluded.segment_ids) s where s <> all(cs.segment_ids)), since = excluded.since || cs.since`,
        [JSON.stringify(list.map((id) => ({ c: id, w: workspaceId, e: Object.fromEntries(segmentIds.map((s) => [s, at])) })))],
      );
    // Waymark's own write, in its own transactions: the batch's changes as `reevaluate` records them.
    const runtime = await createRuntime({ databaseUrl: url, role: 'api' });
    const writeNumbers = (segments: number[]) => async (list: string[]) => {
      const writes = createSegmentWrites();
      for (const customerId of list) {
        for (const number of segments) {
          writes.changes.push({ workspaceId, segmentId: `number-${number}`, segmentNumber: number, segmentName: '', customerId, change: 'entered', at });
        }
      }
      await runtime.db.transaction((tx) => persistSegments(tx, writes));
    };
    try {
      const idsAndJson = await timed(writeJson(entered));
      const current = await timed(writeNumbers(numbers.slice(0, perCustomer)));
      const oneMore = { idsAndJson: await timed(writeJson([ids[perCustomer]!])), numbers: await timed(writeNumbers([numbers[perCustomer]!])) };
      await sql.unsafe(`create table bench_plain_segments as select customer_id, segments, entered_at from customer_segments where customer_id like 'layout-%'`);
      await sql.unsafe('alter table bench_plain_segments add primary key (customer_id)');
      await sql.unsafe('vacuum analyze bench_plain_segments');
      const floor = await timed((list) =>
        sql.unsafe('update bench_plain_segments m set segments = m.segments || $2::int4, entered_at = m.entered_at || $3::timestamptz where m.customer_id = any($1::text[])', [
          list,
          numbers[perCustomer]! + 1,
          at,
        ]),
      );
      return { perMembership, idsAndJson, numbers: current, oneMore, floor };
    } finally {
      await runtime.stop();
    }
  } finally {
    await sql.unsafe(`delete from customer_segments where customer_id like 'layout-%'`);
    await sql.unsafe(`delete from segment_counts where segment_id like 'layout-seg-%'`);
    await sql.unsafe(`delete from segments where id like 'layout-seg-%'`);
    await sql.unsafe(
      'drop table if exists bench_segment_members; drop table if exists bench_customer_segments; drop table if exists bench_plain_segments; drop table if exists bench_segment_counts; drop function if exists bench_counts_added(); drop function if exists bench_counts_changed(); drop function if exists bench_counts_inserted()',
    );
    await sql.end();
  }
}
