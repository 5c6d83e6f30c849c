import { sql } from 'drizzle-orm';
import { splitTraits } from '@waymark/shared';
import type { Tx } from '../../db/database.ts';
import { chunk, insertJson, storableJsonText } from '../../db/bulk-sql.ts';
import { mergeChannels } from './merge-channels.ts';
import { resolveCustomers, type IdentityRef } from './resolve-identities.ts';
import type { SegmentCall } from './segment-calls.ts';
import { consentChangedEvent } from '../customers/change-consent.ts';
import { type OwnTrackEvent, storeTrackEvents } from '../customers/store-track-events.ts';

/** A validated call with where and when it arrived. */
export interface ReceivedCall {
  workspaceId: string;
  call: SegmentCall;
  receivedAt: number;
}

/** `timestamp`, corrected for the client's clock skew when `sentAt` is given (Segment's rule). */
export function eventTime(call: SegmentCall, receivedAt: number): string {
  const stated = call.timestamp ? Date.parse(call.timestamp) : receivedAt;
  const corrected = stated + (call.sentAt ? receivedAt - Date.parse(call.sentAt) : 0);
  // A sentAt far off would move the event out of any sensible time; then the stated time stands.
  const year = new Date(corrected).getUTCFullYear();
  return new Date(year >= 1900 && year <= 9999 ? corrected : stated).toISOString();
}

const idsOf = (call: SegmentCall): IdentityRef[] => [
  ...(call.userId != null ? [{ kind: 'user_id' as const, value: String(call.userId) }] : []),
  ...(call.anonymousId != null ? [{ kind: 'anonymous_id' as const, value: String(call.anonymousId) }] : []),
];

/** A call as stored: where and when, under which message id. */
interface StoredCall {
  workspaceId: string;
  messageId: string;
  timestamp: string;
}

/** What a batch's calls make of a customer's profile; `consentBy`, per channel, the last call that gave it consent. */
interface Profile {
  traits: Record<string, unknown>;
  channels: Record<string, Record<string, unknown>>;
  context: Record<string, unknown>;
  consentBy: Map<string, StoredCall>;
}

/**
 * Stores calls in the caller's transaction: resolves (and merges) customers, inserts the events
 * (a repeated messageId inserts nothing), and for identify calls not seen before merges traits
 * into the profile, with `email` / `phone` traits becoming channel addresses and consent traits
 * updating consent. A consent the batch changes (from what the customer had, or had not) is also a
 * `Consent Changed` event (`source: identify`), queued after the batch's calls, as every other
 * consent change is an event: journeys starting on it hear it. Setting the consent a customer
 * already has stores none.
 */
