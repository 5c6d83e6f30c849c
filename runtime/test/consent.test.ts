import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDocumentInput } from '@waymark/shared';
import { type Channel, type OutgoingMessage, PermanentDeliveryError } from '../src/channels/channel.ts';
import { customers, eventQueue, events, progress, steps } from '../src/db/schema.ts';
import { changeConsent } from '../src/services/customers/change-consent.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/** An email and then an SMS, on every `ping`. */
const both: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'both',
  name: 'Email then SMS',
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'ping' } } },
      { id: 'mail', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Hello', html: '<p>Hi</p>' } } } },
      { id: 'text', type: 'send', position: { x: 0, y: 200 }, data: { delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: 'Hi' } } } },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'next', target: 'mail' },
      { id: 'b', source: 'mail', sourceHandle: 'next', target: 'text' },
    ],
  },
};

/** An email of the topic `news`, on every `digest`. */
const digest: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'digest',
  name: 'News digest',
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'digest' } } },
      { id: 'news', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'email' }, topic: 'news', content: { email: { subject: 'News', html: '<p>News</p>' } } } },
    ],
    edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'news' }],
  },
};

describe('consent', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  const sent: OutgoingMessage[] = [];
  // The receiving side: a mailbox that does not exist answers 550, as an SMTP server would.
  const email: Channel = {
    async send(message) {
      if (message.to?.startsWith('gone')) throw new PermanentDeliveryError('550 5.1.1 no such user', { code: '550', bounced: true });
      sent.push(message);
      return { providerId: `mail:${message.id}` };
    },
  };
  const sms: Channel = {
    async send(message) {
      sent.push(message);
      return { providerId: `sms:${message.id}` };
    },
  };
  let bothId: string;
  let digestId: string;

  beforeAll(async () => {
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { channels: { email, sms } });
    owner = await rt.signIn();
    bothId = (await rt.publish(both)).id;
    digestId = (await rt.publish(digest)).id;
  });
  afterAll(async () => rt?.stop());

  let pings = 0;
  /** Sends the trigger event and waits until the run has recorded a step at every send node. */
  async function run(userId: string, journeyId: string, event: string, nodes: string[]) {
    const before = await stepsFor(userId, journeyId);
    await rt.ingest('track', { userId, event, messageId: `${event}-${userId}-${++pings}` });
    const after = await rt.eventually(async () => {
      const now = await stepsFor(userId, journeyId);
      const fresh = now.slice(before.length);
      return nodes.every((node) => fresh.some((s) => s.nodeId === node)) && fresh;
    });
    return Object.fromEntries(nodes.map((node) => [node, after.find((s) => s.nodeId === node)!]));
  }
  async function stepsFor(userId: string, journeyId: string) {
    const id = await idOf(userId);
    if (!id) return [];
    return rt.db
      .select({ nodeId: steps.nodeId, reason: steps.reason, detail: steps.detail })
      .from(steps)
      .innerJoin(progress, eq(progress.id, steps.progressId))
      .where(and(eq(progress.customerId, id), eq(progress.journeyId, journeyId)))
      .orderBy(asc(steps.id));
  }
  async function idOf(userId: string) {
    const [row] = await rt.db.execute<{ id: string }>(sql`select customer_id as id from customer_identities where kind = 'user_id' and value = ${userId}`);
    return row?.id ?? null;
  }
  async function identify(userId: string, traits: Record<string, unknown>) {
    const response = await rt.ingest('identify', { userId, messageId: `id-${userId}-${++pings}`, traits });
    expect(response.status).toBe(200);
    return rt.eventually(() => idOf(userId));
  }

  async function customerOf(userId: string) {
    await rt.ingest('identify', { userId, messageId: `id-${userId}`, traits: { email: `${userId}@example.com` } });
    const [row] = await rt.db
      .select({ id: events.customerId })
      .from(events)
      .where(eq(events.messageId, `id-${userId}`));
    return row!.id;
  }
  const consentEvents = (customerId: string) =>
    rt.db
      .select({ id: events.id, properties: events.properties, timestamp: events.timestamp })
      .from(events)
      .where(and(eq(events.customerId, customerId), eq(events.name, 'Consent Changed')))
      .orderBy(asc(events.id));

  describe('changeConsent', () => {
    it('sets the consent, stores a Consent Changed event on the timeline and queues it for journeys', async () => {
      const id = await customerOf('cc1');
      const result = await rt.db.transaction((tx) =>
        changeConsent(tx, { workspaceId: rt.workspaceId, customerId: id, channel: 'sms', consent: 'opted-in', source: 'sms-reply', now: Date.parse('2026-11-25T10:05:00Z') }),
      );
      expect(result.changed).toBe(true);
      const [customer] = await rt.db.select().from(customers).where(eq(customers.id, id));
      expect(customer!.channels.sms).toEqual({ consent: 'opted-in' });
      expect(customer!.channels.email).toMatchObject({ address: 'cc1@example.com' });
      const stored = await consentEvents(id);
      expect(stored.map((e) => e.properties)).toEqual([{ channel: 'sms', consent: 'opted-in', source: 'sms-reply' }]);
      expect(new Date(stored[0]!.timestamp).toISOString()).toBe('2026-11-25T10:05:00.000Z');
      // The journeys' worker may already have taken it off the queue; either it is queued or it was processed.
      const queued = await rt.db.select().from(eventQueue).where(eq(eventQueue.eventId, stored[0]!.id));
      expect(queued.length === 1 || queued.length === 0).toBe(true);
    });

    it('a repeat or retry of the same change stores nothing more; a change back is a new entry', async () => {
      const id = await customerOf('cc2');
      const change = { workspaceId: rt.workspaceId, customerId: id, channel: 'email' as const, consent: 'unsubscribed' as const, source: 'link' as const, key: 'req-1' };
      expect((await rt.db.transaction((tx) => changeConsent(tx, change))).changed).toBe(true);
      expect((await rt.db.transaction((tx) => changeConsent(tx, change))).changed).toBe(false);
      expect(await consentEvents(id)).toHaveLength(1);
      await rt.db.transaction((tx) => changeConsent(tx, { ...change, consent: 'subscribed', source: 'preference-page', key: 'req-2' }));
      const [customer] = await rt.db.select().from(customers).where(eq(customers.id, id));
      expect(customer!.channels.email).toEqual({ address: 'cc2@example.com', consent: 'subscribed' });
      expect((await consentEvents(id)).map((e) => e.properties.consent)).toEqual(['unsubscribed', 'subscribed']);
    });

    it('a topic change sets channels.email.topics and leaves the channel consent alone', async () => {
      const id = await customerOf('cc3');
      await rt.db.transaction((tx) => changeConsent(tx, { workspaceId: rt.workspaceId, customerId: id, channel: 'email', consent: 'unsubscribed', source: 'preference-page', topic: 'news' }));
      await rt.db.transaction((tx) => changeConsent(tx, { workspaceId: rt.workspaceId, customerId: id, channel: 'email', consent: 'subscribed', source: 'preference-page', topic: 'offers' }));
      const again = await rt.db.transaction((tx) =>
        changeConsent(tx, { workspaceId: rt.workspaceId, customerId: id, channel: 'email', consent: 'unsubscribed', source: 'preference-page', topic: 'news' }),
      );
      expect(again.changed).toBe(false);
      const [customer] = await rt.db.select().from(customers).where(eq(customers.id, id));
      expect(customer!.channels.email).toEqual({ address: 'cc3@example.com', topics: { news: false, offers: true } });
      expect((await consentEvents(id)).map((e) => e.properties)).toEqual([
        { channel: 'email', consent: 'unsubscribed', source: 'preference-page', topic: 'news' },
        { channel: 'email', consent: 'subscribed', source: 'preference-page', topic: 'offers' },
      ]);
    });

    it('a yes with an address (a push subscription) stores the address and drops a bounce of the old one', async () => {
      const id = await customerOf('cc5');
      await rt.db
        .update(customers)
        .set({ channels: { push: { address: 'https://push.example/old', bounced: true } } })
        .where(eq(customers.id, id));
      const first = await rt.db.transaction((tx) =>
        changeConsent(tx, { workspaceId: rt.workspaceId, customerId: id, channel: 'push', consent: 'subscribed', source: 'push-subscription', address: 'https://push.example/new' }),
      );
      expect(first.changed).toBe(true);
      const second = await rt.db.transaction((tx) =>
        changeConsent(tx, { workspaceId: rt.workspaceId, customerId: id, channel: 'push', consent: 'subscribed', source: 'push-subscription', address: 'https://push.example/newer' }),
      );
      expect(second.changed).toBe(false);
      const [customer] = await rt.db.select().from(customers).where(eq(customers.id, id));
      expect(customer!.channels.push).toEqual({ address: 'https://push.example/newer', consent: 'subscribed' });
      expect(await consentEvents(id)).toHaveLength(1);
    });

    it('a customer of another workspace, or none, is not changed', async () => {
      const id = await customerOf('cc4');
      expect((await rt.db.transaction((tx) => changeConsent(tx, { workspaceId: 'other', customerId: id, channel: 'email', consent: 'unsubscribed', source: 'api' }))).changed).toBe(false);
      expect((await rt.db.transaction((tx) => changeConsent(tx, { workspaceId: rt.workspaceId, customerId: 'nobody', channel: 'email', consent: 'unsubscribed', source: 'api' }))).changed).toBe(false);
      expect(await consentEvents(id)).toHaveLength(0);
    });
  });
  describe('consent an identify call gives', () => {
    /** A text to everyone who opts in to SMS, however they did. */
    const welcome: JourneyDocumentInput = {
      schemaVersion: 1,
      id: 'sms-welcome',
      name: 'SMS welcome',
      settings: { reEntry: { mode: 'always' } },
      graph: {
        nodes: [
          {
            id: 'start',
            type: 'trigger',
            position: { x: 0, y: 0 },
            data: {
              entry: {
                kind: 'event',
                event: 'Consent Changed',
                filter: [
                  { path: 'channel', operator: 'equals', value: 'sms' },
                  { path: 'consent', operator: 'equals', value: 'opted-in' },
                ],
              },
            },
          },
          { id: 'hello', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: 'Welcome to our texts' } } } },
        ],
        edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'hello' }],
      },
    };

    it('is a Consent Changed event (source identify) when it changes the consent, queued after the call; the same consent again, or a retried call, stores none', async () => {
      const first = await rt.ingest('identify', { userId: 'ic-1', messageId: 'ic-1-a', timestamp: '2026-11-25T09:58:00Z', traits: { phone: '+15550201', consent: { sms: 'opted-in' } } });
      expect(first.status).toBe(200);
      const id = (await idOf('ic-1'))!;
      const stored = await consentEvents(id);
      expect(stored.map((e) => e.properties)).toEqual([{ channel: 'sms', consent: 'opted-in', source: 'identify' }]);
      expect(new Date(stored[0]!.timestamp).toISOString()).toBe('2026-11-25T09:58:00.000Z');
      const [call] = await rt.db.select({ id: events.id }).from(events).where(eq(events.messageId, 'ic-1-a'));
      expect(stored[0]!.id).toBeGreaterThan(call!.id);
      // The call retried (same messageId), the same consent in a new call, a trait that is not consent: nothing more.
      await rt.ingest('identify', { userId: 'ic-1', messageId: 'ic-1-a', traits: { phone: '+15550201', consent: { sms: 'opted-in' } } });
      await rt.ingest('identify', { userId: 'ic-1', messageId: 'ic-1-b', traits: { consent: { sms: 'opted-in' }, plan: 'pro' } });
      expect(await consentEvents(id)).toHaveLength(1);
      // A change of a known customer's consent (and `unsubscribed: true`, the email shorthand), in one call.
      await rt.ingest('identify', { userId: 'ic-1', messageId: 'ic-1-c', traits: { unsubscribed: true, consent: { sms: 'unsubscribed' } } });
      expect((await consentEvents(id)).map((e) => e.properties)).toEqual([
        { channel: 'sms', consent: 'opted-in', source: 'identify' },
        { channel: 'email', consent: 'unsubscribed', source: 'identify' },
        { channel: 'sms', consent: 'unsubscribed', source: 'identify' },
      ]);
      const [customer] = await rt.db.select({ channels: customers.channels }).from(customers).where(eq(customers.id, id));
      expect(customer!.channels).toMatchObject({ email: { consent: 'unsubscribed' }, sms: { address: '+15550201', consent: 'unsubscribed' } });
    });

    it('several calls of one batch give what separate calls would: each channel its last consent, an event for each change that stays, none for one undone', async () => {
      await rt.ingest('identify', { userId: 'ic-3', messageId: 'ic-3-a', traits: { consent: { push: 'unsubscribed' } } });
      const id = (await idOf('ic-3'))!;
      const batch = await rt.ingest('batch', {
        batch: [
          { type: 'identify', userId: 'ic-3', messageId: 'ic-3-b', traits: { consent: { sms: 'opted-in' } } },
          { type: 'identify', userId: 'ic-3', messageId: 'ic-3-c', traits: { consent: { email: 'opted-in', push: 'subscribed' } } },
          { type: 'identify', userId: 'ic-3', messageId: 'ic-3-d', traits: { consent: { push: 'unsubscribed' } } },
        ],
      });
      expect(batch.status).toBe(200);
      const [customer] = await rt.db.select({ channels: customers.channels }).from(customers).where(eq(customers.id, id));
      expect(customer!.channels).toEqual({ sms: { consent: 'opted-in' }, email: { consent: 'opted-in' }, push: { consent: 'unsubscribed' } });
      const stored = await consentEvents(id);
      expect(stored.map((e) => e.properties)).toEqual([
        { channel: 'push', consent: 'unsubscribed', source: 'identify' },
        { channel: 'sms', consent: 'opted-in', source: 'identify' },
        { channel: 'email', consent: 'opted-in', source: 'identify' },
      ]);
    });

    it('consent it could not apply is refused with 400 naming the key, and nothing of the request is stored', async () => {
      const refused = async (traits: Record<string, unknown>, field: string, message: RegExp) => {
        const response = await rt.ingest('batch', { batch: [{ type: 'identify', userId: 'ic-bad', messageId: `ic-bad-${++pings}`, traits }] });
        expect(response.status).toBe(400);
        const body = (await response.json()) as { error: { message: string; details: { index: number; field: string } } };
        expect(body.error.details).toEqual({ index: 0, field });
        expect(body.error.message).toMatch(message);
      };
      await refused({ consent: { whatsapp: 'opted-in' } }, 'traits.consent.whatsapp', /email, sms, push, and in-app only/);
      await refused({ consent: { email: 'OPTED-IN' } }, 'traits.consent.email', /opted-in, subscribed, or unsubscribed/);
      await refused({ consent: { sms: true } }, 'traits.consent.sms', /opted-in, subscribed, or unsubscribed/);
      await refused({ consent: ['opted-in'] }, 'traits.consent', /an object of channel/);
      await refused({ consent: 'yes' }, 'traits.consent', /an object of channel/);
      await refused({ unsubscribed: 'true' }, 'traits.unsubscribed', /true or false/);
      expect(await idOf('ic-bad')).toBeNull();
      // Null says nothing: accepted, no consent.
      expect((await rt.ingest('identify', { userId: 'ic-null', messageId: 'ic-null-a', traits: { consent: { sms: null }, unsubscribed: null } })).status).toBe(200);
      const [customer] = await rt.db
        .select({ channels: customers.channels })
        .from(customers)
        .where(eq(customers.id, (await idOf('ic-null'))!));
      expect(customer!.channels).toEqual({});
    });

    it("a client's message id may not take the form of Waymark's own events (which the timeline and journeys trust)", async () => {
      for (const messageId of ['consent:identify:x', 'opened:m1', 'import:k:0', 'sms-received:s:c']) {
        const response = await rt.ingest('track', { userId: 'ic-own', event: 'Consent Changed', messageId, properties: { channel: 'email', consent: 'opted-in', source: 'identify' } });
        expect(response.status).toBe(400);
        expect(((await response.json()) as { error: { details: { field: string } } }).error.details.field).toBe('messageId');
      }
      expect(await idOf('ic-own')).toBeNull();
    });

    it('a second call with the message id of one earlier in the same batch is a repeat: it changes nobody', async () => {
      const response = await rt.ingest('batch', {
        batch: [
          { type: 'identify', userId: 'ic-dup-a', messageId: 'ic-dup', traits: { consent: { sms: 'opted-in' } } },
          { type: 'identify', userId: 'ic-dup-b', messageId: 'ic-dup', traits: { consent: { sms: 'opted-in' }, plan: 'pro' } },
          { type: 'identify', userId: 'ic-dup-a', messageId: 'ic-dup', traits: { consent: { sms: 'unsubscribed' } } },
        ],
      });
      expect(response.status).toBe(200);
      const [a, b] = [(await idOf('ic-dup-a'))!, (await idOf('ic-dup-b'))!];
      const channelsOf = async (id: string) => (await rt.db.select({ channels: customers.channels, traits: customers.traits }).from(customers).where(eq(customers.id, id)))[0]!;
      expect(await channelsOf(a)).toEqual({ channels: { sms: { consent: 'opted-in' } }, traits: {} });
      expect(await channelsOf(b)).toEqual({ channels: {}, traits: {} });
      expect((await consentEvents(a)).map((e) => e.properties.consent)).toEqual(['opted-in']);
      expect(await consentEvents(b)).toEqual([]);
    });

    it('a merge keeps the consent the merged-away customer gave, channel field by field, the survivor winning where both said', async () => {
      await rt.ingest('identify', { anonymousId: 'anon-m1', messageId: 'ic-m-a', traits: { consent: { sms: 'opted-in', email: 'unsubscribed' } } });
      await rt.ingest('identify', { userId: 'ic-m', messageId: 'ic-m-b', traits: { phone: '+15550203', email: 'm@example.com', consent: { email: 'opted-in' } } });
      await rt.ingest('identify', { userId: 'ic-m', anonymousId: 'anon-m1', messageId: 'ic-m-c', traits: { plan: 'pro' } });
      const id = (await idOf('ic-m'))!;
      const [customer] = await rt.db.select({ channels: customers.channels }).from(customers).where(eq(customers.id, id));
      expect(customer!.channels).toEqual({ sms: { address: '+15550203', consent: 'opted-in' }, email: { address: 'm@example.com', consent: 'opted-in' } });
    });

    it('the timeline shows what a call applied: consent.email over unsubscribed, once', async () => {
      await rt.ingest('identify', { userId: 'ic-tl', messageId: 'ic-tl-a', traits: { unsubscribed: true, consent: { email: 'opted-in' } } });
      const id = (await idOf('ic-tl'))!;
      const page = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${id}/timeline?kinds=consent`);
      expect(page.body.items.map(({ channel, consent, source }: Record<string, string>) => ({ channel, consent, source }))).toEqual([{ channel: 'email', consent: 'opted-in', source: 'identify' }]);
      const [customer] = await rt.db.select({ channels: customers.channels }).from(customers).where(eq(customers.id, id));
      expect(customer!.channels).toEqual({ email: { consent: 'opted-in' } });
    });

    it('starts a journey on Consent Changed, as a change by any other way does', async () => {
      const journeyId = (await rt.publish(welcome)).id;
      await rt.ingest('identify', { userId: 'ic-2', messageId: 'ic-2-a', traits: { phone: '+15550202', consent: { sms: 'opted-in' } } });
      const id = (await rt.eventually(() => idOf('ic-2')))!;
      await rt.eventually(async () => (await stepsFor('ic-2', journeyId)).some((s) => s.nodeId === 'hello' && s.reason === 'sent'));
      await rt.eventually(async () => sent.some((m) => m.customerId === id));
      expect(sent.filter((m) => m.customerId === id).map((m) => [m.channel, m.content.text])).toEqual([['sms', 'Welcome to our texts']]);
      // Opting in to email starts nothing; the timeline shows each change once, by the identify.
      await rt.ingest('identify', { userId: 'ic-2', messageId: 'ic-2-b', traits: { consent: { email: 'opted-in' } } });
      await rt.eventually(async () => (await rt.pendingEvents()) === 0);
      const runs = await rt.db
        .select({ id: progress.id })
        .from(progress)
        .where(and(eq(progress.customerId, id), eq(progress.journeyId, journeyId)));
      expect(runs).toHaveLength(1);
      const timeline = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${id}/timeline?kinds=consent`);
      expect(timeline.body.items.map(({ channel, consent, source }: Record<string, string>) => ({ channel, consent, source }))).toEqual([
        { channel: 'email', consent: 'opted-in', source: 'identify' },
        { channel: 'sms', consent: 'opted-in', source: 'identify' },
      ]);
      const plain = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${id}/timeline?kinds=event`);
      expect(plain.body.items.filter((i: { name: string }) => i.name === 'Consent Changed')).toEqual([]);
      await owner('DELETE', `/api/workspaces/${rt.workspaceId}/journeys/${journeyId}`);
    });
  });

  describe('the workspace consent policy', () => {
    it('M3 M11 by default a customer with no consent state gets email (opt-out) but no SMS (opt-in)', async () => {
      await identify('pol-1', { email: 'pol-1@example.com', phone: '+15550101' });
      const at = await run('pol-1', bothId, 'ping', ['mail', 'text']);
      expect(at.mail!.reason).toBe('sent');
      expect(at.text).toMatchObject({ reason: 'skipped:no-consent', detail: 'sms: no SMS consent (the workspace requires opt-in)' });
    });

    it('M11 the owner changes the policy per channel; the others keep theirs; later sends follow it at once', async () => {
      const first = await owner('PATCH', `/api/workspaces/${rt.workspaceId}/settings`, { consentPolicy: { sms: 'opt-out' } });
      expect(first.status).toBe(200);
      const second = await owner('PATCH', `/api/workspaces/${rt.workspaceId}/settings`, { consentPolicy: { email: 'opt-in' } });
      expect(second.body.consentPolicy).toEqual({ email: 'opt-in', sms: 'opt-out', push: 'opt-in', 'in-app': 'opt-out' });
      expect((await owner('GET', `/api/workspaces/${rt.workspaceId}/settings`)).body.consentPolicy).toEqual(second.body.consentPolicy);

      await identify('pol-2', { email: 'pol-2@example.com', phone: '+15550102' });
      const at = await run('pol-2', bothId, 'ping', ['mail', 'text']);
      expect(at.mail).toMatchObject({ reason: 'skipped:no-consent', detail: 'email: no email consent (the workspace requires opt-in)' });
      expect(at.text!.reason).toBe('sent');

      // A yes always sends, an unsubscribe never does, whatever the policy.
      await identify('pol-3', { email: 'pol-3@example.com', phone: '+15550103', consent: { email: 'opted-in', sms: 'unsubscribed' } });
      const yes = await run('pol-3', bothId, 'ping', ['mail', 'text']);
      expect([yes.mail!.reason, yes.text!.reason]).toEqual(['sent', 'skipped:no-consent']);

      await owner('PATCH', `/api/workspaces/${rt.workspaceId}/settings`, { consentPolicy: { email: 'opt-out', sms: 'opt-in' } });
    });

    it('M11 the preview reads the workspace policy for a real customer', async () => {
      await owner('PATCH', `/api/workspaces/${rt.workspaceId}/settings`, { consentPolicy: { sms: 'opt-out' } });
      const id = await identify('pol-4', { email: 'pol-4@example.com', phone: '+15550104' });
      const subject = await owner('GET', `/api/workspaces/${rt.workspaceId}/journeys/${bothId}/preview-context?customerId=${id}`);
      expect(subject.status).toBe(200);
      expect(subject.body.context.consentPolicy).toEqual({ email: 'opt-out', sms: 'opt-out', push: 'opt-in', 'in-app': 'opt-out' });
      await owner('PATCH', `/api/workspaces/${rt.workspaceId}/settings`, { consentPolicy: { sms: 'opt-in' } });
    });

    it('bad settings are a 400 naming the field, and change nothing', async () => {
      const before = (await owner('GET', `/api/workspaces/${rt.workspaceId}/settings`)).body;
      const field = async (body: unknown) => {
        const response = await owner('PATCH', `/api/workspaces/${rt.workspaceId}/settings`, body);
        expect(response.status).toBe(400);
        return response.body.error.details.field;
      };
      expect(await field({ consentPolicy: { sms: 'maybe' } })).toBe('consentPolicy.sms');
      expect(await field({ consentPolicy: { fax: 'opt-in' } })).toBe('consentPolicy');
      expect(await field({ consentPolicy: 'opt-in' })).toBe('consentPolicy');
      expect(
        await field({
          topics: [
            { id: 'news', name: 'News' },
            { id: 'news', name: 'More news' },
          ],
        }),
      ).toBe('topics.1.id');
      expect(await field({ topics: [{ id: 'Big News!', name: 'News' }] })).toBe('topics.0.id');
      expect(await field({ topics: [{ id: 'news', name: '' }] })).toBe('topics.0.name');
      expect(await field({ topics: Array.from({ length: 51 }, (_, i) => ({ id: `t${i}`, name: `T${i}` })) })).toBe('topics');
      expect((await owner('GET', `/api/workspaces/${rt.workspaceId}/settings`)).body).toEqual(before);
    });
  });

  describe('bounced addresses', () => {
    it('M12 a hard bounce marks the address; later sends skip it; the same address again keeps the mark; a new address clears it', async () => {
      const id = await identify('bnc-1', { email: 'gone-bnc-1@example.com' });
      await run('bnc-1', bothId, 'ping', ['mail']);
      await rt.eventually(async () => {
        const [row] = await rt.db.select({ channels: customers.channels }).from(customers).where(eq(customers.id, id));
        return row!.channels.email?.bounced === true;
      });
      const skipped = await run('bnc-1', bothId, 'ping', ['mail']);
      expect(skipped.mail).toMatchObject({ reason: 'skipped:bounced', detail: 'email: address bounced' });

      await identify('bnc-1', { email: 'gone-bnc-1@example.com', plan: 'pro' });
      expect((await run('bnc-1', bothId, 'ping', ['mail'])).mail!.reason).toBe('skipped:bounced');

      await identify('bnc-1', { email: 'bnc-1@example.com' });
      const [row] = await rt.db.select({ channels: customers.channels }).from(customers).where(eq(customers.id, id));
      expect(row!.channels.email).toEqual({ address: 'bnc-1@example.com' });
      expect((await run('bnc-1', bothId, 'ping', ['mail'])).mail).toMatchObject({ reason: 'sent', detail: 'email to bnc-1@example.com' });
      await rt.eventually(async () => sent.some((m) => m.to === 'bnc-1@example.com'));
    });

    it('the customer view shows the bounce, and the timeline says the address bounced', async () => {
      const id = await identify('bnc-2', { email: 'gone-bnc-2@example.com', phone: '+15550105' });
      await run('bnc-2', bothId, 'ping', ['mail']);
      const view = await rt.eventually(async () => {
        const response = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${id}`);
        return response.body.channels?.find((c: { channel: string }) => c.channel === 'email')?.bounced && response.body;
      });
      expect(view.channels.find((c: { channel: string }) => c.channel === 'sms')).toMatchObject({ bounced: false, consent: null });
      expect(view.consentPolicy).toEqual({ email: 'opt-out', sms: 'opt-in', push: 'opt-in', 'in-app': 'opt-out' });
      const bounce = await rt.eventually(async () => {
        const page = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${id}/timeline?kinds=event`);
        return page.body.items.find((i: { name: string }) => i.name === 'Message Bounced');
      });
      expect(bounce.properties).toMatchObject({ channel: 'email', address: 'gone-bnc-2@example.com', code: '550' });
    });
  });

  describe('topics', () => {
    it('M13 an email of a topic the customer left is skipped; others in the topic get it', async () => {
      expect((await owner('PATCH', `/api/workspaces/${rt.workspaceId}/settings`, { topics: [{ id: 'news', name: 'Product news' }] })).body.topics).toEqual([{ id: 'news', name: 'Product news' }]);
      const catalog = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/catalog`);
      expect(catalog.body.topics).toEqual([{ id: 'news', name: 'Product news' }]);
      const leaver = await identify('top-1', { email: 'top-1@example.com' });
      await identify('top-2', { email: 'top-2@example.com' });
      await rt.db.transaction((tx) => changeConsent(tx, { workspaceId: rt.workspaceId, customerId: leaver, channel: 'email', consent: 'unsubscribed', source: 'preference-page', topic: 'news' }));
      expect((await run('top-1', digestId, 'digest', ['news'])).news).toMatchObject({ reason: 'skipped:no-consent', detail: 'email: left the topic news' });
      expect((await run('top-2', digestId, 'digest', ['news'])).news!.reason).toBe('sent');
      // Other journeys' email is not of the topic.
      expect((await run('top-1', bothId, 'ping', ['mail'])).mail!.reason).toBe('sent');
    });
  });

  describe('the timeline', () => {
    it('consent changes show as consent entries with their source and topic, not as plain events', async () => {
      const id = await identify('tl-1', { email: 'tl-1@example.com', phone: '+15550106' });
      const change = (c: Omit<Parameters<typeof changeConsent>[1], 'workspaceId' | 'customerId'>) =>
        rt.db.transaction((tx) => changeConsent(tx, { workspaceId: rt.workspaceId, customerId: id, ...c }));
      await change({ channel: 'sms', consent: 'opted-in', source: 'sms-reply', now: Date.parse('2026-11-25T10:01:00Z') });
      await change({ channel: 'email', consent: 'unsubscribed', source: 'preference-page', topic: 'news', now: Date.parse('2026-11-25T10:02:00Z') });
      await change({ channel: 'push', consent: 'subscribed', source: 'push-subscription', address: 'https://push.example/sub', now: Date.parse('2026-11-25T10:03:00Z') });
      const page = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${id}/timeline?kinds=consent`);
      expect(page.status).toBe(200);
      expect(page.body.items.map(({ channel, consent, source, topic }: Record<string, string>) => ({ channel, consent, source, topic }))).toEqual([
        { channel: 'push', consent: 'subscribed', source: 'push-subscription', topic: undefined },
        { channel: 'email', consent: 'unsubscribed', source: 'preference-page', topic: 'news' },
        { channel: 'sms', consent: 'opted-in', source: 'sms-reply', topic: undefined },
      ]);
      const plain = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${id}/timeline?kinds=event`);
      expect(plain.body.items.filter((i: { name: string }) => i.name === 'Consent Changed')).toEqual([]);
      const view = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${id}`);
      expect(view.body.channels.find((c: { channel: string }) => c.channel === 'email')).toMatchObject({ consent: null, topics: { news: false }, bounced: false });
      expect(view.body.channels.find((c: { channel: string }) => c.channel === 'push')).toMatchObject({ consent: 'subscribed', address: 'https://push.example/sub' });
    });

    it('a track call named Consent Changed from the ingestion API with made-up properties stays a plain event', async () => {
      const id = await identify('tl-2', { email: 'tl-2@example.com' });
      await rt.ingest('track', { userId: 'tl-2', event: 'Consent Changed', messageId: 'forged-1', properties: { channel: 'email', consent: 'maybe' } });
      const plain = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${id}/timeline?kinds=event`);
      expect(plain.body.items.filter((i: { name: string }) => i.name === 'Consent Changed')).toHaveLength(1);
      const consent = await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${id}/timeline?kinds=consent`);
      expect(consent.body.items).toEqual([]);
      const [row] = await rt.db.select({ channels: customers.channels }).from(customers).where(eq(customers.id, id));
      expect(row!.channels.email).toEqual({ address: 'tl-2@example.com' });
    });
  });

  describe('a batch as large as ingestion takes', () => {
    it('2,500 identify calls each giving consent on four channels are stored, with their 10,000 Consent Changed events', async () => {
      const batch = Array.from({ length: 2_500 }, (_, i) => ({
        type: 'identify',
        userId: `bulk-${i}`,
        messageId: `bulk-${i}`,
        traits: { consent: { email: 'opted-in', sms: 'opted-in', push: 'subscribed', 'in-app': 'unsubscribed' } },
      }));
      const response = await rt.ingest('batch', { batch });
      expect(response.status).toBe(200);
      const [row] = await rt.db.execute<{ n: number }>(
        sql`select count(*)::int as n from events where name = 'Consent Changed' and message_id like 'consent:identify:%' and properties ->> 'source' = 'identify' and message_id like '%:bulk-%'`,
      );
      expect(row!.n).toBe(10_000);
    });
  });
});
