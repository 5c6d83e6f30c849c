import type { NodeCustomer, NodeCustomersPage, NodeCustomersQuery, StatsQuery } from '@waymark/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { containing } from '../../db/bulk-sql.ts';
import type { Db } from '../../db/database.ts';
import { inSegment, segmentNumber } from '../segments/membership-sql.ts';
import { bestName } from '../customers/best-name.ts';
import { statsScope, versionsOf } from './stats-scope.ts';

type Query = z.output<typeof NodeCustomersQuery>;

interface Row extends Record<string, unknown> {
  customer_id: string;
  at: string;
  due_at: string | null;
  reason: string | null;
  version: number;
  traits: Record<string, unknown> | null;
  user_id: string | null;
  email: string | null;
  total: number;
}

/**
 * Who a step has: customers waiting there now (longest waiting first, with when their timer is
 * due), or those a send step sent to, skipped (with the reason) or failed in the range (newest
 * first); paged, with the total, searchable by id, identity or trait text; with a segment, only its members now.
 */
export async function nodeCustomers(db: Db, workspaceId: string, journeyId: string, nodeId: string, query: Query): Promise<NodeCustomersPage> {
  const scope = await statsScope(db, workspaceId, journeyId, query as StatsQuery);
  const versions = versionsOf(scope);
  const since = (column: SQL) => (scope.since ? sql`and ${column} >= ${scope.since}` : sql``);
  const until = (column: SQL) => (scope.until ? sql`and ${column} < ${scope.until}` : sql``);
  let rows: SQL;
  switch (query.state) {
    case 'waiting':
      // The partial index of active runs (journey, customer) narrows to this journey's live runs.
      rows = sql`select r.customer_id, coalesce(r.state ->> 'updatedAt', r.entered_at::text) as at, r.state -> 'position' ->> 'until' as due_at, null::text as reason, r.version
        from progress r where r.journey_id = ${scope.journeyId} and r.status = 'active' and r.node_id = ${nodeId} and r.version = any(${versions})`;
      break;
    case 'skipped':
      rows = sql`select r.customer_id, s.at::text as at, null::text as due_at, s.reason, s.version
        from send_outcomes s join progress r on r.id = s.progress_id
        where s.journey_id = ${scope.journeyId} and s.node_id = ${nodeId} and s.reason like 'skipped:%' and s.version = any(${versions}) ${since(sql`s.at`)} ${until(sql`s.at`)}`;
      break;
    case 'sent':
      // The send steps, less the messages that then failed for good.
      rows = sql`select r.customer_id, s.at::text as at, null::text as due_at, null::text as reason, s.version
        from send_outcomes s join progress r on r.id = s.progress_id
        where s.journey_id = ${scope.journeyId} and s.node_id = ${nodeId} and s.reason = 'sent' and s.version = any(${versions}) ${since(sql`s.at`)} ${until(sql`s.at`)}
          and not exists (select 1 from messages m where m.journey_id = s.journey_id and m.node_id = s.node_id and m.status = 'failed' and m.progress_id = s.progress_id)`;
      break;
    default:
      rows = sql`select m.customer_id, coalesce(m.sent_at, m.created_at)::text as at, null::text as due_at, m.error as reason, m.version
        from messages m where m.journey_id = ${scope.journeyId} and m.node_id = ${nodeId} and m.status = 'failed' and m.version = any(${versions})
          ${since(sql`m.created_at`)} ${until(sql`m.created_at`)}`;
  }
  const q = query.q?.trim();
  const filters = [
    ...(q
      ? [
          sql`(x.customer_id = ${q} or c.traits::text ilike ${containing(q)}
        or x.customer_id in (select i.customer_id from customer_identities i where i.workspace_id = ${workspaceId} and i.value ilike ${containing(q)}))`,
        ]
      : []),
    // With a segment, only its members now (looked up by the members' primary key).
    ...(scope.segment ? [sql`exists (select 1 from customer_segments m where m.customer_id = x.customer_id and ${inSegment('m', await segmentNumber(db, scope.segment.id))})`] : []),
  ];
  const search = filters.length ? sql`where ${sql.join(filters, sql` and `)}` : sql``;
  const order = query.state === 'waiting' ? sql`x.at asc` : sql`x.at desc`;
  const page = await db.execute<Row>(sql`
    with x as (${rows})
    select x.*, c.traits, count(*) over ()::int as total,
      (select i.value from customer_identities i where i.customer_id = x.customer_id and i.kind = 'user_id' order by i.value limit 1) as user_id,
      c.channels -> 'email' ->> 'address' as email
    from x left join customers c on c.id = x.customer_id and c.workspace_id = ${workspaceId}
    ${search}
    order by ${order}, x.customer_id
    limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`);
  const total = page[0]?.total ?? (query.page > 1 ? await countOnly(db, rows, search, workspaceId) : 0);
  return {
    total,
    page: query.page,
    pageSize: query.pageSize,
    items: page.map(
      (r): NodeCustomer => ({
        customerId: r.customer_id,
        label: bestName(r.traits ?? {}, { email: r.email, userId: r.user_id }) ?? r.customer_id,
        at: new Date(r.at).toISOString(),
        ...(r.due_at ? { dueAt: new Date(r.due_at).toISOString() } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
        version: r.version,
      }),
    ),
  };
}

/** The total when the page asked for lies past the last row. */
async function countOnly(db: Db, rows: SQL, search: SQL, workspaceId: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`with x as (${rows}) select count(*)::int as n from x left join customers c on c.id = x.customer_id and c.workspace_id = ${workspaceId} ${search}`);
  return row?.n ?? 0;
}
