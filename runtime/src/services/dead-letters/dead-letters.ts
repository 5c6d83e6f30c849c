import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { Clock } from '../../clock.ts';
import { anyOf } from '../../db/bulk-sql.ts';
import type { Db, Tx } from '../../db/database.ts';
import { deadLetters, eventQueue, events, journeys, messages, progress } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { describeError } from '../../log.ts';
import { deliveryQueue, timerQueue } from '../execution/persist-batch.ts';

/** What failed on its own: a stored event, a run's timer, or the delivery of one message. */
export type DeadLetterKind = 'event' | 'timer' | 'delivery';

export interface DeadLetterInput {
  kind: DeadLetterKind;
  /** The failed item: an event id, `progressId:timerId`, a message id. */
  ref: string;
  payload: Record<string, unknown>;
  error: unknown;
  attempts: number;
}

/**
 * Sets a failed item aside with its error (kept safe to show: no query parameters), finding its
 * workspace and customer from what it refers to. A queued event leaves the queue in the same
 * transaction (a savepoint of the caller's, when given one). Recording the same open item again
 * only updates its error and attempts.
 */
export async function recordDeadLetter(db: Db | Tx, input: DeadLetterInput): Promise<void> {
  await db.transaction(async (tx) => {
    const owner = await ownerOf(tx, input);
    // Gone since (an erased customer, say): there is nothing left to retry.
    if (!owner) return;
    if (input.kind === 'event') await tx.delete(eventQueue).where(eq(eventQueue.eventId, Number(input.ref)));
    await tx
      .insert(deadLetters)
      .values({
        workspaceId: owner.workspaceId,
        customerId: owner.customerId,
        kind: input.kind,
        ref: input.ref,
        payload: { ...input.payload, ...(owner.label ? { label: owner.label } : {}) },
        error: describeError(input.error),
        attempts: input.attempts,
      })
      .onConflictDoUpdate({
        target: [deadLetters.kind, deadLetters.ref],
        targetWhere: sql`retried_at is null`,
        set: { error: sql`excluded.error`, attempts: sql`${deadLetters.attempts} + excluded.attempts`, failedAt: sql`now()` },
      });
  });
}

/** Whose the item is, and what to call it on the settings screen ("Signed Up", "wait in Welcome", "email of Welcome"). */
async function ownerOf(tx: Tx, input: DeadLetterInput): Promise<{ workspaceId: string; customerId: string; label: string | null } | undefined> {
  if (input.kind === 'event') {
    const [row] = await tx
      .select({ workspaceId: events.workspaceId, customerId: events.customerId, name: events.name, type: events.type })
      .from(events)
      .where(eq(events.id, Number(input.ref)));
    return row && { ...row, label: row.name ?? row.type };
  }
  if (input.kind === 'timer') {
    const [row] = await tx
      .select({ workspaceId: progress.workspaceId, customerId: progress.customerId, journey: journeys.name, nodeId: progress.nodeId })
      .from(progress)
      .leftJoin(journeys, eq(journeys.id, progress.journeyId))
      .where(eq(progress.id, String(input.payload.progressId)));
    return row && { ...row, label: `${row.nodeId ?? 'a wait'} in ${row.journey ?? 'a deleted journey'}` };
  }
  const [row] = await tx
    .select({ workspaceId: messages.workspaceId, customerId: messages.customerId, channel: messages.channel, journey: journeys.name })
    .from(messages)
    .leftJoin(journeys, eq(journeys.id, messages.journeyId))
    .where(eq(messages.id, input.ref));
  return row && { ...row, label: `${row.channel} of ${row.journey ?? 'a deleted journey'}` };
}

/** A workspace's set-aside items, newest first, a page at a time, with the open total per kind. */
export async function listDeadLetters(db: Db, workspaceId: string, { kind, open = true, limit = 50, offset = 0 }: { kind?: DeadLetterKind; open?: boolean; limit?: number; offset?: number }) {
  const where = and(eq(deadLetters.workspaceId, workspaceId), kind ? eq(deadLetters.kind, kind) : undefined, open ? isNull(deadLetters.retriedAt) : undefined);
  const [items, [total], perKind] = await Promise.all([
    db.select().from(deadLetters).where(where).orderBy(desc(deadLetters.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(deadLetters).where(where),
    db
      .select({ kind: deadLetters.kind, n: count() })
      .from(deadLetters)
      .where(and(eq(deadLetters.workspaceId, workspaceId), isNull(deadLetters.retriedAt)))
      .groupBy(deadLetters.kind),
  ]);
  return {
    total: total?.n ?? 0,
    open: Object.fromEntries(perKind.map((row) => [row.kind, row.n])) as Partial<Record<DeadLetterKind, number>>,
    items: items.map((item) => ({ ...item, failedAt: new Date(item.failedAt).toISOString(), retriedAt: item.retriedAt && new Date(item.retriedAt).toISOString() })),
  };
}

/**
 * Puts set-aside items back to work (after a fix): an event back in the queue, a timer fired again,
 * a message's delivery tried again. Each is marked retried in the same transaction; if it fails
 * again it comes back as a new dead letter. `record` audits it in the same transaction. Returns how many were retried.
 */
export async function retryDeadLetters(db: Db, boss: PgBoss, clock: Clock, workspaceId: string, requested: number[] | 'all', record: (tx: Tx, retried: number) => Promise<unknown>): Promise<number> {
  const ids = requested === 'all' ? requested : [...new Set(requested)];
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(deadLetters)
      .set({ retriedAt: new Date(clock.now()).toISOString() })
      .where(and(eq(deadLetters.workspaceId, workspaceId), isNull(deadLetters.retriedAt), ids === 'all' ? undefined : anyOf(deadLetters.id, ids.map(String), 'bigint')))
      .returning();
    if (ids !== 'all' && rows.length < ids.length)
      throw new ApiError(404, 'dead-letter-not-found', 'Some of these items are not set aside in this workspace (already retried, or never there).', { field: 'ids' });
    const at = new Date(clock.now());
    const inTx = { db: fromDrizzle(tx, sql) };
    const eventsBack = rows.filter((r) => r.kind === 'event' && r.customerId).map((r) => ({ eventId: Number(r.ref), customerId: r.customerId! }));
    if (eventsBack.length) await tx.insert(eventQueue).values(eventsBack).onConflictDoNothing();
    const timers = rows.filter((r) => r.kind === 'timer').map((r) => ({ data: r.payload as object, startAfter: at }));
    if (timers.length) await boss.insert(timerQueue, timers, inTx);
    const deliveries = rows.filter((r) => r.kind === 'delivery').map((r) => r.ref);
    if (deliveries.length) {
      const retried = await tx
        .update(messages)
        .set({ status: 'retrying', leaseUntil: null })
        .where(and(anyOf(messages.id, deliveries), sql`${messages.status} in ('sending', 'retrying', 'queued', 'failed')`))
        .returning({ id: messages.id, channel: messages.channel });
      for (const [channel, list] of Map.groupBy(retried, (m) => m.channel)) await boss.insert(deliveryQueue(channel), [{ data: { messageIds: list.map((m) => m.id) }, startAfter: at }], inTx);
    }
    await record(tx, rows.length);
    return rows.length;
  });
}
