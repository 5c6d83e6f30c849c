import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { isTransientDatabaseError } from '../db/database-errors.ts';
import type { Db, Tx } from '../db/database.ts';
import { audiencePending, customerIdentities, customers, deadLetters, eventQueue, events, journeys, messages, progress, sendCounts, steps } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';

/** Customers whose id, userId, anonymousId, email, phone or any trait value matches `q`. */
export async function searchCustomers(db: Db, workspaceId: string, q: string, limit = 50) {
  const like = `%${q}%`;
  return db
    .select({
      id: customers.id,
      userId: sql<string | null>`(select value from customer_identities i where i.customer_id = ${customers.id} and i.kind = 'user_id' limit 1)`,
      traits: customers.traits,
      updatedAt: customers.updatedAt,
    })
    .from(customers)
    .where(
      and(
        eq(customers.workspaceId, workspaceId),
        q
          ? sql`(${customers.id} = ${q} or exists (select 1 from customer_identities i where i.customer_id = ${customers.id} and i.value ilike ${like})
              or ${customers.traits}::text ilike ${like} or ${customers.channels}::text ilike ${like})`
          : undefined,
      ),
    )
    .orderBy(desc(customers.updatedAt))
    .limit(limit);
}

/**
 * What the workspace's data holds: trait names (from profiles) and event names with their property
 * names (from the last 50,000 track events) — the builder's field picker and the shared `Catalog`.
 */
export async function workspaceCatalog(db: Db, workspaceId: string): Promise<{ traits: string[]; events: Record<string, { properties: string[] }> }> {
  const traits = await db.execute<{ key: string }>(sql`
    select distinct jsonb_object_keys(traits) as key from (select traits from customers where workspace_id = ${workspaceId} order by updated_at desc limit 10000) c order by 1 limit 500`);
  const events = await db.execute<{ name: string; keys: string[] | null }>(sql`
    select name, array_agg(distinct key) filter (where key is not null) as keys
    from (select name, properties from events where workspace_id = ${workspaceId} and type = 'track' order by id desc limit 50000) e
    left join lateral jsonb_object_keys(case when jsonb_typeof(e.properties) = 'object' then e.properties else '{}'::jsonb end) as key on true
    group by name order by name limit 500`);
  return {
    traits: traits.map((t) => t.key),
    events: Object.fromEntries(events.filter((e) => e.name).map((e) => [e.name, { properties: (e.keys ?? []).sort() }])),
  };
}

/** The single customer view: profile, identities, consent, events, journeys with their node, messages. */
export async function customerView(db: Db, workspaceId: string, id: string) {
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, id)));
  if (!customer) throw new ApiError(404, 'customer-not-found', `No customer "${id}" in this workspace.`);
  const [identities, timeline, runs, sent] = await Promise.all([
    db.select({ kind: customerIdentities.kind, value: customerIdentities.value }).from(customerIdentities).where(eq(customerIdentities.customerId, id)),
    db.select().from(events).where(eq(events.customerId, id)).orderBy(desc(events.timestamp)).limit(200),
    db
      .select({
        id: progress.id,
        journeyId: progress.journeyId,
        journeyName: journeys.name,
        version: progress.version,
        status: progress.status,
        nodeId: progress.nodeId,
        enteredAt: progress.enteredAt,
        endedAt: progress.endedAt,
      })
      .from(progress)
      .innerJoin(journeys, eq(journeys.id, progress.journeyId))
      .where(eq(progress.customerId, id))
      .orderBy(desc(progress.enteredAt)),
    db.select().from(messages).where(eq(messages.customerId, id)).orderBy(desc(messages.createdAt)).limit(200),
  ]);
  return {
    id: customer.id,
    traits: customer.traits,
    channels: customer.channels,
    preferredChannel: customer.preferredChannel,
    identities,
    events: timeline.map((e) => ({ messageId: e.messageId, type: e.type, name: e.name, properties: e.properties, timestamp: iso(e.timestamp) })),
    journeys: runs.map((r) => ({ ...r, enteredAt: iso(r.enteredAt), endedAt: iso(r.endedAt) })),
    messages: sent.map((m) => ({
      id: m.id,
      journeyId: m.journeyId,
      nodeId: m.nodeId,
      channel: m.channel,
      to: m.to,
      status: m.status,
      error: m.error,
      createdAt: iso(m.createdAt),
      sentAt: iso(m.sentAt),
      content: m.content,
    })),
  };
}

const iso = <T extends string | null>(value: T): T => (value === null ? value : (new Date(value).toISOString() as T));

/**
 * Erases a customer (GDPR): profile, identities, events, runs, steps, messages, frequency-cap
 * counts, set-aside items and customers waiting for their local time in an audience run — with
 * `audit` written in the same transaction. Rows are locked in the order the workers lock them
 * (queued events, runs, messages, then the customer), so a worker holding this customer's work finishes
 * first and is erased with the rest, and a worker that comes later finds no customer and writes
 * nothing. A deadlock with new events arriving mid-erasure is retried.
 */
export async function deleteCustomer(db: Db, workspaceId: string, id: string, audit: (tx: Tx) => Promise<unknown>) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await tx.select({ id: eventQueue.eventId }).from(eventQueue).where(eq(eventQueue.customerId, id)).orderBy(eventQueue.eventId).for('update');
        await tx.select({ id: progress.id }).from(progress).where(eq(progress.customerId, id)).orderBy(progress.id).for('update');
        await tx.select({ id: messages.id }).from(messages).where(eq(messages.customerId, id)).orderBy(messages.id).for('update');
        const [customer] = await tx
          .select({ id: customers.id })
          .from(customers)
          .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, id)))
          .for('update');
        if (!customer) throw new ApiError(404, 'customer-not-found', `No customer "${id}" in this workspace.`);
        const runIds = (await tx.select({ id: progress.id }).from(progress).where(eq(progress.customerId, id))).map((r) => r.id);
        if (runIds.length) await tx.delete(steps).where(inArray(steps.progressId, runIds));
        await tx.delete(progress).where(eq(progress.customerId, id));
        await tx.delete(messages).where(eq(messages.customerId, id));
        await tx.delete(events).where(eq(events.customerId, id));
        await tx.delete(eventQueue).where(eq(eventQueue.customerId, id));
        await tx.delete(sendCounts).where(eq(sendCounts.customerId, id));
        await tx.delete(audiencePending).where(eq(audiencePending.customerId, id));
        await tx.delete(deadLetters).where(eq(deadLetters.customerId, id));
        await tx.delete(customerIdentities).where(eq(customerIdentities.customerId, id));
        await tx.delete(customers).where(eq(customers.id, id));
        await audit(tx);
      });
    } catch (error) {
      if (attempt >= 3 || !isTransientDatabaseError(error)) throw error;
    }
  }
}
