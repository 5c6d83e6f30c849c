import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDocumentInput } from '@waymark/shared';
import { customers, events, messages, providers, workspaces } from '../src/db/schema.ts';
import { type SmtpPeer, startSmtpPeer } from './support/smtp-peer.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/**
 * Email over SMTP against a real SMTP server on loopback (`smtp-server`, AUTH checked): what
 * arrives (headers, both parts, tracking), signed clicks, one-click unsubscribe, the preference
 * page, "send test", bounces, deferrals, an outage and connection pooling.
 */
const password = 'correct horse battery staple';
const html = '<html><body><h1>Shipped</h1><p>Hi {{ customer.first_name | default: "there" }}, follow it <a href="https://shop.example/track">here</a>.</p></body></html>';

const shipped: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'shipped',
  name: 'Shipped',
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Order Shipped' } } },
      {
        id: 'mail',
        type: 'send',
        position: { x: 0, y: 100 },
        data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Your order is on its way', preheader: 'Track it in one click', html } } },
      },
    ],
    edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'mail' }],
  },
};

describe('email over SMTP', () => {
  let peer: SmtpPeer;
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  let journeyId: string;
  const ws = () => `/api/workspaces/${rt.workspaceId}`;
  const smtp = (overrides: Record<string, unknown> = {}) => ({
    kind: 'smtp',
    settings: { host: '127.0.0.1', port: peer.port, tls: 'none', user: 'waymark', fromName: 'Shop', fromAddress: 'news@shop.example', replyTo: 'help@shop.example', maxConnections: 3, ...overrides },
  });
  const customerByEmail = async (address: string) => (await rt.db.select().from(customers).where(sql`${customers.channels} -> 'email' ->> 'address' = ${address}`))[0]!;
  const eventsOf = async (customerId: string) => rt.db.select({ name: events.name, properties: events.properties }).from(events).where(eq(events.customerId, customerId));
  /** Ingests the customers and the event that sends each an email; returns their messages once all left the outbox. */
  const ship = async (people: { userId: string; email: string; traits?: Record<string, unknown> }[], settled: (status: string) => boolean = (s) => s === 'sent') => {
    const key = crypto.randomUUID();
    const batch = people.flatMap((p) => [
      { type: 'identify', userId: p.userId, messageId: `id-${key}-${p.userId}`, traits: { email: p.email, ...p.traits } },
      { type: 'track', userId: p.userId, event: 'Order Shipped', messageId: `ship-${key}-${p.userId}` },
    ]);
    expect((await rt.ingest('batch', { batch })).status).toBe(200);
    const addresses = people.map((p) => p.email);
    return rt.eventually(async () => {
      const list = await rt.db
        .select()
        .from(messages)
        .where(and(eq(messages.journeyId, journeyId), inArray(messages.to, addresses)));
      // Each test sends to addresses of its own: one message each.
      const latest = addresses.map((address) => list.find((m) => m.to === address));
      return latest.every((m) => m && settled(m.status)) && (latest as (typeof list)[number][]);
    });
  };
  const arrived = (id: string) => peer.messages.filter((m) => m.messageId === `<${id}@shop.example>`);
  /** A header as it arrived (mailparser folds the List-* headers into a structure). */
  const header = (parsed: { headerLines: readonly { key: string; line: string }[] }, name: string) => {
    const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
    return line?.slice(line.indexOf(':') + 1).trim();
  };

  beforeAll(async () => {
    peer = await startSmtpPeer({ users: { waymark: password } });
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { publicUrl: 'https://waymark.example' });
    owner = await rt.signIn();
    await rt.db
      .update(workspaces)
      .set({
        settings: sql`${workspaces.settings} || ${JSON.stringify({
          topics: [
            { id: 'news', name: 'Product news' },
            { id: 'offers', name: 'Offers & <deals>' },
          ],
        })}::jsonb`,
      })
      .where(eq(workspaces.id, rt.workspaceId));
    journeyId = (await rt.publish(shipped)).id;
  });
  afterAll(async () => {
    await rt?.stop();
    await peer?.stop();
  });

  it('connects the SMTP provider through the API: the password is sealed in the database and shown only by its last four characters', async () => {
    const saved = await owner('PUT', `${ws()}/providers/email`, { ...smtp(), secrets: { password } });
    expect(saved.status).toBe(200);
    const view = await owner('GET', `${ws()}/providers/email`);
    expect(view.body).toMatchObject({ kind: 'smtp', settings: { host: '127.0.0.1', fromAddress: 'news@shop.example' }, secrets: { password: { set: true, last4: 'aple' } } });
    expect(JSON.stringify(view.body)).not.toContain(password);
    const [row] = await rt.db.select({ secrets: providers.secrets }).from(providers).where(eq(providers.workspaceId, rt.workspaceId));
    expect(row!.secrets).toMatch(/^v1\./);
    expect(row!.secrets).not.toContain(password);
    expect(row!.secrets).not.toContain(Buffer.from(password).toString('base64'));
    expect((await owner('GET', `${ws()}/channels`)).body).toContainEqual({ channel: 'email', provider: 'provider', kind: 'smtp' });
  });

  let adaMessage: string;
  let trackedLink: string;

  it('a journey email arrives with From, Reply-To, both parts (text made from the HTML), the preheader, Message-ID from the message id, one-click List-Unsubscribe and the open pixel', async () => {
    const [message] = await ship([{ userId: 'ada', email: 'ada@example.com', traits: { first_name: 'Ada', phone: '+15005550006', consent: { sms: 'opted-in' } } }]);
    adaMessage = message!.id;
    expect(message!.providerId).toBe(`<${adaMessage}@shop.example>`);
    const [mail] = arrived(adaMessage);
    expect(mail).toMatchObject({ from: 'news@shop.example', to: ['ada@example.com'] });
    const parsed = await peer.parse(mail!);
    expect(parsed.subject).toBe('Your order is on its way');
    expect(parsed.from?.value).toEqual([{ name: 'Shop', address: 'news@shop.example' }]);
    expect(parsed.replyTo?.value).toEqual([{ name: '', address: 'help@shop.example' }]);
    expect(parsed.messageId).toBe(`<${adaMessage}@shop.example>`);
    expect(header(parsed, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header(parsed, 'List-Unsubscribe')).toBe(`<https://waymark.example/t/u/${adaMessage}>`);
    expect(header(parsed, 'X-Waymark-Message-Id')).toBe(adaMessage);
    const body = parsed.html as string;
    const link = new RegExp(`https://waymark\\.example/t/c/${adaMessage}/0/[A-Za-z0-9_-]{16}`).exec(body);
    expect(link).not.toBeNull();
    trackedLink = link![0];
    expect(body).toMatch(/<body><div style="display:none[^"]*">Track it in one click<\/div><h1>/);
    expect(body).toContain(`<img src="https://waymark.example/t/o/${adaMessage}" width="1" height="1" alt="" style="display:none">`);
    expect(body).toContain(`href="https://waymark.example/t/p/${adaMessage}"`);
    expect(body).not.toContain('https://shop.example/track');
    // The text part is made from the HTML as sent (wrapped at 78): links as "text [url]", no pixel, no preheader.
    const text = (parsed.text as string).replace(/\s+/g, ' ');
    expect(text).toContain(`Hi Ada, follow it here [${trackedLink}].`);
    expect(text).toContain(`Unsubscribe [https://waymark.example/t/u/${adaMessage}] · Manage preferences [https://waymark.example/t/p/${adaMessage}]`);
    expect(text).not.toContain('/t/o/');
    expect(text).not.toContain('Track it in one click');
    expect((parsed.text as string).split('\n').every((line) => line.length <= 78 || !line.includes(' '))).toBe(true);
  });

  it('a signed click redirects and counts; an unsigned, forged or wrongly placed signature still redirects to the author link but records nothing', async () => {
    const path = new URL(trackedLink).pathname;
    const clicked = async () => (await rt.db.select({ clickedAt: messages.clickedAt }).from(messages).where(eq(messages.id, adaMessage)))[0]!.clickedAt;
    for (const forged of [`/t/c/${adaMessage}/0`, `/t/c/${adaMessage}/0/AAAAAAAAAAAAAAAA`, `/t/c/${adaMessage}/0?s=AAAAAAAAAAAAAAAA`, `${path.replace(/\/0\//, '/1/')}`]) {
      const response = await rt.app.request(forged);
      if (forged.includes('/1/')) {
        expect(response.status).toBe(404); // there is no second author link
        continue;
      }
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('https://shop.example/track');
    }
    expect(await clicked()).toBeNull();
    const signed = await rt.app.request(path);
    expect(signed.status).toBe(302);
    expect(signed.headers.get('location')).toBe('https://shop.example/track');
    expect(await clicked()).not.toBeNull();
    const ada = await customerByEmail('ada@example.com');
    expect((await eventsOf(ada.id)).map((e) => e.name)).toContain('Message Link Clicked');
    // The signature query form works too (for clients that strip a path segment).
    const signature = path.split('/').at(-1);
    expect((await rt.app.request(`/t/c/${adaMessage}/0?s=${signature}`)).status).toBe(302);
  });

  it("RFC 8058: a one-click POST to the List-Unsubscribe URL unsubscribes the customer's email, on their timeline", async () => {
    const [message] = await ship([{ userId: 'bob', email: 'bob@example.com' }]);
    const parsed = await peer.parse(arrived(message!.id)[0]!);
    const url = /^<([^>]+)>$/.exec(header(parsed, 'List-Unsubscribe') ?? '')![1]!;
    const response = await rt.app.request(new URL(url).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('You are unsubscribed from email messages.');
    expect(page).toContain(`<a href="../p/${message!.id}">Manage your preferences</a>`);
    const bob = await customerByEmail('bob@example.com');
    expect(bob.channels.email).toMatchObject({ consent: 'unsubscribed' });
    expect((await eventsOf(bob.id)).map((e) => e.name)).toContain('Unsubscribed');
  });

  it('the preference page shows each reachable channel and topic as a checkbox, in plain escaped HTML without scripts', async () => {
    const response = await rt.app.request(`/t/p/${adaMessage}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await response.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('a•••@example.com');
    expect(page).toContain('<form method="post">');
    expect(page).toContain('<input type="checkbox" name="email" value="on" checked> Email');
    expect(page).toContain('<input type="checkbox" name="sms" value="on" checked> Text messages (SMS)');
    expect(page).not.toContain('name="push"'); // no subscription: nothing to choose
    expect(page).toContain('<input type="checkbox" name="topic:news" value="on" checked> Product news');
    expect(page).toContain('<input type="checkbox" name="topic:offers" value="on" checked> Offers &#38; &#60;deals&#62;');
    expect(page).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect((await rt.app.request(`/t/p/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await rt.app.request('/t/p/<script>')).status).toBe(404);
  });

  it('the preference page refuses garbage with a 400 naming the field, and changes nothing', async () => {
    const post = (body: string, type = 'application/x-www-form-urlencoded') => rt.app.request(`/t/p/${adaMessage}`, { method: 'POST', headers: { 'content-type': type }, body });
    const before = (await customerByEmail('ada@example.com')).channels;
    for (const [body, words] of [
      ['submitted=1&fax=on', 'The field &#34;fax&#34; is not a channel or topic on this page.'],
      ['submitted=1&topic:nope=on', '&#34;topic:nope&#34;'],
      ['submitted=1&email=yes', 'The field &#34;email&#34; must be &#34;on&#34; when ticked.'],
      ['submitted=1&email=on&email=on', 'The field &#34;email&#34; was sent twice.'],
      ['email=on', 'The field &#34;submitted&#34; is missing'],
      ['submitted=1&%3Cimg%20src%3Dx%3E=on', '&#34;&#60;img src=x&#62;&#34;'],
    ] as const) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
      expect(await response.text()).toContain(words);
    }
    expect((await post('{"email":true}', 'application/json')).status).toBe(400);
    expect((await rt.app.request(`/t/p/${crypto.randomUUID()}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'submitted=1' })).status).toBe(404);
    expect((await customerByEmail('ada@example.com')).channels).toEqual(before);
  });

  it('the preference page saves: unticking SMS and a topic stores both through consent changes (events on the timeline) and thanks', async () => {
    const response = await rt.app.request(`/t/p/${adaMessage}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'submitted=1&email=on&topic%3Anews=on' });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('your preferences are saved');
    expect(page).toContain('<input type="checkbox" name="sms" value="on"> Text messages (SMS)');
    expect(page).toContain('<input type="checkbox" name="topic:offers" value="on"> Offers');
    const ada = await customerByEmail('ada@example.com');
    expect(ada.channels.sms).toMatchObject({ consent: 'unsubscribed' });
    expect(ada.channels.email).toMatchObject({ address: 'ada@example.com', topics: { offers: false } });
    expect(ada.channels.email).not.toHaveProperty('consent'); // email was on and stays on: nothing written
    // The page's changes (the identify that set Ada up gave SMS consent: a change of its own, source identify).
    const fromPage = async () => (await eventsOf(ada.id)).filter((e) => e.name === 'Consent Changed' && e.properties.source !== 'identify');
    const changes = (await fromPage()).map((e) => e.properties);
    expect(changes).toEqual(
      expect.arrayContaining([
        { channel: 'sms', consent: 'unsubscribed', source: 'preference-page' },
        { channel: 'email', consent: 'unsubscribed', source: 'preference-page', topic: 'offers' },
      ]),
    );
    expect(changes).toHaveLength(2);
    // Saving the same choice again changes nothing.
    await rt.app.request(`/t/p/${adaMessage}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'submitted=1&email=on&topic%3Anews=on' });
    expect(await fromPage()).toHaveLength(2);
  });

  it('"send test" goes through the SMTP server, marked [Test], and returns its answer', async () => {
    const result = await owner('POST', `${ws()}/channels/email/test`, { to: 'me@example.com', content: { subject: 'Hello', html: '<p>Hi from <a href="https://shop.example/">the shop</a></p>' } });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: true, sandbox: false, response: expect.stringMatching(/^250 /), rendered: { subject: '[Test] Hello' } });
    const mail = arrived(result.body.id);
    expect(mail).toHaveLength(1);
    const parsed = await peer.parse(mail[0]!);
    expect(parsed.subject).toBe('[Test] Hello');
    expect(parsed.text).toContain('Hi from the shop [https://shop.example/]');
  });

  it('a 550 for one recipient fails that message at once as a bounce (error code, bounced address, Message Bounced); the others are delivered', async () => {
    peer.rules.push({ match: 'gone@example.com', code: 550, message: '5.1.1 <gone@example.com>: Recipient address rejected: User unknown' });
    const [gone, carol] = await ship(
      [
        { userId: 'gone', email: 'gone@example.com' },
        { userId: 'carol', email: 'carol@example.com' },
      ],
      (s) => s === 'sent' || s === 'failed',
    );
    peer.rules.length = 0;
    expect(gone).toMatchObject({ status: 'failed', attempts: 1, errorCode: '550' });
    expect(gone!.error).toContain('User unknown');
    expect(carol).toMatchObject({ status: 'sent' });
    expect(arrived(carol!.id)).toHaveLength(1);
    expect(arrived(gone!.id)).toHaveLength(0);
    const customer = await customerByEmail('gone@example.com');
    expect(customer.channels.email).toMatchObject({ bounced: true });
    expect((await eventsOf(customer.id)).find((e) => e.name === 'Message Bounced')?.properties).toMatchObject({ messageId: gone!.id, code: '550' });
    // A 5xx about the message, not the mailbox (refused after DATA as spam), fails it without marking the address.
    peer.rules.push({ match: 'erin@example.com', code: 554, message: '5.7.1 Message rejected as spam', at: 'data' });
    const [spam] = await ship([{ userId: 'erin', email: 'erin@example.com' }], (s) => s === 'failed');
    peer.rules.length = 0;
    expect(spam).toMatchObject({ status: 'failed', attempts: 1, errorCode: '554' });
    expect((await customerByEmail('erin@example.com')).channels.email).not.toHaveProperty('bounced');
  });

  it('a 451 is retried, and the message arrives once when the server takes it', async () => {
    peer.rules.push({ match: 'dora@example.com', code: 451, message: '4.7.1 Greylisted, try again later' });
    const [deferred] = await ship([{ userId: 'dora', email: 'dora@example.com' }], (s) => s === 'retrying');
    expect(deferred).toMatchObject({ status: 'retrying', errorCode: '451' });
    peer.rules.length = 0;
    await rt.advance(10_000);
    const sent = await rt.eventually(async () => {
      const [row] = await rt.db.select().from(messages).where(eq(messages.id, deferred!.id));
      return row?.status === 'sent' && row;
    });
    expect(sent.attempts).toBeGreaterThanOrEqual(2);
    expect(arrived(deferred!.id)).toHaveLength(1);
  });

  it('many messages reuse a few pooled connections', async () => {
    const before = peer.connections;
    const people = Array.from({ length: 30 }, (_, i) => ({ userId: `pool-${i}`, email: `pool-${i}@example.com` }));
    const sent = await ship(people);
    for (const message of sent) expect(arrived(message.id)).toHaveLength(1);
    // maxConnections is 3; connections left from earlier tests may be reused too.
    expect(peer.connections - before).toBeLessThanOrEqual(3);
  });

  it('outage: with the SMTP server down messages wait as retrying; once it is back every message arrives exactly once', async () => {
    await peer.stop();
    const people = Array.from({ length: 6 }, (_, i) => ({ userId: `out-${i}`, email: `out-${i}@example.com` }));
    const waiting = await ship(people, (s) => s === 'retrying');
    for (const message of waiting) expect(message.error).toContain(`could not deliver through the SMTP server 127.0.0.1:${peer.port}`);
    await peer.start();
    await rt.advance(300_000);
    const ids = waiting.map((m) => m.id);
    await rt.eventually(async () => {
      const rows = await rt.db.select({ status: messages.status }).from(messages).where(inArray(messages.id, ids));
      if (rows.every((r) => r.status === 'sent')) return true;
      await rt.advance(30_000);
      return false;
    }, 60_000);
    for (const id of ids) expect(arrived(id)).toHaveLength(1);
  });

  it('a refused login fails the send for good, says to check the user and password, and never shows the password', async () => {
    const wrong = 'not-the-password-at-all';
    expect((await owner('PUT', `${ws()}/providers/email`, { ...smtp(), secrets: { password: wrong } })).status).toBe(200);
    const result = await owner('POST', `${ws()}/channels/email/test`, { to: 'me@example.com', content: { subject: 'Hello', html: '<p>Hi</p>' } });
    expect(result.status).toBe(422);
    expect(result.body.error.message).toContain('check the user and password');
    expect(JSON.stringify(result.body)).not.toContain(wrong);
    expect(JSON.stringify(result.body)).not.toContain(Buffer.from(`\0waymark\0${wrong}`).toString('base64'));
  });
});
