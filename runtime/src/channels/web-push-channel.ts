import webPush from 'web-push';
import type { PushPayload } from '@waymark/shared';
import { trackingUrls } from '../services/engagement/instrument-email.ts';
import type { AdapterFactory } from '../services/providers/provider-channels.ts';
import { forgetSubscriptions, type StoredSubscription, subscriptionsForTest, subscriptionsOf } from '../services/push/push-subscriptions.ts';
import { type OutgoingMessage, PermanentDeliveryError, type SendResult, TransientDeliveryError } from './channel.ts';
import { RefusedDestinationError } from './refused-destination-error.ts';
import { safeFetch } from './safe-fetch.ts';
import { privateNetworkPolicy, retryAfter } from './provider-http.ts';

/** How long a push service keeps a message for a browser that is offline: a day, after which a notification is stale. */
const ttlSeconds = 86_400;
/** Push services take 4,096 bytes of encrypted body; aes128gcm adds 86 bytes of header, a delimiter and a 16-byte tag. */
const maxPayloadBytes = 3_900;
const messageIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What one subscription's push service said. */
type Attempt =
  | { kind: 'accepted'; endpoint: string; status: number; location: string | null }
  | { kind: 'gone'; endpoint: string; status: number }
  | { kind: 'transient'; endpoint: string; status: number | null; why: string; retryAfterMs?: number }
  | { kind: 'refused'; endpoint: string; status: number | null; why: string };

/**
 * Web push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291): the
 * `web-push` package builds each request, `safeFetch` sends it, so a subscription endpoint (sent by
 * anyone holding the public write key) can never reach a private address unless the workspace
 * allows private networks. A message goes to every browser the customer subscribed; it is sent
 * when one push service accepts it. Subscriptions a push service says are gone (404/410) are
 * removed, and with none left the customer's push address is cleared, so later sends skip.
 * The `Topic` header is the message id, so a retry after a timeout replaces an undelivered copy
 * at the push service instead of adding a second one.
 */
export const webPushChannel: AdapterFactory = (provider, { db, publicUrl, signer }) => {
  const subject = String(provider.settings.subject ?? '');
  const icon = typeof provider.settings.icon === 'string' ? provider.settings.icon : undefined;
  const vapidDetails = { subject, publicKey: provider.secrets.vapidPublicKey ?? '', privateKey: provider.secrets.vapidPrivateKey ?? '' };
  const allowPrivate = privateNetworkPolicy(db, provider.workspaceId);
  return {
    async send(message: OutgoingMessage): Promise<SendResult> {
      const real = messageIdPattern.test(message.id);
      const subscriptions = real ? await subscriptionsOf(db, message.workspaceId, message.customerId) : await subscriptionsForTest(db, message.workspaceId, message.to ?? '');
      if (!subscriptions.length) throw new PermanentDeliveryError('no push subscription: the customer has not allowed notifications in any browser', { code: 'no-subscription' });
      const payload = pushPayload(message, { icon, clickUrl: real ? trackingUrls(publicUrl, message.id, signer).click(0) : null });
      const policy = { allowPrivateNetworks: await allowPrivate() };
      const attempts = await Promise.all(subscriptions.map((subscription) => pushTo(subscription, payload, { vapidDetails, topic: message.id.replaceAll('-', ''), policy })));
      const gone = attempts.filter((a) => a.kind === 'gone' || (a.kind === 'refused' && a.status === null)).map((a) => a.endpoint);
      if (gone.length) await forgetSubscriptions(db, message.workspaceId, gone, Date.now());
      const response = attempts.map(describe).join('; ');
      const accepted = attempts.find((a) => a.kind === 'accepted');
      if (accepted) return { providerId: accepted.location ?? new URL(accepted.endpoint).host, response };
      const transient = attempts.filter((a) => a.kind === 'transient');
      if (transient.length) {
        const retryAfterMs = Math.max(0, ...transient.map((a) => a.retryAfterMs ?? 0)) || undefined;
        throw new TransientDeliveryError(`push service unavailable: ${response}`, { code: String(transient[0]!.status ?? 'timeout'), retryAfterMs });
      }
      if (attempts.every((a) => a.kind === 'gone')) throw new PermanentDeliveryError(`every push subscription expired: ${response}`, { code: '410', gone: true });
      const refused = attempts.find((a) => a.kind === 'refused');
      throw new PermanentDeliveryError(`push refused: ${response}`, { code: String(refused?.status ?? 'refused') });
    },
  };
};

