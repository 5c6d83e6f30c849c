import type { ChannelConsent, CustomerView, Identity, SegmentMembershipChange } from '@waymark/shared';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { customerIdentities } from '../../db/schema.ts';
import { listRefusals } from '../journeys/entry-refusals.ts';
import { bestName } from './best-name.ts';
import { customerTimeline, segmentNames } from './customer-timeline.ts';
import { findCustomer } from './find-customer.ts';
import { listRuns } from './list-runs.ts';
import { describeTraits } from './trait-type.ts';
import { ConsentPolicy, defaultConsentPolicy, TimelineKind } from '@waymark/shared';
import { getWorkspaceSettings } from '../workspace-settings.ts';
import { membershipChanges } from '../segments/membership-sql.ts';

/** Channels a person is reached on: always listed, with "no address" when there is none. */
const personChannels = ['email', 'sms', 'push', 'in-app'];
/** Channel addresses that are also ways to find the customer. */
const addressKinds: Record<string, Identity['kind']> = { email: 'email', sms: 'phone', push: 'push_token' };

/** Stored JSON is checked on read: topics are a map of booleans. */
const isTopics = (value: unknown): value is Record<string, boolean> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'boolean');

/**
 * The single customer view: the best name, identities (user and anonymous ids, email, phone),
 * consent per channel (with bounces and email topics) and the workspace's consent policy, typed traits, runs, refused entries and the first page of the timeline.
 */
export async function customerView(db: Db, workspaceId: string, id: string): Promise<CustomerView> {
  const customer = await findCustomer(db, workspaceId, id);
  const [ids, runs, refusals, [lastEvent], settings, segments, segmentHistory] = await Promise.all([
    db
      .select({ kind: customerIdentities.kind, value: customerIdentities.value })
      .from(customerIdentities)
      .where(eq(customerIdentities.customerId, id))
      .orderBy(customerIdentities.kind, customerIdentities.value),
    listRuns(db, id),
    listRefusals(db, id),
    db.execute<{ at: string | null }>(sql`select to_json(max(timestamp)) #>> '{}' as at from events where customer_id = ${id}`),
    getWorkspaceSettings(db, workspaceId),
    db.execute<{ id: string; name: string; since: string }>(sql`
      select s.id, s.name, u.t as since from customer_segments m cross join unnest(m.segments, m.entered_at) u(n, t) join segments s on s.number = u.n
      where m.customer_id = ${id} order by s.name`),
    membershipHistory(db, id),
  ]);
  const timeline = await customerTimeline(db, id, { kinds: TimelineKind.options, limit: 50, refusals });
  const addresses = Object.entries(customer.channels).flatMap(([channel, state]) => (addressKinds[channel] && state?.address ? [{ kind: addressKinds[channel], value: state.address }] : []));
  // A push subscription is both an identity and, for the newest browser, the push address: listed once.
  const identities = [...(ids as Identity[]), ...addresses].filter((identity, i, all) => all.findIndex((o) => o.kind === identity.kind && o.value === identity.value) === i);
  const channels: ChannelConsent[] = [...new Set([...personChannels, ...Object.keys(customer.channels)])].map((channel) => ({
    channel,
    address: customer.channels[channel]?.address ?? null,
    consent: customer.channels[channel]?.consent ?? null,
    preferred: customer.preferredChannel === channel,
    bounced: customer.channels[channel]?.bounced === true,
    ...(channel === 'email' && isTopics(customer.channels.email?.topics) ? { topics: customer.channels.email.topics } : {}),
  }));
  const updated = Date.parse(customer.updatedAt);
  const lastSeen = lastEvent?.at ? Math.max(updated, Date.parse(lastEvent.at)) : updated;
  return {
    id: customer.id,
    name: bestName(customer.traits, {
      email: customer.channels.email?.address,
      userId: identities.find((i) => i.kind === 'user_id')?.value,
      phone: customer.channels.sms?.address,
    }),
    createdAt: new Date(customer.createdAt).toISOString(),
    lastSeenAt: new Date(lastSeen).toISOString(),
    identities,
    channels,
    consentPolicy: { ...defaultConsentPolicy, ...ConsentPolicy.catch({}).parse(settings.consentPolicy ?? {}) },
    traits: describeTraits(customer.traits),
    runs,
    refusals,
    timeline,
    segments: segments.map((s) => ({ ...s, since: new Date(s.since).toISOString() })),
    segmentHistory,
  };
}

/** The customer's latest membership changes, newest first (`membershipChanges`: one row per instant that changed any). */
async function membershipHistory(db: Db, customerId: string, limit = 50): Promise<SegmentMembershipChange[]> {
  const rows = await db.execute<{ at: string; entered: string[]; exited: string[] }>(sql`
    select to_json(at) #>> '{}' as at, entered, exited from (${membershipChanges(customerId)}) c order by at desc limit ${limit}`);
  const nameOf = await segmentNames(
    db,
    rows.flatMap((r) => [...r.entered, ...r.exited]),
  );
  const changes = rows.flatMap((row) => {
    const at = new Date(row.at).toISOString();
    const of = (change: SegmentMembershipChange['change'], ids: string[]) => ids.map((segmentId) => ({ at, change, segmentId, segment: nameOf(segmentId) }));
    return [...of('exited', row.exited), ...of('entered', row.entered)];
  });
  return changes.slice(0, limit);
}
