import type { Db, Tx } from '../../db/database.ts';
import { eventQueue, events } from '../../db/schema.ts';

/** A track event Waymark itself records on a customer's timeline (an engagement, a consent change, an SMS reply). */
export interface OwnTrackEvent {
  workspaceId: string;
  /** Deterministic per fact, so a retried request stores it once. */
  messageId: string;
  customerId: string;
  name: string;
  properties: Record<string, unknown>;
  timestamp: string;
}

/**
 * Stores track events on customers' timelines and queues them for journeys (they can trigger,
 * end waits, reach goals), in the caller's transaction; an event already stored under its
 * message id is not stored or queued again. Returns what was stored.
 */
export async function storeTrackEvents(tx: Tx | Db, list: OwnTrackEvent[]): Promise<{ eventId: number; customerId: string }[]> {
  if (!list.length) return [];
  const stored = await tx
    .insert(events)
    .values(list.map((event) => ({ ...event, type: 'track' })))
    .onConflictDoNothing()
    .returning({ eventId: events.id, customerId: events.customerId });
  if (stored.length) await tx.insert(eventQueue).values(stored);
  return stored;
}
