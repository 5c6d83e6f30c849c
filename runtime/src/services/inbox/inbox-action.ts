import { and, eq, sql } from 'drizzle-orm';
import type { InboxAction } from '@waymark/shared';
import type { Db } from '../../db/database.ts';
import { messages } from '../../db/schema.ts';
import { recordEngagement } from '../engagement/record-engagement.ts';

const messageId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What the recipient did with an inbox message: opened and clicked are engagement (first time
 * counted on the send node, an event on the timeline); dismissed takes it out of the inbox.
 * Returns false unless the message is an in-app message of this customer in this workspace.
 */
export async function actOnInboxMessage(db: Db, workspaceId: string, customerId: string | null, id: string, action: InboxAction, now: number): Promise<boolean> {
  if (!customerId || !messageId.test(id)) return false;
  const [message] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.id, id), eq(messages.workspaceId, workspaceId), eq(messages.customerId, customerId), eq(messages.channel, 'in-app'), sql`${messages.status} in ('sent', 'delivered')`));
  if (!message) return false;
  if (action === 'dismissed') {
    await db
      .update(messages)
      .set({ dismissedAt: new Date(now).toISOString() })
      .where(and(eq(messages.id, id), sql`${messages.dismissedAt} is null`));
    return true;
  }
  return (await recordEngagement(db, id, action, now)) !== null;
}
