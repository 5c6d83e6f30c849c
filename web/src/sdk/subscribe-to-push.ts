import type { Visitor } from './sdk-types.ts';
import { WaymarkError, type WaymarkClient } from './waymark-client.ts';

/** How `subscribeToPush` ended: `unavailable` when the workspace has no push provider. */
export type PushStatus = 'subscribed' | 'denied' | 'unsupported' | 'unavailable';

export interface PushOptions {
  /** The site's copy of the service worker, served from the site's own origin (default `/waymark-sw.js`). */
  serviceWorker?: string;
}

/** Whether this browser can receive web push at all (iOS only from a home-screen app). */
export const pushSupported = () => typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof PushManager !== 'undefined' && typeof Notification !== 'undefined';

/**
 * Asks for permission (call it from a click: browsers refuse prompts without a user gesture),
 * registers the site's service worker, subscribes with the workspace's VAPID key and hands the
 * subscription to Waymark. Subscribing again with the same key reuses the browser's subscription.
 */
export async function subscribeToPush(client: WaymarkClient, visitor: Visitor, options: PushOptions = {}): Promise<PushStatus> {
  if (!pushSupported()) return 'unsupported';
  // The prompt first, while the click's user activation is fresh (Safari allows it only then).
  const permission = Notification.permission === 'default' ? Notification.requestPermission() : Promise.resolve(Notification.permission);
  const key = client.request<{ publicKey: string }>('GET', 'push/key').catch((error: unknown) => {
    if (error instanceof WaymarkError && error.status === 404) return null;
    throw error;
  });
  if ((await permission) !== 'granted') return 'denied';
  const publicKey = (await key)?.publicKey;
  if (!publicKey) return 'unavailable';
  const registration = await activated(await navigator.serviceWorker.register(options.serviceWorker ?? '/waymark-sw.js'));
  const applicationServerKey = base64UrlToBytes(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, applicationServerKey)) {
    // Made with another key (the workspace's keys changed): the push service would refuse our sends.
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  await client.request('POST', 'push/subscriptions', { ...visitor, subscription: subscription.toJSON(), userAgent: navigator.userAgent });
  return 'subscribed';
}

/** Ends this browser's subscription and tells Waymark to forget it; false when there was none. */
export async function unsubscribeFromPush(client: WaymarkClient, options: PushOptions = {}): Promise<boolean> {
  if (!pushSupported()) return false;
  const registration = await navigator.serviceWorker.getRegistration(options.serviceWorker ?? '/waymark-sw.js');
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return false;
  await client.request('DELETE', 'push/subscriptions', { endpoint: subscription.endpoint });
  await subscription.unsubscribe();
  return true;
}

/** Resolves once the registration has an active worker: `pushManager.subscribe` needs one. */
function activated(registration: ServiceWorkerRegistration): Promise<ServiceWorkerRegistration> {
  const pending = registration.installing ?? registration.waiting;
  if (registration.active || !pending) return Promise.resolve(registration);
  return new Promise((resolve, reject) => {
    pending.addEventListener('statechange', () => {
      if (pending.state === 'activated') resolve(registration);
      if (pending.state === 'redundant') reject(new Error('The Waymark service worker failed to install; check that its URL serves the script.'));
    });
  });
}

/** A VAPID public key as the bytes `applicationServerKey` takes. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function sameKey(current: ArrayBuffer | null, wanted: Uint8Array): boolean {
  if (!current) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === wanted.length && bytes.every((b, i) => b === wanted[i]);
}
