import { type InboxHandle, type InboxOptions, mountInbox } from './inbox-widget.ts';
import type { InboxPage, InitOptions } from './sdk-types.ts';
import { type PushOptions, type PushStatus, pushSupported, subscribeToPush, unsubscribeFromPush } from './subscribe-to-push.ts';
import { createVisitorIds, uuid } from './visitor-ids.ts';
import { createClient, type WaymarkClient, WaymarkError } from './waymark-client.ts';

const library = { name: 'waymark.js', version: '1.0.0' };

/**
 * `window.Waymark`: identify the visitor, track events, subscribe to web push and show the in-app
 * inbox. Calls before `init` fail, saying so. `scriptOrigin` is where sdk.js came from: the default host.
 */
export function createWaymark(scriptOrigin = window.location.origin) {
  const visitor = createVisitorIds();
  let client: WaymarkClient | null = null;
  const ready = () => {
    if (!client) throw new Error('Waymark: call Waymark.init({ writeKey }) first.');
    return client;
  };
  const context = () => ({
    library,
    locale: navigator.language,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    userAgent: navigator.userAgent,
    page: { url: window.location.href, path: window.location.pathname, title: document.title, referrer: document.referrer },
  });
  const send = async (type: 'identify' | 'track', call: Record<string, unknown>) => {
    const now = new Date().toISOString();
    return ready().request<{ success: boolean }>('POST', type, { ...call, ...visitor.current(), messageId: uuid(), timestamp: now, sentAt: now, context: context() });
  };
  /** The inbox's owner: Waymark looks the user id up first, then this browser's anonymous id. */
  const owner = (): Record<string, string> => ({ ...visitor.current() });

  return {
    /** Sets the write key and host (default: the origin sdk.js was loaded from). */
    init(options: InitOptions) {
      if (!options || typeof options.writeKey !== 'string' || !/^[\x21-\x7e]+$/.test(options.writeKey))
        throw new Error('Waymark.init needs { writeKey }: the workspace’s write key (Settings → Keys).');
      const host = options.host ?? scriptOrigin;
      if (!/^https?:\/\/[^/]/.test(host)) throw new Error(`Waymark.init: host must be the Waymark server's http(s) address, such as https://waymark.example.com (got ${host}).`);
      client = createClient(options.writeKey, host);
    },
    /** Names the visitor (your user id) and stores traits; later calls carry the user id. */
    async identify(userId: string | number, traits: Record<string, unknown> = {}) {
      if ((typeof userId !== 'string' && typeof userId !== 'number') || userId === '') throw new Error('Waymark.identify needs a user id (a non-empty string).');
      visitor.setUserId(String(userId));
      return send('identify', { traits });
    },
    /** Records an event, which can start or move journeys. */
    async track(event: string, properties: Record<string, unknown> = {}) {
      if (typeof event !== 'string' || event === '') throw new Error('Waymark.track needs an event name.');
      return send('track', { event, properties });
    },
    /** Forgets the visitor (call on sign-out). */
    reset() {
      visitor.reset();
    },
    /** The ids Waymark knows this visitor by. */
    user: () => visitor.current(),
    pushSupported,
    /** Asks for permission and subscribes to web push; call it from a click (the prompt is asked before any await). */
    async subscribeToPush(options?: PushOptions): Promise<PushStatus> {
      return subscribeToPush(ready(), visitor.current(), options);
    },
    async unsubscribeFromPush(options?: PushOptions) {
      return unsubscribeFromPush(ready(), options);
    },
    /** Shows the in-app inbox bell inside `target` (an element or a selector). */
    inbox(target: Element | string, options?: InboxOptions): InboxHandle {
      const api = ready();
      const element = typeof target === 'string' ? document.querySelector(target) : target;
      if (!(element instanceof Element)) throw new Error(`Waymark.inbox: no element matches ${String(target)}.`);
      return mountInbox(
        element,
        {
          list: () => api.request<InboxPage>('GET', `inbox?${new URLSearchParams(owner())}`),
          mark: (id, event, keepalive) => api.request('POST', `inbox/${encodeURIComponent(id)}/${event}`, owner(), keepalive),
        },
        options,
      );
    },
    WaymarkError,
  };
}
export type Waymark = ReturnType<typeof createWaymark>;
