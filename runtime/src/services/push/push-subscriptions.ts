import { createECDH } from 'node:crypto';
import { isIP } from 'node:net';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PushSubscribeRequest } from '@waymark/shared';
import type { Db, Tx } from '../../db/database.ts';
import { customerIdentities, customers, pushSubscriptions, workspaces } from '../../db/schema.ts';
import { isPrivateAddress } from '../../channels/is-private-address.ts';
import { changeConsent } from '../customers/change-consent.ts';
import { resolveIdentities, type IdentityRef } from '../ingestion/resolve-identities.ts';

/** The identity kind of a subscription's endpoint: the name the customer view and `push_token` traits already use for push addresses. */
export const pushIdentityKind = 'push_token';

/** A browser's subscription as stored: where to post, and the keys to encrypt for it. */
export interface StoredSubscription {
  endpoint: string;
  customerId: string;
  p256dh: string;
  auth: string;
}

/** A subscription the workspace cannot take, with the request field to blame. */
export class PushSubscriptionError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** The customer's browsers, oldest first. */
export async function subscriptionsOf(db: Db, workspaceId: string, customerId: string): Promise<StoredSubscription[]> {
  return db
    .select({ endpoint: pushSubscriptions.endpoint, customerId: pushSubscriptions.customerId, p256dh: pushSubscriptions.p256dh, auth: pushSubscriptions.auth })
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.workspaceId, workspaceId), eq(pushSubscriptions.customerId, customerId)))
    .orderBy(pushSubscriptions.createdAt);
}

/** "Send test" to a typed address: the subscription with that endpoint, or every browser of the customer with that userId. */
export async function subscriptionsForTest(db: Db, workspaceId: string, to: string): Promise<StoredSubscription[]> {
  const [owner] = await db
    .select({ customerId: customerIdentities.customerId })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, workspaceId), inArray(customerIdentities.kind, [pushIdentityKind, 'user_id']), eq(customerIdentities.value, to)));
  if (!owner) return [];
  const all = await subscriptionsOf(db, workspaceId, owner.customerId);
  return all.some((s) => s.endpoint === to) ? all.filter((s) => s.endpoint === to) : all;
}

/**
 * Attaches a browser's subscription to the customer of `userId` / `anonymousId` (found or created
 * as ingestion does), in one transaction: the subscription (a browser subscribing again, maybe as
 * another customer, moves it), a `push_token` identity, `channels.push.address` = the endpoint, and
 * consent `subscribed` (a `Consent Changed` event the first time). Endpoints must be https — or
 * any http(s) in a workspace that allows private networks (self-hosted push services, tests) —
 * and keys must be a real P-256 point and a 16-byte secret, so a send never fails on them.
 */
export async function subscribePush(db: Db, workspaceId: string, request: PushSubscribeRequest, now: number): Promise<{ customerId: string }> {
  const { endpoint, keys } = request.subscription;
  checkKeys(keys);
  return db.transaction(async (tx) => {
    const [workspace] = await tx.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
    checkEndpoint(endpoint, workspace?.settings.allowPrivateNetworks === true);
    const ids: IdentityRef[] = [
      ...(request.userId != null ? [{ kind: 'user_id' as const, value: String(request.userId) }] : []),
      ...(request.anonymousId != null ? [{ kind: 'anonymous_id' as const, value: String(request.anonymousId) }] : []),
    ];
    const [resolved] = await resolveIdentities(tx, [{ workspaceId, ids }]);
    // Another transaction may have created the same identity first: its customer is the one.
    const [owner] = await tx
      .select({ customerId: customerIdentities.customerId })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.workspaceId, workspaceId), eq(customerIdentities.kind, ids[0]!.kind), eq(customerIdentities.value, ids[0]!.value)));
    const customerId = owner?.customerId ?? resolved!;
    const at = new Date(now).toISOString();
    const [previous] = await tx
      .select({ customerId: pushSubscriptions.customerId })
      .from(pushSubscriptions)
      .where(and(eq(pushSubscriptions.workspaceId, workspaceId), eq(pushSubscriptions.endpoint, endpoint)))
      .for('update');
    await tx
      .insert(pushSubscriptions)
      .values({ workspaceId, endpoint, customerId, p256dh: keys.p256dh, auth: keys.auth, userAgent: request.userAgent ?? null, createdAt: at })
      .onConflictDoUpdate({
        target: [pushSubscriptions.workspaceId, pushSubscriptions.endpoint],
        set: { customerId, p256dh: keys.p256dh, auth: keys.auth, userAgent: request.userAgent ?? null },
      });
    await tx
      .insert(customerIdentities)
      .values({ workspaceId, kind: pushIdentityKind, value: endpoint, customerId })
      .onConflictDoUpdate({ target: [customerIdentities.workspaceId, customerIdentities.kind, customerIdentities.value], set: { customerId } });
    // A new address is a fresh start: a bounce of an older one does not apply to it.
    await tx
      .update(customers)
      .set({
        channels: sql`jsonb_set(${customers.channels}, '{push}', (coalesce(${customers.channels} -> 'push', '{}'::jsonb) - 'bounced') || jsonb_build_object('address', ${endpoint}::text))`,
        updatedAt: at,
      })
      .where(and(eq(customers.id, customerId), eq(customers.workspaceId, workspaceId)));
    await changeConsent(tx, { workspaceId, customerId, channel: 'push', consent: 'subscribed', source: 'push-subscription', now });
    if (previous && previous.customerId !== customerId) await repointAddress(tx, workspaceId, previous.customerId, at);
    return { customerId };
  });
}

