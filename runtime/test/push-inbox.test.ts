import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDocumentInput } from '@waymark/shared';
import { pushPayload } from '../src/channels/web-push-channel.ts';
import { customerIdentities, customers, events, messages, pushSubscriptions } from '../src/db/schema.ts';
import { createKey } from '../src/services/keys.ts';
import { loadProviders } from '../src/services/providers/provider-store.ts';
import { startPushService, type TestSubscription } from './support/push-service.ts';
import { startTestRuntime } from './support/test-runtime.ts';

const journey = (id: string, event: string, channel: 'push' | 'in-app', content: Record<string, unknown>): JourneyDocumentInput => ({
  schemaVersion: 1,
  id,
  name: id,
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event } } },
      { id: 'send', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel }, content: { [channel]: content } } },
    ],
    edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'send' }],
  },
});

describe('web push (VAPID, subscriptions) and the in-app inbox', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  let push: Awaited<ReturnType<typeof startPushService>>;
  let publicKey: string;
  let pushJourney: string;
  let inboxJourney: string;
  let sequence = 0;
  const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const v1 = (method: string, path: string, body?: unknown, key = rt.writeKey, headers: Record<string, string> = {}) =>
    rt.app.request(`/v1${path}`, {
      method,
      headers: { authorization: basic(key), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const json = async (response: Response | Promise<Response>) => {
    const r = await response;
    return { status: r.status, body: (await r.json()) as any };
  };
  const customerOf = async (userId: string) => {
    const [row] = await rt.db
      .select({ id: customers.id, channels: customers.channels })
      .from(customers)
      .innerJoin(customerIdentities, eq(customerIdentities.customerId, customers.id))
      .where(and(eq(customerIdentities.kind, 'user_id'), eq(customerIdentities.value, userId)));
    return row!;
  };
  /** Sends `event` for `userId` and waits until the journey's newest message settles. */
  const trigger = async (journeyId: string, event: string, userId: string, settled = ['sent', 'failed']) => {
    const before = (await rt.messagesOf(journeyId)).length;
    await rt.ingest('track', { userId, event, messageId: `${event}-${++sequence}` });
    return rt.eventually(async () => {
      const list = await rt.messagesOf(journeyId);
      return list.length > before && settled.includes(list.at(-1)!.status) && list.at(-1)!;
    });
  };
  const received = (subscription: TestSubscription, messageId: string) =>
    push.requests.filter((r) => r.id === subscription.id && r.status === 201).filter((r) => (subscription.decrypt(r.body) as { messageId: string }).messageId === messageId);

  const ada1 = () => browsers[0]!;
  const ada2 = () => browsers[1]!;
  const browsers: TestSubscription[] = [];

  beforeAll(async () => {
    push = await startPushService();
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { publicUrl: 'https://waymark.example' });
    owner = await rt.signIn();
    pushJourney = (
      await rt.publish(journey('promo', 'promo', 'push', { title: 'Sale for {{ customer.first_name | default: "you" }}', body: 'Half price today', deepLink: 'https://shop.example/sale' }))
    ).id;
    inboxJourney = (
      await rt.publish(
        journey('welcome', 'visit', 'in-app', { title: 'Welcome back', body: 'We kept your cart', cta: { label: 'See offers', url: 'https://shop.example/offers' }, expiresInHours: 48 }),
      )
    ).id;
    browsers.push(push.subscribe(), push.subscribe());
  });
  afterAll(async () => {
    await rt?.stop();
    await push?.stop();
  });

  it('a workspace without a push provider has no key (404); PUT /providers/push makes a VAPID pair, showing the public key and never the private one', async () => {
    expect((await json(v1('GET', '/push/key'))).body.error).toMatchObject({ code: 'push-not-configured' });
    const saved = await owner('PUT', `/api/workspaces/${rt.workspaceId}/providers/push`, { kind: 'web-push', settings: { subject: 'mailto:ops@example.com' } });
    expect(saved.status).toBe(200);
    publicKey = saved.body.publicKey;
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    const stored = (await loadProviders(rt.db, rt.box, 'push', [rt.workspaceId])).get(rt.workspaceId)!;
    expect(stored.secrets.vapidPublicKey).toBe(publicKey);
    const privateKey = stored.secrets.vapidPrivateKey!;
    expect(privateKey.length).toBeGreaterThan(20);
    const shown = JSON.stringify((await owner('GET', `/api/workspaces/${rt.workspaceId}/providers/push`)).body);
    expect(shown).not.toContain(privateKey);
    expect(shown).not.toContain('vapidPrivateKey');
    expect(await json(v1('GET', '/push/key'))).toEqual({ status: 200, body: { publicKey } });
  });

  it('two browsers subscribe for one customer: stored, push_token identities, the address, consent subscribed with one Consent Changed event', async () => {
    await rt.ingest('identify', { userId: 'ada', anonymousId: 'anon-ada', traits: { first_name: 'Ada' } });
    const first = await json(v1('POST', '/push/subscriptions', { userId: 'ada', subscription: ada1().json, userAgent: 'Firefox' }));
    expect(first.status).toBe(201);
    const second = await json(v1('POST', '/push/subscriptions', { anonymousId: 'anon-ada', subscription: { ...ada2().json, expirationTime: null } }));
    expect(second.body.customerId).toBe(first.body.customerId);
    const ada = await customerOf('ada');
    expect(ada.id).toBe(first.body.customerId);
    expect(ada.channels.push).toEqual({ address: ada2().json.endpoint, consent: 'subscribed' });
    const rows = await rt.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.customerId, ada.id));
    expect(rows.map((r) => r.endpoint).sort()).toEqual([ada1().json.endpoint, ada2().json.endpoint].sort());
    expect(rows.find((r) => r.endpoint === ada1().json.endpoint)?.userAgent).toBe('Firefox');
    const identities = await rt.db
      .select()
      .from(customerIdentities)
      .where(and(eq(customerIdentities.customerId, ada.id), eq(customerIdentities.kind, 'push_token')));
    expect(identities).toHaveLength(2);
    const consent = await rt.db
      .select({ properties: events.properties })
      .from(events)
      .where(and(eq(events.customerId, ada.id), eq(events.name, 'Consent Changed')));
    expect(consent.map((e) => e.properties)).toEqual([{ channel: 'push', consent: 'subscribed', source: 'push-subscription' }]);
  });

  it('a journey sends push: each browser gets one VAPID-signed, encrypted request whose payload has title, body and a tracked click that redirects and records', async () => {
    const message = await trigger(pushJourney, 'promo', 'ada');
    expect(message.status).toBe('sent');
    expect(message.providerId).toMatch(new RegExp(`^${push.origin}/messages/`));
    for (const browser of [ada1(), ada2()]) {
      const [request, ...more] = received(browser, message.id);
      expect(more).toHaveLength(0);
      expect(request!.vapid).toMatchObject({ valid: true, aud: push.origin, sub: 'mailto:ops@example.com', publicKey });
      expect(request!.headers).toMatchObject({ 'content-encoding': 'aes128gcm', ttl: '86400', urgency: 'normal', topic: message.id.replaceAll('-', '') });
      const payload = browser.decrypt(request!.body) as Record<string, string>;
      expect(payload).toMatchObject({ title: 'Sale for Ada', body: 'Half price today', messageId: message.id });
      expect(payload.url).toMatch(new RegExp(`^https://waymark\\.example/t/c/${message.id}/0/`));
    }
    const payload = ada1().decrypt(received(ada1(), message.id)[0]!.body) as { url: string };
    const click = await rt.app.request(new URL(payload.url).pathname);
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://shop.example/sale');
    const [clicked] = await rt.db.select().from(messages).where(eq(messages.id, message.id));
    expect(clicked!.clickedAt).not.toBeNull();
    const stats = (await owner('GET', `/api/workspaces/${rt.workspaceId}/journeys/${pushJourney}/stats`)).body.nodes.send;
    expect(stats).toMatchObject({ sent: 1, clicked: 1 });
  });

  it('a browser whose push service answers 410 is removed; the other keeps receiving', async () => {
    push.gone.add(ada1().id);
    const message = await trigger(pushJourney, 'promo', 'ada');
    expect(message.status).toBe('sent');
    expect(received(ada2(), message.id)).toHaveLength(1);
    const left = await rt.db.select({ endpoint: pushSubscriptions.endpoint }).from(pushSubscriptions).where(eq(pushSubscriptions.workspaceId, rt.workspaceId));
    expect(left.map((r) => r.endpoint)).toEqual([ada2().json.endpoint]);
    expect((await rt.db.select().from(customerIdentities).where(eq(customerIdentities.value, ada1().json.endpoint))).length).toBe(0);
    expect((await customerOf('ada')).channels.push).toMatchObject({ address: ada2().json.endpoint });
  });

  it('when every browser is gone the message fails as gone (410), the push address is cleared and later sends skip', async () => {
    push.gone.add(ada2().id);
    const message = await trigger(pushJourney, 'promo', 'ada');
    expect(message).toMatchObject({ status: 'failed', errorCode: '410' });
    expect(message.error).toContain('expired');
    expect((await customerOf('ada')).channels.push).toEqual({ consent: 'subscribed' });
    const sent = (await rt.messagesOf(pushJourney)).length;
    await rt.ingest('track', { userId: 'ada', event: 'promo', messageId: `promo-${++sequence}` });
    const runs = await rt.eventually(async () => {
      const list = await rt.runsOf(pushJourney);
      return list.length === 4 && list.every((r) => r.status !== 'active') && list;
    });
    const withMessage = new Set((await rt.messagesOf(pushJourney)).map((m) => m.progressId));
    const skipped = runs.filter((r) => !withMessage.has(r.id));
    expect(skipped).toHaveLength(1);
    expect((await rt.stepsOf(skipped[0]!.id)).at(-1)).toEqual(['send', 'next', 'skipped:no-address']);
    expect(await rt.messagesOf(pushJourney)).toHaveLength(sent);
  });

  it('an outage (503) then recovery: each browser gets exactly one accepted request for the message', async () => {
    const bob = [push.subscribe(), push.subscribe()];
    for (const browser of bob) expect((await v1('POST', '/push/subscriptions', { userId: 'bob', subscription: browser.json })).status).toBe(201);
    push.state.down = true;
    const failing = await trigger(pushJourney, 'promo', 'bob', ['retrying']);
    expect(push.requests.filter((r) => bob.some((b) => b.id === r.id) && r.status === 503).length).toBeGreaterThanOrEqual(2);
    push.state.down = false;
    await rt.advance(5_000);
    const message = await rt.eventually(async () => {
      const [row] = await rt.db.select().from(messages).where(eq(messages.id, failing.id));
      return row?.status === 'sent' && row;
    });
    expect(message.attempts).toBeGreaterThanOrEqual(2);
    for (const browser of bob) expect(received(browser, message.id)).toHaveLength(1);
    await rt.advance(60_000);
    for (const browser of bob) expect(received(browser, message.id)).toHaveLength(1);
  });

  it('a browser subscribing again as another customer moves; DELETE removes it and clears the address', async () => {
    const browser = push.subscribe();
    await v1('POST', '/push/subscriptions', { userId: 'carol', subscription: browser.json });
    await v1('POST', '/push/subscriptions', { userId: 'dave', subscription: browser.json });
    const [row] = await rt.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, browser.json.endpoint));
    expect(row!.customerId).toBe((await customerOf('dave')).id);
    expect((await customerOf('carol')).channels.push).toEqual({ consent: 'subscribed' });
    expect(await json(v1('DELETE', '/push/subscriptions', { endpoint: browser.json.endpoint }))).toEqual({ status: 200, body: { success: true, removed: true } });
    expect((await customerOf('dave')).channels.push).toEqual({ consent: 'subscribed' });
    expect((await json(v1('DELETE', '/push/subscriptions', { endpoint: browser.json.endpoint }))).body.removed).toBe(false);
  });

  it('a long message is shortened to fit a push message (body first), never refused', () => {
    const payload = pushPayload(
      { id: crypto.randomUUID(), workspaceId: 'w', channel: 'push', to: null, customerId: 'c', content: { title: 'Big news', body: 'é'.repeat(10_000), deepLink: 'https://shop.example' } },
      { clickUrl: 'https://waymark.example/t/c/x/0' },
    );
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(3_900);
    const parsed = JSON.parse(payload);
    expect(parsed.title).toBe('Big news');
    expect(parsed.body.endsWith('…')).toBe(true);
    expect(parsed.body.length).toBeGreaterThan(1_000);
    expect(parsed.url).toBe('https://waymark.example/t/c/x/0');
  });

  describe('in-app inbox', () => {
    let first: string;
    let second: string;
    const inbox = async (query: string, key?: string) => json(v1('GET', `/inbox?${query}`, undefined, key));

    it('a journey puts an in-app message with an expiry in the inbox: listed, unread 1', async () => {
      const message = await trigger(inboxJourney, 'visit', 'ada');
      first = message.id;
      expect(message).toMatchObject({ status: 'sent', providerId: `in-app:${first}`, attempts: 1 });
      // In the inbox as soon as the transaction that queued it commits: no delivery round trip.
      expect(message.sentAt).toEqual(message.createdAt);
      expect(new Date(message.expiresAt!).getTime() - new Date(message.sentAt!).getTime()).toBe(48 * 3_600_000);
      const listed = await inbox('userId=ada');
      expect(listed).toEqual({
        status: 200,
        body: {
          unread: 1,
          items: [
            {
              id: first,
              title: 'Welcome back',
              body: 'We kept your cart',
              cta: { label: 'See offers', url: 'https://shop.example/offers' },
              createdAt: new Date(message.createdAt).toISOString(),
              openedAt: null,
              clickedAt: null,
              expiresAt: new Date(message.expiresAt!).toISOString(),
            },
          ],
        },
      });
      // The anonymous id of the same customer reads the same inbox.
      expect((await inbox('anonymousId=anon-ada')).body.unread).toBe(1);
    });

    it('opened → unread 0 and counted; clicked recorded; both on the timeline', async () => {
      expect((await json(v1('POST', `/inbox/${first}/opened`, { userId: 'ada' }))).status).toBe(200);
      expect((await inbox('userId=ada')).body).toMatchObject({ unread: 0, items: [{ id: first, openedAt: expect.any(String) }] });
      expect((await json(v1('POST', `/inbox/${first}/clicked`, { anonymousId: 'anon-ada' }))).status).toBe(200);
      expect((await inbox('userId=ada')).body.items[0].clickedAt).toEqual(expect.any(String));
      const stats = (await owner('GET', `/api/workspaces/${rt.workspaceId}/journeys/${inboxJourney}/stats`)).body.nodes.send;
      expect(stats).toMatchObject({ sent: 1, opened: 1, clicked: 1 });
      const names = await rt.db.select({ name: events.name }).from(events).where(sql`${events.properties} ->> 'messageId' = ${first}`);
      expect(names.map((e) => e.name).sort()).toEqual(['Message Link Clicked', 'Message Opened']);
    });

    it('newest first, paged with before; dismissed leaves the list; expired (clock moved past 48 h) leaves it too', async () => {
      await rt.advance(60_000);
      second = (await trigger(inboxJourney, 'visit', 'ada')).id;
      const both = await inbox('userId=ada');
      expect(both.body.items.map((i: { id: string }) => i.id)).toEqual([second, first]);
      expect(both.body.unread).toBe(1);
      const page = await inbox(`userId=ada&limit=1&before=${encodeURIComponent(both.body.items[0].createdAt)}`);
      expect(page.body.items.map((i: { id: string }) => i.id)).toEqual([first]);
      expect((await json(v1('POST', `/inbox/${first}/dismissed`, { userId: 'ada' }))).status).toBe(200);
      expect((await inbox('userId=ada')).body.items.map((i: { id: string }) => i.id)).toEqual([second]);
      await rt.advance(48 * 3_600_000);
      expect((await inbox('userId=ada')).body).toEqual({ unread: 0, items: [] });
    });

    it('another customer cannot act on the message (404); unknown customers have an empty inbox; another workspace sees nothing', async () => {
      expect((await json(v1('POST', `/inbox/${second}/opened`, { userId: 'bob' }))).body.error).toMatchObject({ code: 'message-not-found' });
      expect((await json(v1('POST', `/inbox/${second}/opened`, { userId: 'nobody' }))).status).toBe(404);
      expect((await json(v1('POST', `/inbox/${crypto.randomUUID()}/opened`, { userId: 'ada' }))).status).toBe(404);
      expect((await json(v1('POST', `/inbox/not-an-id/opened`, { userId: 'ada' }))).status).toBe(404);
      expect((await json(v1('POST', `/inbox/${second}/deleted`, { userId: 'ada' }))).status).toBe(404);
      expect(await inbox('userId=nobody')).toEqual({ status: 200, body: { unread: 0, items: [] } });
      const other = crypto.randomUUID();
      await rt.db.execute(sql`insert into workspaces (id, name) values (${other}, 'Other')`);
      const { secret } = await createKey(rt.db, other, 'write', 'other');
      expect((await inbox('userId=ada', secret)).body).toEqual({ unread: 0, items: [] });
      expect((await json(v1('POST', `/inbox/${second}/opened`, { userId: 'ada' }, secret))).status).toBe(404);
      const [row] = await rt.db.select().from(messages).where(eq(messages.id, second));
      expect(row!.openedAt).toBeNull();
      // Nor can it reach the first workspace's push key or subscriptions.
      expect((await json(v1('GET', '/push/key', undefined, secret))).status).toBe(404);
      expect((await v1('GET', '/inbox?userId=ada', undefined, 'wk_wrong')).status).toBe(401);
    });
  });

  describe('browsers on other origins (CORS)', () => {
    it('a preflight is answered before the write key is checked', async () => {
      const preflight = await rt.app.request('/v1/push/subscriptions', {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,DELETE,OPTIONS');
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toBe('authorization,content-type');
      expect(preflight.headers.get('access-control-max-age')).toBe('86400');
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('answers, errors included, carry Access-Control-Allow-Origin so the page can read them', async () => {
      const listed = await v1('GET', '/inbox?userId=ada', undefined, rt.writeKey, { origin: 'https://shop.example' });
      expect(listed.status).toBe(200);
      expect(listed.headers.get('access-control-allow-origin')).toBe('*');
      const refused = await v1('GET', '/inbox?userId=ada', undefined, 'wk_wrong', { origin: 'https://shop.example' });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe('*');
      // The management API stays same-origin.
      expect((await rt.app.request('/api/me', { headers: { origin: 'https://shop.example' } })).headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('hostile input: a 4xx naming the field, never a 500', () => {
    const good = () => push.subscribe().json;
    const cases: [string, () => unknown, string][] = [
      ['no id', () => ({ subscription: good() }), 'userId'],
      ['a NUL in the userId', () => ({ userId: 'a\u0000b', subscription: good() }), 'userId'],
      ['an object as userId', () => ({ userId: { $ne: 1 }, subscription: good() }), 'userId'],
      ['no subscription', () => ({ userId: 'eve' }), 'subscription'],
      ['a javascript: endpoint', () => ({ userId: 'eve', subscription: { ...good(), endpoint: 'javascript:alert(1)' } }), 'subscription.endpoint'],
      ['an endpoint of 3 KB', () => ({ userId: 'eve', subscription: { ...good(), endpoint: `https://push.example/${'a'.repeat(3_000)}` } }), 'subscription.endpoint'],
      ['a p256dh that is not base64url', () => ({ userId: 'eve', subscription: { ...good(), keys: { ...good().keys, p256dh: `${'!'.repeat(87)}` } } }), 'subscription.keys.p256dh'],
      [
        'a p256dh that is not a P-256 point',
        () => ({ userId: 'eve', subscription: { ...good(), keys: { ...good().keys, p256dh: Buffer.alloc(65, 7).toString('base64url') } } }),
        'subscription.keys.p256dh',
      ],
      ['an auth secret of the wrong size', () => ({ userId: 'eve', subscription: { ...good(), keys: { ...good().keys, auth: Buffer.alloc(20, 1).toString('base64url') } } }), 'subscription.keys.auth'],
      ['a user agent of 10 KB', () => ({ userId: 'eve', subscription: good(), userAgent: 'x'.repeat(10_000) }), 'userAgent'],
    ];
    for (const [name, body, field] of cases) {
      it(`subscribing with ${name} → 400 naming ${field}`, async () => {
        const answer = await json(v1('POST', '/push/subscriptions', body()));
        expect(answer.status).toBe(400);
        expect(answer.body.error.details.field).toBe(field);
      });
    }

    it('bodies that are not JSON objects, too large or nested too deep are 4xx; bad inbox queries name the parameter', async () => {
      expect((await v1('POST', '/push/subscriptions', 'not json')).status).toBe(400);
      expect((await v1('POST', '/push/subscriptions', '[]')).status).toBe(400);
      expect((await v1('POST', '/push/subscriptions', JSON.stringify({ userId: 'x', pad: 'x'.repeat(20_000) }))).status).toBe(413);
      expect((await v1('POST', '/push/subscriptions', `${'['.repeat(100)}${']'.repeat(100)}`)).status).toBe(400);
      expect((await v1('DELETE', '/push/subscriptions', {})).status).toBe(400);
      expect((await v1('POST', `/inbox/${crypto.randomUUID()}/opened`, {})).status).toBe(400);
      for (const [query, field] of [
        ['', 'userId'],
        ['userId=ada&limit=1000', 'limit'],
        ['userId=ada&limit=x', 'limit'],
        ['userId=ada&before=yesterday', 'before'],
        [`userId=${'a'.repeat(300)}`, 'userId'],
        ['userId=a%00b', 'userId'],
      ]) {
        const answer = await json(v1('GET', `/inbox?${query}`));
        expect([answer.status, answer.body.error?.details?.field]).toEqual([400, field]);
      }
    });

    it('a workspace that does not allow private networks refuses plain http and private push endpoints', async () => {
      const other = crypto.randomUUID();
      await rt.db.execute(sql`insert into workspaces (id, name) values (${other}, 'Strict')`);
      const { secret } = await createKey(rt.db, other, 'write', 'strict');
      for (const endpoint of [`${push.origin}/push/x`, 'http://push.example/x', 'https://169.254.169.254/latest', 'https://[::1]/x', 'https://localhost/x']) {
        const answer = await json(v1('POST', '/push/subscriptions', { userId: 'eve', subscription: { ...good(), endpoint } }, secret));
        expect([endpoint, answer.status, answer.body.error.details.field]).toEqual([endpoint, 400, 'subscription.endpoint']);
      }
      expect((await rt.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.workspaceId, other))).length).toBe(0);
    });
  });
});
