import { postgres } from './peer-baseline.ts';

/** Transactions at once, as the runtime's event loops. */
const loops = 4;
/** Customers one transaction writes (a batch of 1,000 events is about 500 new customers). */
const page = 500;

/**
 * What new customers' memberships cost to write in two layouts — the same memberships, the same
 * database, four loops of 500 customers a transaction: one row per membership (`segment_members`
 * as Waymark keeps it: its primary key, the customer index and the count triggers), and one row per
 * customer holding all its segments (a jsonb of segment → since, and the ids in an array with a
 * GIN index for listing a segment's members). The rows are removed afterwards.
 */
export async function membershipLayouts(url: string, workspaceId: string, customers: number, perCustomer: number): Promise<{ perMembership: number; perCustomer: number }> {
  const sql = postgres(url, { max: loops, onnotice: () => {} });
  const segments = Array.from({ length: perCustomer }, (_, i) => `layout-seg-${i}`);
  const at = new Date().toISOString();
  try {
    await sql.unsafe(`create table if not exists bench_customer_segments (
      customer_id text primary key, workspace_id text not null, segments jsonb not null, segment_ids text[] not null)`);
    await sql.unsafe('create index if not exists bench_customer_segments_ids on bench_customer_segments using gin (segment_ids)');
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
        `insert into segment_members (segment_id, customer_id, workspace_id, entered_at)
         select segment_id, customer_id, workspace_id, entered_at from jsonb_populate_recordset(null::segment_members, $1::text::jsonb) on conflict do nothing`,
        [JSON.stringify(ids.flatMap((id) => segments.map((segment) => ({ segment_id: segment, customer_id: id, workspace_id: workspaceId, entered_at: at }))))],
      ),
    );
    const perCustomerRow = await timed((ids) =>
      sql.unsafe(
        `insert into bench_customer_segments (customer_id, workspace_id, segments, segment_ids)
         select customer_id, workspace_id, segments, segment_ids from jsonb_populate_recordset(null::bench_customer_segments, $1::text::jsonb) on conflict do nothing`,
        [JSON.stringify(ids.map((id) => ({ customer_id: id, workspace_id: workspaceId, segments: Object.fromEntries(segments.map((s) => [s, at])), segment_ids: segments })))],
      ),
    );
    return { perMembership, perCustomer: perCustomerRow };
  } finally {
    await sql.unsafe(`delete from segment_members where segment_id like 'layout-seg-%'`);
    await sql.unsafe(`delete from segment_counts where segment_id like 'layout-seg-%'`);
    await sql.unsafe('drop table if exists bench_customer_segments');
    await sql.end();
  }
}
