import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { messages, nodeStats, steps } from '../../db/schema.ts';
import { PermanentDeliveryError, type Channel } from '../../channels/channel.ts';
import type { Clock } from '../../clock.ts';
import { instrumentEmail, trackingUrls } from '../engagement/instrument-email.ts';

export interface DeliveryDeps {
  channels: Record<string, Channel>;
  clock: Clock;
  /** Where recipients reach the runtime: the base of tracking and unsubscribe links. */
  publicUrl: string;
}

export const maxAttempts = 5;

/**
 * Delivers one outbox message through its channel. A message already sent or failed is left
 * alone, so a job handed out twice sends once. Returns whether pg-boss should retry.
 */
export async function deliverMessage(db: Db, { channels, clock, publicUrl }: DeliveryDeps, messageId: string, attempt: number): Promise<'done' | 'retry'> {
  const [message] = await db
    .update(messages)
    .set({ status: 'sending', attempts: sql`${messages.attempts} + 1` })
    .where(and(eq(messages.id, messageId), inArray(messages.status, ['queued', 'sending', 'retrying'])))
    .returning();
  if (!message) return 'done';
  const channel = channels[message.channel];
  try {
    if (!channel) throw new PermanentDeliveryError(`no adapter for the ${message.channel} channel`);
    const rendered = message.content as Record<string, unknown>;
    const content = message.channel === 'email' ? instrumentEmail(rendered, trackingUrls(publicUrl, message.id)) : rendered;
    const { providerId } = await channel.send({ id: message.id, channel: message.channel, to: message.to, content, customerId: message.customerId });
    await settle(db, message, 'sent', { providerId: providerId ?? null, sentAt: new Date(clock.now()).toISOString(), error: null });
    return 'done';
  } catch (error) {
    const final = error instanceof PermanentDeliveryError || attempt + 1 >= maxAttempts;
    const text = (error as Error).message;
    if (!final) {
      await db.update(messages).set({ status: 'retrying', error: text }).where(eq(messages.id, message.id));
      return 'retry';
    }
    await settle(db, message, 'failed', { error: text });
    await db.insert(steps).values({
      workspaceId: message.workspaceId,
      progressId: message.progressId,
      journeyId: message.journeyId,
      version: message.version,
      nodeId: message.nodeId,
      handle: null,
      reason: 'delivery-failed',
      detail: `${message.channel} delivery failed after ${attempt + 1} attempt(s): ${text}`,
      at: new Date(clock.now()).toISOString(),
    });
    return 'done';
  }
}

async function settle(db: Db, message: typeof messages.$inferSelect, status: 'sent' | 'failed', fields: Partial<typeof messages.$inferInsert>) {
  await db.transaction(async (tx) => {
    await tx.update(messages).set({ status, ...fields }).where(eq(messages.id, message.id));
    await tx
      .insert(nodeStats)
      .values({ workspaceId: message.workspaceId, journeyId: message.journeyId, version: message.version, nodeId: message.nodeId, metric: status, count: 1 })
      .onConflictDoUpdate({ target: [nodeStats.journeyId, nodeStats.version, nodeStats.nodeId, nodeStats.metric], set: { count: sql`${nodeStats.count} + 1` } });
  });
}
