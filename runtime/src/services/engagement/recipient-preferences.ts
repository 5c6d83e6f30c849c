import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ConsentPolicy, hasConsent, Topic } from '@waymark/shared';
import type { Db, Tx } from '../../db/database.ts';
import { customers, messages, pushSubscriptions, workspaces } from '../../db/schema.ts';
import { changeConsent } from '../customers/change-consent.ts';

/** The channels a recipient chooses on the preference page, in the order it shows them. */
export const preferenceChannels = ['email', 'sms', 'push'] as const;
export type PreferenceChannel = (typeof preferenceChannels)[number];

/** What the preference page shows: the channels the customer can be reached on, the workspace's topics (with email). */
export interface RecipientPreferences {
  workspaceId: string;
  customerId: string;
  /** The email address the page is for, to greet the reader (masked by the page). */
  email: string | null;
  channels: { channel: PreferenceChannel; subscribed: boolean }[];
  topics: { id: string; name: string; subscribed: boolean }[];
}

/** The recipient's choice: every channel and topic shown, ticked or not. */
export interface PreferenceChoice {
  channels: Partial<Record<PreferenceChannel, boolean>>;
  topics: Record<string, boolean>;
}

type CustomerChannels = Record<string, { address?: string | null; consent?: string; topics?: Record<string, unknown> } | undefined>;

const Topics = z.array(Topic).max(100);

/** The workspace's topics, or none when its settings hold something else. */
function topicsOf(settings: Record<string, unknown>): Topic[] {
  const parsed = Topics.safeParse(settings.topics);
  return parsed.success ? parsed.data : [];
}

/**
 * Whether a channel sends to this customer: the engine's own consent decision (SPEC M3, M11) —
 * their stored choice, else the workspace's policy; a push subscription is push's yes.
 */
function subscribed(channel: PreferenceChannel, stored: string | undefined, settings: Record<string, unknown>): boolean {
  const policy = ConsentPolicy.safeParse(settings.consentPolicy);
  const consent = stored === 'opted-in' || stored === 'subscribed' || stored === 'unsubscribed' ? stored : undefined;
  return hasConsent({ id: '', traits: {}, channels: { [channel]: { consent } } }, channel, policy.success ? policy.data : undefined);
}

/**
 * The preferences of the customer a message went to, or null for an unknown message (or an erased
 * customer). With `lock`, the customer's row is held until the transaction ends.
 */
export async function loadPreferences(db: Db | Tx, messageId: string, lock = false): Promise<RecipientPreferences | null> {
  const [message] = await db.select({ workspaceId: messages.workspaceId, customerId: messages.customerId }).from(messages).where(eq(messages.id, messageId));
  if (!message) return null;
  const customerQuery = db
    .select({ channels: customers.channels })
    .from(customers)
    .where(and(eq(customers.id, message.customerId), eq(customers.workspaceId, message.workspaceId)));
  const [customer] = lock ? await customerQuery.for('update') : await customerQuery;
  if (!customer) return null;
  const [workspace] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, message.workspaceId));
  const settings = (workspace?.settings ?? {}) as Record<string, unknown>;
  const [push] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.workspaceId, message.workspaceId), eq(pushSubscriptions.customerId, message.customerId)));
  const stored = customer.channels as CustomerChannels;
  const reachable = (channel: PreferenceChannel) => (channel === 'push' ? (push?.n ?? 0) > 0 || Boolean(stored.push?.address) : Boolean(stored[channel]?.address));
  const channels = preferenceChannels.filter(reachable).map((channel) => ({ channel, subscribed: subscribed(channel, stored[channel]?.consent, settings) }));
  const email = stored.email?.address ?? null;
  const topics = email ? topicsOf(settings).map((topic) => ({ id: topic.id, name: topic.name, subscribed: stored.email?.topics?.[topic.id] !== false })) : [];
  return { workspaceId: message.workspaceId, customerId: message.customerId, email, channels, topics };
}

/**
 * Saves a recipient's choice in one transaction: each channel and topic whose state differs from
 * what the customer has now changes through `changeConsent` (source `preference-page`), so each
 * change is an event on their timeline. Returns the preferences after, or null for an unknown message.
 */
export async function savePreferences(db: Db, messageId: string, choice: PreferenceChoice, now: number): Promise<{ preferences: RecipientPreferences; changed: number } | null> {
  return db.transaction(async (tx) => {
    const current = await loadPreferences(tx, messageId, true);
    if (!current) return null;
    const base = { workspaceId: current.workspaceId, customerId: current.customerId, source: 'preference-page' as const, now, key: `preferences:${messageId}:${now}` };
    let changed = 0;
    for (const { channel, subscribed: was } of current.channels) {
      const wanted = choice.channels[channel];
      if (wanted === undefined || wanted === was) continue;
      const result = await changeConsent(tx, { ...base, channel, consent: wanted ? 'opted-in' : 'unsubscribed' });
      if (result.changed) changed++;
    }
    for (const { id, subscribed: was } of current.topics) {
      const wanted = choice.topics[id];
      if (wanted === undefined || wanted === was) continue;
      const result = await changeConsent(tx, { ...base, channel: 'email', topic: id, consent: wanted ? 'opted-in' : 'unsubscribed' });
      if (result.changed) changed++;
    }
    return { preferences: (await loadPreferences(tx, messageId))!, changed };
  });
}
