import type { PushPayload } from './sdk-types.ts';

/*
 * `/waymark-sw.js`: the service worker a site registers (its own copy, or one line that
 * `importScripts` Waymark's). Shows each push as a notification and opens its URL — Waymark's
 * tracked click redirect — when the notification is clicked.
 */

/** The parts of the service worker scope used here (web's tsconfig has the DOM lib, not WebWorker's). */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface WorkerScope {
  registration: ServiceWorkerRegistration;
  clients: { openWindow(url: string): Promise<unknown>; claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'push', listener: (event: ExtendableEvent & { data: { json(): unknown } | null }) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: ExtendableEvent & { notification: Notification }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('install', (event) => event.waitUntil(scope.skipWaiting()));
scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));

scope.addEventListener('push', (event) => {
  let payload: PushPayload = {};
  try {
    const parsed = event.data?.json();
    if (parsed && typeof parsed === 'object') payload = parsed as PushPayload;
  } catch {
    // Not JSON: still show something, since userVisibleOnly promises the browser a notification.
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const options: NotificationOptions = { body: text(payload.body), icon: text(payload.icon), data: { url: text(payload.url) }, tag: text(payload.messageId) };
  event.waitUntil(scope.registration.showNotification(text(payload.title) ?? 'New notification', options));
});

scope.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data as { url?: string } | null)?.url;
  if (url && /^https?:\/\//i.test(url)) event.waitUntil(scope.clients.openWindow(url));
});
