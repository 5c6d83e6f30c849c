import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDocumentInput } from '@waymark/shared';
import { customers, events, messages } from '../src/db/schema.ts';
import { type FakeTwilio, signTwilio, startFakeTwilio } from './support/fake-twilio.ts';
import { startTestRuntime } from './support/test-runtime.ts';

const accountSid = `AC${'0123456789abcdef'.repeat(2)}`;
const authToken = 'sms-test-auth-token-9f3c';
const publicUrl = 'https://waymark.example';

const pings: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'sms-pings',
  name: 'SMS pings',
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'ping' } } },
      { id: 'text', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: '{{ event.text }}' } } } },
    ],
    edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'text' }],
  },
};

describe('SMS through a Twilio-compatible API', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  let twilio: FakeTwilio;
  let journeyId: string;
  let providerId: string;
  let inboundUrl: string;
  let statusUrl: string;
  let pingCount = 0;

  const phoneOf = (n: number) => `+1555010${String(n).padStart(4, '0')}`;
  const identify = async (userId: string, phone: string, consent: string | null = 'opted-in') => {
    const response = await rt.ingest('identify', { userId, messageId: `identify-${userId}-${phone}`, traits: { phone, ...(consent ? { consent: { sms: consent } } : {}) } });
    expect(response.status).toBe(200);
  };
  const ping = async (userId: string, text: string) => {
    const response = await rt.ingest('track', { userId, event: 'ping', messageId: `ping-${++pingCount}`, properties: { text } });
    expect(response.status).toBe(200);
  };
  const messagesTo = (phone: string) => rt.db.select().from(messages).where(eq(messages.to, phone)).orderBy(desc(messages.createdAt));
  /** Waits for the newest message to `phone` to reach a status the test names. */
  const settled = (phone: string, statuses: string[], count = 1) =>
    rt.eventually(async () => {
      const list = await messagesTo(phone);
      return list.length >= count && statuses.includes(list[0]!.status) && list[0]!;
    });
  const stats = async () => (await owner('GET', `/api/workspaces/${rt.workspaceId}/journeys/${journeyId}/stats`)).body.nodes.text;
  const customerOf = async (userId: string) => {
    const [row] = await rt.db.execute<{ id: string; channels: Record<string, Record<string, unknown>> }>(
      sql`select c.id, c.channels from customers c join customer_identities i on i.customer_id = c.id where i.kind = 'user_id' and i.value = ${userId}`,
    );
    return row!;
  };
  const trackOf = (customerId: string, name: string) =>
    rt.db
      .select({ properties: events.properties })
      .from(events)
      .where(and(eq(events.customerId, customerId), eq(events.name, name)))
      .orderBy(events.id);
  /** The reasons of the customer's newest run's steps on the send node. */
  /** What the customer's newest send step did (steps are numbered in the order they were written; runs entered at one clock instant tie on time). */
  const lastSendReason = async (customerId: string) =>
    (await rt.sql`select s.reason from steps s join progress p on p.id = s.progress_id where p.customer_id = ${customerId} and s.node_id = 'text' order by s.id desc limit 1`).map(
      (row) => row.reason as string,
    );

  beforeAll(async () => {
    twilio = await startFakeTwilio({ accountSid, authToken, post: (url, init) => rt.app.request(url, init) });
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { publicUrl });
    owner = await rt.signIn();
    journeyId = (await rt.publish(pings)).id;
  });
  afterAll(async () => {
    await rt?.stop();
    await twilio?.close();
  });

  it('connects the provider through the API: the auth token shows only its last four characters, with the callback URLs to paste', async () => {
    const put = await owner('PUT', `/api/workspaces/${rt.workspaceId}/providers/sms`, {
      kind: 'twilio',
      settings: { accountSid, fromNumber: '+15005550006', baseUrl: twilio.url },
      secrets: { authToken },
    });
    expect(put.status).toBe(200);
    providerId = put.body.id;
    const got = await owner('GET', `/api/workspaces/${rt.workspaceId}/providers/sms`);
    expect(got.body).toMatchObject({ kind: 'twilio', secrets: { authToken: { set: true, last4: '9f3c' } } });
    expect(JSON.stringify(got.body)).not.toContain(authToken);
    statusUrl = got.body.callbackUrls.status;
    inboundUrl = got.body.callbackUrls.inbound;
    expect(statusUrl).toBe(`${publicUrl}/v1/providers/${providerId}/sms/status`);
    expect(inboundUrl).toBe(`${publicUrl}/v1/providers/${providerId}/sms/inbound`);
  });

  it('a journey texts an opted-in customer: form fields, Basic auth, both idempotency headers, the status callback; segments as the provider billed them', async () => {
    await identify('ada', phoneOf(1));
    await ping('ada', 'a'.repeat(200));
    const message = await settled(phoneOf(1), ['sent']);
    const request = twilio.requests.find((r) => r.headers['i-twilio-idempotency-token'] === message.id)!;
    expect(request.form).toEqual({ To: phoneOf(1), From: '+15005550006', Body: 'a'.repeat(200), StatusCallback: `${statusUrl}?m=${message.id}` });
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    expect(request.headers['idempotency-key']).toBe(message.id);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(message).toMatchObject({ providerId: request.sid, segments: 2, attempts: 1 });
  });

  it('counts segments itself when the provider does not say: an emoji text is UCS-2 (80 code units → 2 parts of 67)', async () => {
    twilio.modes.numSegments = false;
    try {
      await identify('bea', phoneOf(2));
      await ping('bea', '😀'.repeat(40));
      expect(await settled(phoneOf(2), ['sent'])).toMatchObject({ segments: 2 });
      await ping('bea', 'Hi ✓');
      expect(await settled(phoneOf(2), ['sent'], 2)).toMatchObject({ segments: 1 });
    } finally {
      twilio.modes.numSegments = true;
    }
  });

  it('a signed "delivered" callback marks the message delivered once; a later "failed" does not undo it', async () => {
    const [message] = await messagesTo(phoneOf(1));
    const before = await stats();
    for (const status of ['sent', 'delivered', 'delivered']) expect((await twilio.deliver(message!.providerId!, status)).status).toBe(204);
    const [after] = await messagesTo(phoneOf(1));
    expect(after).toMatchObject({ status: 'delivered', deliveredAt: expect.any(String) });
    expect((await twilio.deliver(message!.providerId!, 'failed', '30008')).status).toBe(204);
    expect((await messagesTo(phoneOf(1)))[0]).toMatchObject({ status: 'delivered', errorCode: null });
    const now = await stats();
    expect([now.delivered, now.failed ?? 0]).toEqual([(before.delivered ?? 0) + 1, before.failed ?? 0]);
  });

  it('"undelivered" with 30003 keeps the code and a sentence, counts one failure however often it is repeated', async () => {
    await identify('cy', phoneOf(3));
    await ping('cy', 'Your order shipped');
    const message = await settled(phoneOf(3), ['sent']);
    const before = await stats();
    for (let i = 0; i < 2; i++) expect((await twilio.deliver(message.providerId!, 'undelivered', '30003')).status).toBe(204);
    expect((await twilio.deliver(message.providerId!, 'delivered')).status).toBe(204);
    expect((await messagesTo(phoneOf(3)))[0]).toMatchObject({ status: 'undelivered', errorCode: '30003', error: expect.stringContaining('undelivered (error 30003)'), deliveredAt: null });
    const now = await stats();
    expect([now.failed, now.delivered]).toEqual([(before.failed ?? 0) + 1, before.delivered]);
  });

  it('a forged or misplaced signature is 403 and changes nothing; an unknown provider is 404; no write key is needed here, while ingestion still needs one', async () => {
    await identify('dee', phoneOf(4));
    await ping('dee', 'Hello');
    const message = await settled(phoneOf(4), ['sent']);
    const target = `${statusUrl}?m=${message.id}`;
    const params = { MessageSid: message.providerId!, MessageStatus: 'undelivered', ErrorCode: '30003' };
    expect((await twilio.forge(target, params, signTwilio('not-the-token', target, params))).status).toBe(403);
    expect((await twilio.forge(target, params, signTwilio(authToken, statusUrl, params))).status).toBe(403);
    expect((await twilio.forge(target, params, '')).status).toBe(403);
    expect((await twilio.forge(target, { ...params, ErrorCode: '30005' }, signTwilio(authToken, target, params))).status).toBe(403);
    expect((await messagesTo(phoneOf(4)))[0]).toMatchObject({ status: 'sent', errorCode: null });
    const elsewhere = target.replace(providerId, crypto.randomUUID());
    expect((await twilio.forge(elsewhere, params, signTwilio(authToken, elsewhere, params))).status).toBe(404);
    const garbage = await rt.app.request(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(garbage.status).toBe(415);
    const huge = await rt.app.request(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `Body=${'x'.repeat(20_000)}` });
    expect(huge.status).toBe(413);
    // Signed as the provider would, without any write key: accepted.
    expect((await twilio.forge(target, params, signTwilio(authToken, target, params))).status).toBe(204);
    expect((await messagesTo(phoneOf(4)))[0]).toMatchObject({ status: 'undelivered' });
    const unkeyed = await rt.app.request('/v1/track', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'dee', event: 'x' }) });
    expect(unkeyed.status).toBe(401);
  });

  it('a callback about a message of another provider or with another sid changes nothing', async () => {
    await identify('eve', phoneOf(5));
    await ping('eve', 'Hello Eve');
    const message = await settled(phoneOf(5), ['sent']);
    const target = `${statusUrl}?m=${message.id}`;
    const params = { MessageSid: 'SM00000000000000000000000000000bad', MessageStatus: 'undelivered', ErrorCode: '30003' };
    expect((await twilio.forge(target, params, signTwilio(authToken, target, params))).status).toBe(204);
    expect((await messagesTo(phoneOf(5)))[0]).toMatchObject({ status: 'sent' });
    // A callback can outrun the recording of its send (a big delivery job records at its end): it is asked to come back.
    await rt.db.update(messages).set({ status: 'sending', providerId: null }).where(eq(messages.id, message.id));
    const early = { MessageSid: message.providerId!, MessageStatus: 'delivered' };
    const answer = await twilio.forge(target, early, signTwilio(authToken, target, early));
    expect([answer.status, answer.headers.get('retry-after')]).toEqual([503, '5']);
    await rt.db.update(messages).set({ status: 'sent', providerId: message.providerId }).where(eq(messages.id, message.id));
    expect((await twilio.forge(target, early, signTwilio(authToken, target, early))).status).toBe(204);
    expect((await messagesTo(phoneOf(5)))[0]).toMatchObject({ status: 'delivered' });
  });

  it('a number this account cannot route to (21612) fails at once without bouncing the address', async () => {
    const phone = phoneOf(15);
    twilio.modes.refuse.set(phone, { status: 400, code: 21612, message: "The 'To' phone number is not currently reachable via SMS" });
    await identify('kim', phone);
    await ping('kim', 'Hello Kim');
    expect(await settled(phone, ['failed'])).toMatchObject({ attempts: 1, errorCode: '21612', error: expect.stringContaining('not currently reachable') });
    expect((await customerOf('kim')).channels.sms?.bounced).toBeUndefined();
  });

  it('an invalid number (21211) fails at once, bounces the address with a "Message Bounced" event, and the next send skips it', async () => {
    const phone = phoneOf(6);
    twilio.modes.rejectNumbers.add(phone);
    await identify('fay', phone);
    await ping('fay', 'Hello Fay');
    const message = await settled(phone, ['failed']);
    expect(message).toMatchObject({ attempts: 1, errorCode: '21211', error: expect.stringContaining('not a valid phone number') });
    const customer = await customerOf('fay');
    expect(customer.channels.sms).toMatchObject({ address: phone, bounced: true });
    expect(await trackOf(customer.id, 'Message Bounced')).toEqual([{ properties: expect.objectContaining({ messageId: message.id, channel: 'sms', code: '21211' }) }]);
    await ping('fay', 'Hello again');
    await rt.eventually(async () => (await lastSendReason(customer.id)).includes('skipped:bounced'));
    expect(await messagesTo(phone)).toHaveLength(1);
  });

  it('STOP withdraws SMS consent (a "Consent Changed" event, the reply on the timeline), the next text is skipped; START gives it back', async () => {
    const phone = phoneOf(7);
    await identify('gus', phone);
    const customer = await customerOf('gus');
    const stop = await twilio.reply(inboundUrl, phone, '  stop ');
    expect(stop.status).toBe(200);
    expect(stop.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await stop.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect((await customerOf('gus')).channels.sms).toMatchObject({ consent: 'unsubscribed' });
    expect(await trackOf(customer.id, 'Consent Changed')).toEqual([
      // The opt-in the identify gave, then the STOP.
      { properties: { channel: 'sms', consent: 'opted-in', source: 'identify' } },
      { properties: { channel: 'sms', consent: 'unsubscribed', source: 'sms-reply' } },
    ]);
    expect(await trackOf(customer.id, 'SMS Received')).toEqual([{ properties: { from: phone, body: '  stop ' } }]);
    await ping('gus', 'Are you there?');
    await rt.eventually(async () => (await lastSendReason(customer.id)).includes('skipped:no-consent'));
    expect(await messagesTo(phone)).toHaveLength(0);
    expect((await twilio.reply(inboundUrl, phone, 'HELP')).status).toBe(200);
    expect((await customerOf('gus')).channels.sms).toMatchObject({ consent: 'unsubscribed' });
    expect((await twilio.reply(inboundUrl, phone, 'Start')).status).toBe(200);
    expect((await customerOf('gus')).channels.sms).toMatchObject({ consent: 'opted-in' });
    await ping('gus', 'Welcome back');
    expect(await settled(phone, ['sent'])).toMatchObject({ content: { text: 'Welcome back' } });
  });

  it('a reply from an unknown number is answered and stores nothing; a forged reply is 403', async () => {
    const before = await rt.db.select({ n: sql<number>`count(*)::int` }).from(events);
    expect((await twilio.reply(inboundUrl, '+15559999999', 'STOP')).status).toBe(200);
    const params = { From: phoneOf(1), Body: 'STOP' };
    expect((await twilio.forge(inboundUrl, params, signTwilio('guess', inboundUrl, params))).status).toBe(403);
    expect(await rt.db.select({ n: sql<number>`count(*)::int` }).from(events)).toEqual(before);
    expect((await customerOf('ada')).channels.sms).toMatchObject({ consent: 'opted-in' });
  });

  it('a number that replied STOP to the provider (21610) fails for good and loses SMS consent here too', async () => {
    const phone = phoneOf(8);
    twilio.modes.refuse.set(phone, { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    await identify('hal', phone);
    await ping('hal', 'Hello Hal');
    expect(await settled(phone, ['failed'])).toMatchObject({ attempts: 1, errorCode: '21610' });
    const customer = await customerOf('hal');
    expect(customer.channels.sms).toMatchObject({ consent: 'unsubscribed' });
    expect(customer.channels.sms?.bounced).toBeUndefined();
    expect(await trackOf(customer.id, 'Consent Changed')).toEqual([
      // The opt-in the identify gave, then the STOP.
      { properties: { channel: 'sms', consent: 'opted-in', source: 'identify' } },
      { properties: { channel: 'sms', consent: 'unsubscribed', source: 'sms-reply' } },
    ]);
  });

  it('"send test" goes through the provider and returns its answer; wrong credentials say what to check without the secret', async () => {
    const test = await owner('POST', `/api/workspaces/${rt.workspaceId}/channels/sms/test`, { to: phoneOf(9), content: { text: 'Is this on?' } });
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({
      ok: true,
      sandbox: false,
      providerId: expect.stringMatching(/^SM/),
      response: expect.stringMatching(/^queued SM[0-9a-f]{32}$/),
      rendered: { text: '[Test] Is this on?' },
    });
    expect(twilio.requests.at(-1)!.form).toMatchObject({ To: phoneOf(9), Body: '[Test] Is this on?' });
    const wrong = 'a-wrong-token-0000';
    // Adapters are rebuilt when the provider's updatedAt (the runtime's clock) changes: let it move.
    await rt.advance(1_000);
    await owner('PUT', `/api/workspaces/${rt.workspaceId}/providers/sms`, { kind: 'twilio', settings: { accountSid, fromNumber: '+15005550006', baseUrl: twilio.url }, secrets: { authToken: wrong } });
    try {
      const refused = await owner('POST', `/api/workspaces/${rt.workspaceId}/channels/sms/test`, { to: phoneOf(9), content: { text: 'Again' } });
      expect(refused.status).toBe(422);
      expect(refused.body.error.message).toContain('check the account SID and auth token');
      expect(refused.body.error.message).not.toContain(wrong);
    } finally {
      await rt.advance(1_000);
      await owner('PUT', `/api/workspaces/${rt.workspaceId}/providers/sms`, { kind: 'twilio', settings: { accountSid, fromNumber: '+15005550006', baseUrl: twilio.url }, secrets: { authToken } });
    }
  });

  it('an outage (connections refused, then 503) loses nothing: once the API is back every message is accepted exactly once', async () => {
    const people = [10, 11, 12];
    for (const n of people) await identify(`out-${n}`, phoneOf(n));
    twilio.modes.down = 'refuse';
    for (const n of people) await ping(`out-${n}`, `Outage ${n}`);
    await rt.eventually(async () => {
      const list = await Promise.all(people.map(async (n) => (await messagesTo(phoneOf(n)))[0]));
      return list.every((m) => m?.status === 'retrying');
    });
    twilio.modes.down = '503';
    await rt.advance(10_000);
    await rt.eventually(async () => {
      const list = await Promise.all(people.map(async (n) => (await messagesTo(phoneOf(n)))[0]));
      return list.every((m) => m && m.status === 'retrying' && m.attempts >= 2 && twilio.requests.some((r) => r.status === 503 && r.headers['i-twilio-idempotency-token'] === m.id));
    });
    twilio.modes.down = false;
    const sent = await rt.eventually(async () => {
      await rt.advance(60_000);
      const list = await Promise.all(people.map(async (n) => (await messagesTo(phoneOf(n)))[0]!));
      return list.every((m) => m.status === 'sent') && list;
    }, 40_000);
    for (const message of sent) {
      expect(twilio.acceptedBy(message.id)).toHaveLength(1);
      const mine = twilio.requests.filter((r) => r.headers['i-twilio-idempotency-token'] === message.id);
      expect(mine.at(-1)!.status).toBe(201);
      expect(message.providerId).toBe(mine.at(-1)!.sid);
    }
  });

  it('429 with Retry-After is retried no earlier than the provider asked', async () => {
    const phone = phoneOf(13);
    await identify('ivy', phone);
    twilio.modes.rateLimited = { count: 1, retryAfterSeconds: 120 };
    await ping('ivy', 'Slow down');
    const retrying = await settled(phone, ['retrying']);
    const limitedAt = rt.clock.now();
    expect(retrying).toMatchObject({ errorCode: '20429', error: expect.stringContaining('429') });
    // The retry job is dated by the runtime's clock: at least 120 s after the 429 was recorded.
    const [job] = await rt.db.execute<{ start_after: string }>(
      sql`select to_json(start_after) #>> '{}' as start_after from pgboss.job where name = 'deliver-sms' and state = 'created' and data -> 'messageIds' ? ${retrying.id}`,
    );
    expect(Date.parse(job!.start_after)).toBeGreaterThanOrEqual(Date.parse(retrying.createdAt) + 120_000);
    expect(Date.parse(job!.start_after)).toBeLessThanOrEqual(limitedAt + 125_000);
    await rt.advance(30_000);
    expect((await messagesTo(phone))[0]).toMatchObject({ status: 'retrying', attempts: 1 });
    const sent = await rt.eventually(async () => {
      await rt.advance(30_000);
      const [m] = await messagesTo(phone);
      return m?.status === 'sent' && m;
    });
    expect(sent.attempts).toBe(2);
    expect(twilio.requests.filter((r) => r.headers['i-twilio-idempotency-token'] === sent.id).map((r) => r.status)).toEqual([429, 201]);
  });

  it('customers without consent get nothing: no state under the default opt-in policy', async () => {
    await identify('joe', phoneOf(14), null);
    const customer = await customerOf('joe');
    await ping('joe', 'Hi Joe');
    await rt.eventually(async () => (await lastSendReason(customer.id)).includes('skipped:no-consent'));
    expect(await rt.db.select().from(customers).where(eq(customers.id, customer.id))).toHaveLength(1);
    expect(await messagesTo(phoneOf(14))).toHaveLength(0);
  });
});
