import type { CustomerList, CustomerListQuery } from '@waymark/shared';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { containing } from '../../db/bulk-sql.ts';
import type { Db } from '../../db/database.ts';
import { journeys } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { bestName, customerEmail } from './best-name.ts';
import { keyTraits } from './trait-type.ts';

type ListQuery = z.output<typeof CustomerListQuery>;

/** The `where` of the list: the workspace (the `customers_workspace` index) and every filter given. */
function conditions(workspaceId: string, query: ListQuery): SQL {
  const parts: SQL[] = [sql`c.workspace_id = ${workspaceId}`];
  const q = query.q?.trim();
  if (q) {
    const like = containing(q);
    parts.push(sql`(c.id = ${q}
      or c.id in (select i.customer_id from customer_identities i where i.workspace_id = ${workspaceId} and i.value ilike ${like})
      or c.traits::text ilike ${like})`);
  }
  if (query.trait !== undefined) {
    const value = query.value?.trim();
    // A value matches the trait as text, case-insensitively (plan = Pro, vip = true, seats = 5), or one item of a list trait.
    parts.push(
      value
        ? sql`(lower(c.traits ->> ${query.trait}) = lower(${value})
            or (jsonb_typeof(c.traits -> ${query.trait}) = 'array' and exists (select 1 from jsonb_array_elements_text(c.traits -> ${query.trait}) x where lower(x) = lower(${value}))))`
        : sql`jsonb_exists(c.traits, ${query.trait})`,
    );
  }
  // The partial unique index of active runs (journey, customer) answers this without touching ended runs.
  if (query.journey !== undefined) parts.push(sql`c.id in (select r.customer_id from progress r where r.journey_id = ${query.journey} and r.status = 'active')`);
  if (query.channel !== undefined && query.consent !== undefined) {
    const consent = sql`(c.channels -> ${query.channel} ->> 'consent')`;
    parts.push(query.consent === 'subscribed' ? sql`${consent} in ('subscribed', 'opted-in')` : query.consent === 'unsubscribed' ? sql`${consent} = 'unsubscribed'` : sql`${consent} is null`);
  }
  return sql.join(parts, sql` and `);
}

interface Row extends Record<string, unknown> {
  id: string;
  traits: Record<string, unknown>;
  channels: Record<string, { address?: string | null }>;
  total: number | null;
  user_id: string | null;
  last_seen: string;
  active: number;
}

/**
 * A page of the workspace's customers, most recently updated first, with the total matching the
 * filters, counted once. The page is sorted from narrow rows (id, updated_at); profiles and per-row
 * facts (user id, last event, active runs) are read for the page's rows only. Email and phone are
 * traits too (ingestion keeps them), so the free-text search reads traits and identities.
 */
export async function listCustomers(db: Db, workspaceId: string, query: ListQuery): Promise<CustomerList> {
  if (query.journey !== undefined) {
    const [journey] = await db
      .select({ id: journeys.id })
      .from(journeys)
      .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, query.journey)));
    if (!journey) throw new ApiError(400, 'invalid-request', `"journey": no journey "${query.journey}" in this workspace.`, { field: 'journey' });
  }
  const where = conditions(workspaceId, query);
  // Unfiltered, the total is an index-only count of `customers_workspace`, run beside the page;
  // filtered, a window count over the rows the page is sorted from (one scan of them, not two).
  const unfiltered = !query.q?.trim() && query.trait === undefined && query.journey === undefined && query.consent === undefined;
  const count = () => db.execute<{ n: number }>(sql`select count(*)::int as n from customers c where ${where}`).then((r) => r[0]?.n ?? 0);
  const [rows, counted] = await Promise.all([
    db.execute<Row>(sql`
      with page as (
        select m.id, m.updated_at, ${unfiltered ? sql`null::bigint` : sql`count(*) over ()`} as total
        from (select c.id, c.updated_at from customers c where ${where}) m
        order by m.updated_at desc, m.id limit ${query.limit} offset ${query.offset})
      select p.id, c.traits, c.channels, p.total::int as total,
        (select i.value from customer_identities i where i.customer_id = p.id and i.kind = 'user_id' order by i.value limit 1) as user_id,
        to_json(greatest(p.updated_at, (select max(e.timestamp) from events e where e.customer_id = p.id))) #>> '{}' as last_seen,
        (select count(*) from progress r where r.customer_id = p.id and r.status = 'active')::int as active
      from page p join customers c on c.id = p.id order by p.updated_at desc, p.id`),
    unfiltered ? count() : null,
  ]);
  // A page past the end has no row to carry the window count.
  const total = counted ?? rows[0]?.total ?? (query.offset === 0 ? 0 : await count());
  return {
    total,
    items: rows.map((row) => {
      const email = customerEmail(row.traits, row.channels);
      return {
        id: row.id,
        name: bestName(row.traits, { email, userId: row.user_id, phone: row.channels.sms?.address }),
        email,
        userId: row.user_id,
        traits: keyTraits(row.traits, query.trait),
        lastSeenAt: new Date(row.last_seen).toISOString(),
        activeJourneys: row.active,
      };
    }),
  };
}
