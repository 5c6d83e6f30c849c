import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { customers } from '../../db/schema.ts';
import { storeTrackEvents } from './store-track-events.ts';

/** Channels a customer gives or withdraws consent for (webhooks need none). */
export type ConsentChannel = 'email' | 'sms' | 'push' | 'in-app';

const consentChannels: readonly string[] = ['email', 'sms', 'push', 'in-app'];

/** Where a consent change came from, as the customer's timeline shows it. */
export type ConsentSource = 'link' | 'preference-page' | 'sms-reply' | 'api' | 'push-subscription';

export interface ConsentChange {
  workspaceId: string;
  customerId: string;
  channel: ConsentChannel;
  /** `opted-in` / `subscribed` say yes, `unsubscribed` says no; with a topic, yes joins it and no leaves it. */
  consent: 'opted-in' | 'subscribed' | 'unsubscribed';
  source: ConsentSource;
  /** A topic of the workspace (email only): the change is to that topic, not to the channel. */
  topic?: string;
  /**
   * The address the yes comes with (a push subscription's endpoint): stored as the channel's
   * address, clearing a bounce of the old one, whether or not the consent changes.
   */
  address?: string;
  /** When it happened (ms); default the clock. */
  now?: number;
  /**
   * Identifies the request that made the change (an inbound SMS id, a form submission), so a
   * retried call is stored once; default the instant, which dedupes retries within one transaction.
   */
  key?: string;
}

export interface ConsentChangeResult {
  /** False when the customer already had this state (or does not exist): nothing was written. */
  changed: boolean;
  /** The event's id on the timeline, when one was stored. */
  eventId?: number;
}

/** The name of the track event every consent change becomes. */
export const consentChangedEvent = 'Consent Changed';

/**
 * Changes a customer's consent on one channel (or one email topic) and records it as a
 * `Consent Changed` track event `{ channel, consent, source, topic? }` on the customer's timeline
 * and in `event_queue`, so it can trigger journeys. Only a change is written: setting the state the
 * customer already has changes nothing and stores no event, so repeats and retries are harmless.
 * Runs inside the caller's transaction.
 */
export async function changeConsent(tx: Tx, change: ConsentChange): Promise<ConsentChangeResult> {
  const { workspaceId, customerId, channel, consent, source, topic } = change;
  // Callers pass what a request said; a path segment must never come from elsewhere.
  if (!consentChannels.includes(channel)) throw new Error(`changeConsent: no consent on channel ${String(channel)}`);
  if (!['opted-in', 'subscribed', 'unsubscribed'].includes(consent)) throw new Error(`changeConsent: unknown consent ${String(consent)}`);
  const at = new Date(change.now ?? Date.now()).toISOString();
  const current = sql`${customers.channels} -> ${channel}`;
  const customer = and(eq(customers.id, customerId), eq(customers.workspaceId, workspaceId));
  if (change.address !== undefined && !topic)
    await tx
      .update(customers)
      .set({
        channels: sql`jsonb_set(${customers.channels}, ${`{${channel}}`}::text[], (coalesce(${current}, '{}'::jsonb) - 'bounced') || jsonb_build_object('address', ${change.address}::text))`,
        updatedAt: at,
      })
      .where(and(customer, sql`(${current} ->> 'address') is distinct from ${change.address}::text`));
  const [updated] = topic
    ? await tx
        .update(customers)
        .set({
          channels: sql`jsonb_set(${customers.channels}, ${`{${channel}}`}::text[], coalesce(${current}, '{}'::jsonb) || jsonb_build_object('topics', coalesce(${current} -> 'topics', '{}'::jsonb) || jsonb_build_object(${topic}::text, ${consent !== 'unsubscribed'}::boolean)))`,
          updatedAt: at,
        })
        .where(and(customer, sql`(${current} -> 'topics' -> ${topic}::text) is distinct from to_jsonb(${consent !== 'unsubscribed'}::boolean)`))
        .returning({ id: customers.id })
    : await tx
        .update(customers)
        .set({
          channels: sql`jsonb_set(${customers.channels}, ${`{${channel}}`}::text[], coalesce(${current}, '{}'::jsonb) || jsonb_build_object('consent', ${consent}::text))`,
          updatedAt: at,
        })
        .where(and(customer, sql`(${current} ->> 'consent') is distinct from ${consent}::text`))
        .returning({ id: customers.id });
  if (!updated) return { changed: false };
  const properties: Record<string, unknown> = { channel, consent, source };
  if (topic) properties.topic = topic;
  const [stored] = await storeTrackEvents(tx, [
    { workspaceId, messageId: `consent:${customerId}:${channel}:${topic ?? ''}:${consent}:${change.key ?? at}`, customerId, name: consentChangedEvent, properties, timestamp: at },
  ]);
  return { changed: true, eventId: stored?.eventId };
}
