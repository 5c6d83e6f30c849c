import { and, eq, inArray, sql } from 'drizzle-orm';
import { isTransientDatabaseError } from '../../db/database-errors.ts';
import type { Db, Tx } from '../../db/database.ts';
import {
  audiencePending,
  customerIdentities,
  customers,
  deadLetters,
  entryRefusals,
  eventQueue,
  events,
  heldInputs,
  messages,
  progress,
  pushSubscriptions,
  segmentExits,
  sendCounts,
  runSteps,
  sendOutcomes,
} from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { deleteMemberships } from '../segments/membership-sql.ts';

/**
 * Erases a customer (GDPR): profile, identities, push subscriptions, events, runs, steps, inputs held for runs of a
 * paused journey, messages, frequency-cap counts, segment memberships and their history, refused entries, set-aside items and customers waiting for their local time in an audience run — with
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
        if (runIds.length) {
          await tx.delete(runSteps).where(inArray(runSteps.progressId, runIds));
          await tx.delete(sendOutcomes).where(inArray(sendOutcomes.progressId, runIds));
          await tx.delete(heldInputs).where(inArray(heldInputs.progressId, runIds));
        }
        // Found through the runs (the entries' index leads with the journey, not the customer).
        await tx.execute(sql`
          delete from run_entries e using progress p
          where p.customer_id = ${id} and e.journey_id = p.journey_id and e.version = p.version and e.entered_at = p.entered_at and e.customer_id = p.customer_id`);
        await tx.delete(progress).where(eq(progress.customerId, id));
        await tx.delete(messages).where(eq(messages.customerId, id));
        await tx.delete(events).where(eq(events.customerId, id));
        await tx.delete(eventQueue).where(eq(eventQueue.customerId, id));
        await tx.delete(sendCounts).where(eq(sendCounts.customerId, id));
        await tx.delete(audiencePending).where(eq(audiencePending.customerId, id));
        await tx.delete(entryRefusals).where(eq(entryRefusals.customerId, id));
        await tx.delete(deadLetters).where(eq(deadLetters.customerId, id));
        await tx.delete(customerIdentities).where(eq(customerIdentities.customerId, id));
        await tx.delete(pushSubscriptions).where(eq(pushSubscriptions.customerId, id));
        await deleteMemberships(tx, id);
        await tx.delete(segmentExits).where(eq(segmentExits.customerId, id));
        await tx.delete(customers).where(eq(customers.id, id));
        await audit(tx);
      });
    } catch (error) {
      if (attempt >= 3 || !isTransientDatabaseError(error)) throw error;
    }
  }
}
