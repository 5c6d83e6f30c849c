import { postgres } from './peer-baseline.ts';

/** Transactions at once, as the runtime's event loops. */
const loops = 4;
/** Customers one transaction writes (a batch of 1,000 events is about 500 new customers). */
const page = 500;

/**
 * What new customers' memberships cost to write in the old layout and in Waymark's: the same
 * memberships, the same database, four loops of 500 customers a transaction. The old layout (one
 * row per membership, with its primary key, the customer index and statement triggers keeping the
 * counts; Waymark until migration 0021) is recreated in bench tables; Waymark's is
 * `customer_segments` itself (one row per customer with its segment ids under a GIN index, the
 * count triggers that diff them), written as `persistSegments` writes it. The rows are removed afterwards.
 */
export async function membershipLayouts(url: string, workspaceId: string, customers: number, perCustomer: number): Promise<{ perMembership: number; perCustomer: number }> {
  const sql = postgres(url, { max: loops, onnotice: () => {} });
  const segments = Array.from({ length: perCustomer }, (_, i) => `layout-seg-${i}`);
  const at = new Date().toISOString();
  try {
    await sql.unsafe(`
      create table bench_segment_members (segment_id text not null, customer_id text not null, workspace_id text not null, entered_at timestamptz not null, primary key (segment_id, customer_id));
      create index bench_segment_members_customer on bench_segment_members (customer_id);
      create table bench_segment_counts (segment_id text not null, shard int not null, members int not null, primary key (segment_id, shard));
      create function bench_counts_added() returns trigger language plpgsql as $$ begin
        insert into bench_segment_counts select segment_id, pg_backend_pid(), count(*) from added group by segment_id order by segment_id
        on conflict (segment_id, shard) do update set members = bench_segment_counts.members + excluded.members; return null; end $$;
      create trigger bench_segment_members_added after insert on bench_segment_members referencing new table as added for each statement execute function bench_counts_added();`);
    const pages = Array.from({ length: Math.ceil(customers / page) }, (_, p) => Array.from({ length: Math.min(page, customers - p * page) }, (_, i) => `layout-${p * page + i}`));
    const timed = async (write: (ids: string[]) => Promise<unknown>) => {
      const queue = [...pages];
      const start = performance.now();
      await Promise.all(
        Array.from({ length: loops }, async () => {
          for (let ids = queue.shift(); ids; ids = queue.shift()) await write(ids);
        }),
      );
      return performance.now() - start;
    };
    const perMembership = await timed((ids) =>
      sql.unsafe(
        `insert into bench_segment_members (segment_id, customer_id, workspace_id, entered_at)
         select segment_id, customer_id, workspace_id, entered_at from jsonb_populate_recordset(null::bench_segment_members, $1::text::jsonb) on conflict do nothing`,
        [JSON.stringify(ids.flatMap((id) => segments.map((segment) => ({ segment_id: segment, customer_id: id, workspace_id: workspaceId, entered_at: at }))))],
      ),
    );
    const perCustomerRow = await timed((ids) =>
      sql.unsafe(
        `insert into customer_segments as cs (customer_id, workspace_id, segment_ids, since)
         select v.c, v.w, array(select jsonb_object_keys(v.e)), v.e from jsonb_to_recordset($1::text::jsonb) as v(c text, w text, e jsonb) order by v.c
         on conflict (customer_id) do update set segment_ids = cs.segment_ids || array(select s from unnest(excluded.segment_ids) s where s <> all(cs.segment_ids)), since = excluded.since || cs.since`,
        [JSON.stringify(ids.map((id) => ({ c: id, w: workspaceId, e: Object.fromEntries(segments.map((s) => [s, at])) })))],
      ),
    );
    return { perMembership, perCustomer: perCustomerRow };
  } finally {
    await sql.unsafe(`delete from customer_segments where customer_id like 'layout-%'`);
    await sql.unsafe(`delete from segment_counts where segment_id like 'layout-seg-%'`);
    await sql.unsafe('drop table if exists bench_segment_members; drop table if exists bench_segment_counts; drop function if exists bench_counts_added()');
    await sql.end();
  }
}
