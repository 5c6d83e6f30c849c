import { Channel, ChannelState, defaultConsentPolicy, type PreviewContext, type PreviewSubject } from '@waymark/shared';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { customers, type WorkspaceSettings } from '../../db/schema.ts';
import { bestName } from '../customers/best-name.ts';
import { loadCustomers } from '../execution/load-batch.ts';
import { pastRuns } from '../execution/process-events.ts';
import { createBatch, localDay } from '../execution/run-batch.ts';
import { getWorkspaceSettings } from '../workspace-settings.ts';
import { PreviewError } from './preview-error.ts';
import { findTestCustomer } from './test-customers.ts';

/** Who a preview is for: a real customer, a saved test customer, or nobody yet (an empty test profile). */
export type SubjectRef = { customerId: string } | { testCustomerId: string } | Record<string, never>;

/** The journey a subject is read for: earlier runs are of this journey, and it may be paused. */
export interface SubjectJourney {
  id: string;
  status: string;
}

/** The engine's id of a customer written for a preview (inline or saved), as the browser's preview names it: splits bucket them alike. */
export const testProfileId = 'preview-customer';

/** The most of each a preview context holds (its schema's limits); the newest are kept. */
const maxEvents = 5_000;
const maxRuns = 1_000;

/**
 * What the runtime would read to decide for this customer in this journey — the profile, earlier
 * runs of the journey, track events of the last 90 days, messages sent on the customer's day, the
 * workspace's caps, zone and consent policy, whether the journey is paused — read with the workers' own loaders.
 * A test customer or an empty profile gets the workspace's part only. Reads; writes nothing.
 * `fieldPrefix` names where the id was given (`customer.` in a request body), for the 404.
 */
export async function previewSubject(db: Db, workspaceId: string, journey: SubjectJourney, who: SubjectRef, now: number, fieldPrefix = ''): Promise<PreviewSubject> {
  if ('customerId' in who) return realSubject(db, workspaceId, journey, who.customerId, now, `${fieldPrefix}customerId`);
  const context = workspaceContext(await getWorkspaceSettings(db, workspaceId), journey);
  if (!('testCustomerId' in who)) return { customerId: null, name: 'Test customer', profile: { id: testProfileId, traits: {}, channels: {} }, context };
  const test = await findTestCustomer(db, workspaceId, who.testCustomerId, `${fieldPrefix}testCustomerId`);
  return { customerId: null, name: test.name, profile: engineProfile(testProfileId, test.profile), context };
}

/** A profile as the engine reads it, keeping only what the preview's contract knows (channels by name, valid consent). */
export function engineProfile(
  id: string,
  profile: { traits?: Record<string, unknown>; channels?: Record<string, unknown>; preferredChannel?: string | null; externalId?: string | undefined },
): PreviewSubject['profile'] {
  const channels: PreviewSubject['profile']['channels'] = {};
  for (const [channel, state] of Object.entries(profile.channels ?? {})) {
    const name = Channel.safeParse(channel);
    const parsed = ChannelState.safeParse(state);
    if (name.success && parsed.success) channels[name.data] = parsed.data;
  }
  const preferred = Channel.safeParse(profile.preferredChannel);
  return {
    id,
    ...(profile.externalId ? { externalId: profile.externalId } : {}),
    traits: profile.traits ?? {},
    channels,
    ...(preferred.success ? { preferredChannel: preferred.data } : {}),
  };
}

function workspaceContext(settings: WorkspaceSettings, journey: SubjectJourney): PreviewContext {
  return {
    pastRuns: [],
    paused: journey.status === 'paused',
    events: [],
    sentToday: {},
    frequencyCap: caps(settings.frequencyCap),
    workspaceZone: settings.timeZone ?? 'UTC',
    consentPolicy: { ...defaultConsentPolicy, ...settings.consentPolicy },
  };
}

/** Per-channel counts the contract accepts: known channels, whole numbers. */
function caps(counts: Record<string, number> | undefined): PreviewContext['frequencyCap'] {
  const known: PreviewContext['frequencyCap'] = {};
  for (const [channel, n] of Object.entries(counts ?? {})) {
    const name = Channel.safeParse(channel);
    if (name.success && Number.isInteger(n) && n >= 0 && n <= 1_000_000) known[name.data] = n;
  }
  return known;
}

async function realSubject(db: Db, workspaceId: string, journey: SubjectJourney, customerId: string, now: number, field: string): Promise<PreviewSubject> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)));
    // The workers' loader: the same profile, history, caps, zone and today's counts a batch would see.
    const batch = createBatch();
    if (row) await loadCustomers(tx, batch, [row.id], now, { history: 'recent' });
    const record = batch.customers.get(customerId);
    if (!record) throw new PreviewError('not-found', 'customer-not-found', `No customer "${customerId}" in this workspace.`, { field });
    const runs = (await pastRuns(tx, [customerId])).get(`${customerId}|${journey.id}`) ?? [];
    const today = localDay(record, now);
    const sentToday: Record<string, number> = {};
    for (const [key, n] of record.sentByDay) if (key.startsWith(`${today}|`)) sentToday[key.slice(today.length + 1)] = n;
    const events = record.events.toSorted((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp)).slice(-maxEvents);
    const profile = engineProfile(customerId, record.profile);
    return {
      customerId,
      name: bestName(profile.traits, { email: profile.channels.email?.address, userId: profile.externalId, phone: profile.channels.sms?.address }) ?? customerId,
      profile,
      context: {
        pastRuns: runs.slice(-maxRuns).map(({ id: _id, ...run }) => run),
        paused: journey.status === 'paused',
        events,
        sentToday: caps(sentToday),
        frequencyCap: caps(record.frequencyCap),
        workspaceZone: record.workspaceZone,
        consentPolicy: { ...defaultConsentPolicy, ...record.consentPolicy },
      },
    };
  });
}