/** Removes a browser's subscription (it unsubscribed); the customer's push address moves to another browser or is cleared. */
export async function unsubscribePush(db: Db, workspaceId: string, endpoint: string, now: number): Promise<boolean> {
  const removed = await forgetSubscriptions(db, workspaceId, [endpoint], now);
  return removed > 0;
}

/**
 * Deletes subscriptions (unsubscribed, or gone at the push service: 404/410) with their `push_token`
 * identities, and points each owner's push address at a browser they still have, or clears it so
 * later sends skip with `no-address`. Returns how many were deleted.
 */
export async function forgetSubscriptions(db: Db, workspaceId: string, endpoints: string[], now: number): Promise<number> {
  if (!endpoints.length) return 0;
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.workspaceId, workspaceId), inArray(pushSubscriptions.endpoint, endpoints)))
      .returning({ customerId: pushSubscriptions.customerId });
    await tx.delete(customerIdentities).where(and(eq(customerIdentities.workspaceId, workspaceId), eq(customerIdentities.kind, pushIdentityKind), inArray(customerIdentities.value, endpoints)));
    const at = new Date(now).toISOString();
    for (const customerId of new Set(removed.map((r) => r.customerId))) await repointAddress(tx, workspaceId, customerId, at);
    return removed.length;
  });
}

/** The customer's push address becomes their newest remaining subscription, or goes. */
async function repointAddress(tx: Tx, workspaceId: string, customerId: string, at: string) {
  await tx.execute(sql`
    update customers c set channels = jsonb_set(c.channels, '{push}',
        case when s.endpoint is null then (c.channels -> 'push') - 'address' else (c.channels -> 'push') || jsonb_build_object('address', s.endpoint) end),
      updated_at = ${at}
    from (select (select endpoint from push_subscriptions where workspace_id = ${workspaceId} and customer_id = ${customerId} order by created_at desc limit 1) as endpoint) s
    where c.id = ${customerId} and c.workspace_id = ${workspaceId} and c.channels ? 'push'
      and (c.channels -> 'push' ->> 'address') is distinct from s.endpoint`);
}

function checkKeys(keys: { p256dh: string; auth: string }) {
  const auth = Buffer.from(keys.auth, 'base64url');
  if (auth.length !== 16) throw new PushSubscriptionError('subscription.keys.auth', 'must be the 16-byte authentication secret, base64url');
  try {
    // Throws unless the key is a point on P-256: the send would fail to encrypt for it.
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    ecdh.computeSecret(Buffer.from(keys.p256dh, 'base64url'));
  } catch {
    throw new PushSubscriptionError('subscription.keys.p256dh', 'must be the browser’s P-256 public key (65 bytes, base64url)');
  }
}

function checkEndpoint(endpoint: string, allowPrivateNetworks: boolean) {
  const url = new URL(endpoint);
  if (allowPrivateNetworks) return;
  if (url.protocol !== 'https:') throw new PushSubscriptionError('subscription.endpoint', 'must be an https URL of a push service');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Names are checked again when sending, at connection time (safe-fetch); literals can be refused now.
  if ((isIP(host) && isPrivateAddress(host)) || host === 'localhost' || host.endsWith('.localhost'))
    throw new PushSubscriptionError('subscription.endpoint', 'must be a push service on the internet, not a private address');
}
