import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { customers, messages } from '../../db/schema.ts';
import { addToNodeStats, perChannel } from '../execution/node-stats.ts';
import { storeTrackEvents } from '../customers/store-track-events.ts';

/** What a recipient (or the provider on their behalf) did with a message, first time only. */
export type Engagement = 'delivered' | 'opened' | 'clicked' | 'unsubscribed';

/** Each engagement implies the ones before it: a click is an open, an open is a delivery. */
const implied: Record<Engagement, Engagement[]> = {
  delivered: ['delivered'],
  opened: ['delivered', 'opened'],
  clicked: ['delivered', 'opened', 'clicked'],
  unsubscribed: ['unsubscribed'],
};

/**
 * Engagement becomes a track event on the customer's timeline (named after Segment's Email Events
 * spec), so it can trigger journeys, end waits and reach goals. Deliveries are not: they are the
 * provider's news, and one per message would double the event volume.
 */
const eventName: Record<Exclude<Engagement, 'delivered'>, string> = {
  opened: 'Message Opened',
  clicked: 'Message Link Clicked',
  unsubscribed: 'Unsubscribed',
};

export type MessageRow = typeof messages.$inferSelect;

/**
 * Records an engagement with one message in one transaction: sets the first-time timestamps
 * (and the ones it implies), counts each first time on the send node's stats, records it as an
 * event on the customer's timeline, and for an unsubscribe withdraws consent on that channel.
 * Repeats change nothing, so stats count unique opens and clicks. Returns the message, or null
 * when there is no such message.
 */
export async function recordEngagement(db: Db, messageId: string, kind: Engagement, now: number): Promise<MessageRow | null> {
  return db.transaction(async (tx) => {
    const [message] = await tx.select().from(messages).where(eq(messages.id, messageId)).for('update');
    if (!message) return null;
    const at = new Date(now).toISOString();
    const firsts = implied[kind].filter((k) => message[`${k}At` as const] === null);
    if (!firsts.length) return message;
    const set: Record<string, unknown> = {};
    for (const k of firsts) set[`${k}At`] = at;
    if (firsts.includes('delivered') && message.status === 'sent') set.status = 'delivered';
    await tx.update(messages).set(set).where(eq(messages.id, message.id));
    await addToNodeStats(
      tx,
      firsts.flatMap((metric) => perChannel({ workspaceId: message.workspaceId, journeyId: message.journeyId, version: message.version, nodeId: message.nodeId, metric, count: 1 }, message.channel)),
      now,
    );
    if (kind === 'unsubscribed') {
      await tx
        .update(customers)
        .set({
          channels: sql`jsonb_set(${customers.channels}, ${`{${message.channel}}`}::text[], coalesce(${customers.channels} -> ${message.channel}, '{}'::jsonb) || '{"consent":"unsubscribed"}'::jsonb)`,
          updatedAt: at,
        })
        .where(eq(customers.id, message.customerId));
    }
    const visible = firsts.filter((k): k is keyof typeof eventName => k !== 'delivered');
    await storeTrackEvents(
      tx,
      visible.map((k) => ({
        workspaceId: message.workspaceId,
        messageId: `${k}:${message.id}`,
        customerId: message.customerId,
        name: eventName[k],
        properties: { messageId: message.id, channel: message.channel, journeyId: message.journeyId, nodeId: message.nodeId },
        timestamp: at,
      })),
    );
    return { ...message, ...set } as MessageRow;
  });
}