export async function ingestCalls(tx: Tx, calls: ReceivedCall[]): Promise<{ stored: number; duplicates: number }> {
  if (!calls.length) return { stored: 0, duplicates: 0 };
  const { owners, created } = await resolveCustomers(
    tx,
    calls.map(({ workspaceId, call }) => ({ workspaceId, ids: idsOf(call), ...(call.type === 'alias' ? { previousId: String(call.previousId) } : {}) })),
    { failOnRace: true },
  );
  const rows = calls.map(({ workspaceId, call, receivedAt }, i) => ({
    workspaceId,
    messageId: call.messageId ?? crypto.randomUUID(),
    customerId: owners[i]!,
    type: call.type,
    name: call.type === 'track' ? call.event : call.type === 'page' || call.type === 'screen' ? (call.name ?? null) : null,
    properties: (call.type === 'identify' || call.type === 'group' ? call.traits : call.type === 'alias' ? { previousId: call.previousId } : call.properties) ?? {},
    timestamp: eventTime(call, receivedAt),
    receivedAt: new Date(receivedAt).toISOString(),
  }));
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += 3_000) {
    const slice = rows.slice(i, i + 3_000);
    // Stored events that journeys react to (track, identify) are queued for the workers in the same statement.
    const result = await tx.execute<{ workspaceId: string; messageId: string }>(sql`
      with stored as (${insertJson('events', slice, sql`on conflict do nothing returning id, customer_id, type, workspace_id, message_id`)}),
        queued as (insert into event_queue (event_id, customer_id) select id, customer_id from stored where type in ('track', 'identify'))
      select workspace_id as "workspaceId", message_id as "messageId" from stored`);
    for (const row of result) inserted.add(`${row.workspaceId}|${row.messageId}`);
  }
  const profiles = new Map<string, Profile>();
  // Two calls with one message id in the batch: the first is the one stored, the other a repeat (as it would be in a later batch).
  const applied = new Set<string>();
  rows.forEach((row, i) => {
    const call = calls[i]!.call;
    const key = `${row.workspaceId}|${row.messageId}`;
    if (!inserted.has(key) || applied.has(key)) return;
    applied.add(key);
    if (call.type !== 'identify' && !call.context?.timezone) return;
    const profile: Profile = profiles.get(row.customerId) ?? { traits: {}, channels: {}, context: {}, consentBy: new Map() };
    if (call.type === 'identify') {
      // Each call split on its own and its channels merged field by field, as separate calls would
      // be: a later call's consent for email leaves an earlier one's for SMS (merged as traits
      // first, the later `consent` object replaced the earlier one whole).
      const split = splitTraits(call.traits ?? {});
      // Spread, not Object.assign: an own `__proto__` trait stays a trait instead of replacing the object's prototype.
      profile.traits = { ...profile.traits, ...split.traits };
      for (const [channel, fields] of Object.entries(split.channels)) {
        profile.channels[channel] = { ...profile.channels[channel], ...fields };
        if (typeof fields.consent === 'string') profile.consentBy.set(channel, row);
      }
    }
    if (typeof call.context?.timezone === 'string') profile.context.timezone = call.context.timezone;
    profiles.set(row.customerId, profile);
  });
  // One statement for every profile touched: traits merge (the call's values win; a context time
  // zone fills in only when none is known), channels merge per channel (a new address drops the old
  // one's bounce: the bounce was of that address), preferred channel if given.
  const patches = [...profiles].map(([id, { traits, channels, context, consentBy }]) => ({
    id,
    traits,
    channels,
    timezone: context.timezone ?? null,
    preferred: typeof traits.preferred_channel === 'string' ? traits.preferred_channel : null,
    consent: consentBy.size > 0,
  }));
  // New customers are inserted with their first profile — what the update below makes of an empty one.
  const fresh = new Map(created.map((c) => [c.id, c.workspaceId]));
  const firstProfiles = new Map(patches.filter((p) => fresh.has(p.id)).map((p) => [p.id, p]));
  const newRows = created.map(({ id, workspaceId }) => {
    const patch = firstProfiles.get(id);
    const traits = patch?.timezone && !('timezone' in patch.traits) ? { timezone: patch.timezone, ...patch.traits } : (patch?.traits ?? {});
    return { id, workspaceId, traits, channels: patch?.channels ?? {}, preferredChannel: patch?.preferred ?? null };
  });
  for (const slice of chunk(newRows, 5_000)) await tx.execute(insertJson('customers', slice));
  /** Each customer's channels before the batch, for those it gave consent (a new customer had none). */
  const before = new Map<string, Record<string, Record<string, unknown> | undefined>>();
  // In id order (the rows locked in a stable order make concurrent groups wait, not deadlock, in the usual plan).
  const known = patches.filter((p) => !fresh.has(p.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const slice of chunk(known, 2_000)) {
    // The channels as they were come back only for customers the batch gives consent.
    const asking = slice.some((p) => p.consent);
    const updated = await tx.execute<{ id: string; before: Record<string, Record<string, unknown> | undefined> | null }>(sql`
      update customers c set
        traits = case when v.timezone is not null and not (c.traits ? 'timezone') and not (v.traits ? 'timezone')
                   then c.traits || jsonb_build_object('timezone', v.timezone) || v.traits
                   else c.traits || v.traits end,
        channels = ${mergeChannels(sql`c.channels`, sql`v.channels`)},
        preferred_channel = coalesce(v.preferred, c.preferred_channel),
        updated_at = now()
      from jsonb_to_recordset(${storableJsonText(slice)}::jsonb) as v(id text, traits jsonb, channels jsonb, timezone text, preferred text, consent boolean)
      where c.id = v.id
      ${asking ? sql`returning c.id, case when v.consent then old.channels end as before` : sql``}`);
    for (const row of updated) if (row.before) before.set(row.id, row.before);
  }
  await storeTrackEvents(tx, consentEvents(profiles, before));
  return { stored: inserted.size, duplicates: rows.length - inserted.size };
}

/**
 * The `Consent Changed` events of the consent the batch gave that differs from what each customer
 * had (`before`; nothing, for a new customer): one per customer and channel, with the consent the
 * profile now holds, dated by the last call that gave it and named after that call, so a retried
 * call (which stores nothing) adds none. (`consent:identify:…`: customer ids are UUIDs, so these
 * never meet `changeConsent`'s `consent:<customer>:…`.) A batch gives its net change: an opt-in
 * and an opt-out of one customer in one batch leave the consent as it was, and say nothing.
 */
function consentEvents(profiles: Map<string, Profile>, before: Map<string, Record<string, Record<string, unknown> | undefined>>): OwnTrackEvent[] {
  return [...profiles].flatMap(([customerId, { channels, consentBy }]) =>
    [...consentBy]
      .filter(([channel]) => before.get(customerId)?.[channel]?.consent !== channels[channel]?.consent)
      .map(([channel, row]) => ({
        workspaceId: row.workspaceId,
        messageId: `consent:identify:${customerId}:${channel}:${String(channels[channel]!.consent)}:${row.messageId}`,
        customerId,
        name: consentChangedEvent,
        properties: { channel, consent: channels[channel]!.consent, source: 'identify' },
        timestamp: row.timestamp,
      })),
  );
}
