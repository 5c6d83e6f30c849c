import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { chunk, insertJson } from '../../db/bulk-sql.ts';

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
 * message id is not stored or queued again. Returns what was stored. Rows go as one JSON parameter
 * per 3,000 (a parameter per value would pass PostgreSQL's 65,535 at about 9,000 events: an
 * ingestion batch can give that many consents).
 */
export async function storeTrackEvents(tx: Tx | Db, list: OwnTrackEvent[]): Promise<{ eventId: number; customerId: string }[]> {
  const stored: { eventId: number; customerId: string }[] = [];
  for (const slice of chunk(list, 3_000)) {
    const rows = await tx.execute<{ id: string | number; customer_id: string }>(sql`
      with stored as (${insertJson(
        'events',
        slice.map((event) => ({ ...event, type: 'track' })),
        sql`on conflict do nothing returning id, customer_id`,
      )}),
        queued as (insert into event_queue (event_id, customer_id) select id, customer_id from stored)
      select id, customer_id from stored`);
    for (const row of rows) stored.push({ eventId: Number(row.id), customerId: row.customer_id });
  }
  return stored;
}