/** The notification as the service worker receives it; over 4 KB, the body is shortened first, then the title, then the icon dropped. */
export function pushPayload(message: OutgoingMessage, { icon, clickUrl }: { icon?: string; clickUrl: string | null }): string {
  const content = message.content as { title?: unknown; body?: unknown; deepLink?: unknown; imageUrl?: unknown };
  const deepLink = typeof content.deepLink === 'string' && content.deepLink ? content.deepLink : null;
  // Only an absolute http(s) link goes through the click redirect, which counts it as the message's link 0 (tracking-routes' trackedLinks).
  const url = deepLink ? (clickUrl && /^https?:\/\//i.test(deepLink) ? clickUrl : deepLink) : undefined;
  const image = typeof content.imageUrl === 'string' && content.imageUrl ? content.imageUrl : icon;
  // A URL longer than browsers keep is no URL: dropped rather than costing the text its room.
  const sane = (link: string | undefined) => (link && link.length <= 2_048 ? link : undefined);
  const payload: PushPayload = {
    title: String(content.title ?? ''),
    body: String(content.body ?? ''),
    ...(sane(image) ? { icon: image } : {}),
    ...(sane(url) ? { url } : {}),
    messageId: message.id,
  };
  const size = () => Buffer.byteLength(JSON.stringify(payload));
  for (const field of ['body', 'title'] as const) {
    const chars = [...payload[field]];
    let keep = chars.length;
    // Each step drops at least a sixth of the excess in characters (a character is at most 6 bytes of JSON), so it ends quickly.
    while (keep > 0 && size() > maxPayloadBytes) {
      keep = Math.max(0, keep - Math.ceil((size() - maxPayloadBytes) / 6));
      payload[field] = keep ? `${chars.slice(0, keep).join('')}…` : '';
    }
  }
  if (size() > maxPayloadBytes) delete payload.icon;
  if (size() > maxPayloadBytes) delete payload.url;
  return JSON.stringify(payload);
}

async function pushTo(
  subscription: StoredSubscription,
  payload: string,
  { vapidDetails, topic, policy }: { vapidDetails: { subject: string; publicKey: string; privateKey: string }; topic: string; policy: { allowPrivateNetworks: boolean } },
): Promise<Attempt> {
  const { endpoint } = subscription;
  let request: webPush.RequestDetails;
  try {
    request = webPush.generateRequestDetails({ endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } }, payload, {
      vapidDetails,
      TTL: ttlSeconds,
      urgency: 'normal',
      topic,
      contentEncoding: 'aes128gcm',
    });
  } catch (error) {
    // Keys are checked when a browser subscribes; what fails here is the provider's VAPID settings.
    throw new PermanentDeliveryError(`could not prepare the push message: ${(error as Error).message}`, { code: 'vapid', cause: error });
  }
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
  try {
    const response = await safeFetch(endpoint, { method: 'POST', headers, body: request.body ?? new Uint8Array() }, policy, { maxRedirects: 0, maxBodyBytes: 1_024 });
    const status = response.status;
    if (status >= 200 && status < 300) return { kind: 'accepted', endpoint, status, location: response.headers.get('location') };
    if (status === 404 || status === 410) return { kind: 'gone', endpoint, status };
    if (status === 429 || status >= 500) return { kind: 'transient', endpoint, status, why: words(status), retryAfterMs: retryAfter(response.headers.get('retry-after')) };
    return { kind: 'refused', endpoint, status, why: words(status) };
  } catch (error) {
    // A private address the workspace does not allow: this subscription can never be delivered to.
    if (error instanceof RefusedDestinationError) return { kind: 'refused', endpoint, status: null, why: error.message };
    if (error instanceof PermanentDeliveryError) return { kind: 'refused', endpoint, status: null, why: error.message };
    return { kind: 'transient', endpoint, status: null, why: (error as Error).message };
  }
}

const statusWords: Record<number, string> = {
  400: 'bad request (the push service could not read it)',
  403: 'forbidden (the VAPID key does not match the one the browser subscribed with)',
  404: 'not found (subscription expired, removed)',
  410: 'gone (subscription expired, removed)',
  413: 'payload too large',
  429: 'too many requests',
};
const words = (status: number) => `${status} ${statusWords[status] ?? (status >= 500 ? 'push service error' : 'refused')}`;

function describe(attempt: Attempt): string {
  const host = new URL(attempt.endpoint).host;
  if (attempt.kind === 'accepted') return `${host}: ${attempt.status} accepted`;
  if (attempt.kind === 'gone') return `${host}: ${words(attempt.status)}`;
  return `${host}: ${attempt.why}${attempt.kind === 'refused' && attempt.status === null ? ' (subscription removed)' : ''}`;
}
