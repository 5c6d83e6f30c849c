import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDocumentInput } from '@waymark/shared';
import type { Channel, OutgoingMessage } from '../src/channels/channel.ts';
import { customers, events } from '../src/db/schema.ts';
import { clickSignature } from '../src/services/engagement/instrument-email.ts';
import { startTestRuntime } from './support/test-runtime.ts';

// The author's links: two written out, one with a Liquid query parameter; the customer's name (trusted with `raw`) carries a link of its own.
const html =
  '<html><body><p>Hi {{ customer.first_name | raw }}</p><a href="https://shop.example/cart?a=1&amp;b=2">Your cart</a> <a href=\'https://shop.example/help\'>Help</a> <a href="mailto:x@example.com">Mail</a> <a href="https://shop.example/orders?id={{ event.orderId }}&amp;src=mail">Your order</a></body></html>';
const evilName = '<a href="https://evil.example/win">win</a>';
const rendered = html.replace('{{ customer.first_name | raw }}', evilName).replace('{{ event.orderId }}', 'A%26B%207');

const newsletter: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'newsletter',
  name: 'Newsletter',
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'issue_ready' } } },
      { id: 'letter', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'This week', html } } } },
    ],
    edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'letter' }],
  },
};

describe('message engagement', () => {
  const sent: OutgoingMessage[] = [];
  const capture: Channel = {
    async send(message) {
      sent.push(message);
      return { providerId: `capture:${message.id}` };
    },
  };
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let journeyId: string;
  let messageId: string;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  const stats = async () => (await owner('GET', `/api/workspaces/${rt.workspaceId}/journeys/${journeyId}/stats`)).body.nodes.letter;
  const timeline = async () => (await rt.db.select({ name: events.name }).from(events).where(eq(events.type, 'track'))).map((e) => e.name).sort();

  beforeAll(async () => {
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { channels: { email: capture }, publicUrl: 'https://waymark.example' });
    owner = await rt.signIn();
    journeyId = (await rt.publish(newsletter)).id;
    await rt.ingest('identify', { userId: 'ada', messageId: 'id-ada', traits: { email: 'ada@example.com', first_name: evilName } });
    await rt.ingest('track', { userId: 'ada', event: 'issue_ready', messageId: 'issue-1', properties: { orderId: 'A&B 7' } });
    const [message] = await rt.eventually(async () => {
      const list = await rt.messagesOf(journeyId);
      return list[0]?.status === 'sent' && list;
    });
    messageId = message!.id;
  });
  afterAll(async () => rt?.stop());

  it('sends email with tracked links, an open pixel and one-click List-Unsubscribe; the stored message keeps what was rendered', async () => {
    const out = sent.find((m) => m.id === messageId)!;
    const tracked = out.content.html as string;
    // Click links carry their signature: 16 characters of an HMAC under the server's key.
    const signature = (link: number) => clickSignature(rt.box, messageId, link);
    expect(tracked).toContain(`href="https://waymark.example/t/c/${messageId}/0/${signature(0)}"`);
    expect(tracked).toContain(`href='https://waymark.example/t/c/${messageId}/1/${signature(1)}'`);
    expect(tracked).toContain('href="mailto:x@example.com"');
    expect(tracked).toContain(`href="https://waymark.example/t/c/${messageId}/2/${signature(2)}">Your order`);
    expect(signature(0)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(tracked).toContain(`<a href="https://waymark.example/t/u/${messageId}" style="color:#6b7280">Unsubscribe</a> · <a href="https://waymark.example/t/p/${messageId}"`);
    expect(tracked).toMatch(new RegExp(`<img src="https://waymark.example/t/o/${messageId}"[^>]*></body>`));
    expect(out.content.headers).toEqual({ 'List-Unsubscribe': `<https://waymark.example/t/u/${messageId}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(out.content).not.toHaveProperty('links');
    expect((await rt.messagesOf(journeyId))[0]!.content).toMatchObject({
      html: rendered,
      links: ['https://shop.example/cart?a=1&b=2', 'https://shop.example/help', 'https://shop.example/orders?id=A%26B%207&src=mail'],
    });
  });

  it('L8 a link from customer data (printed with raw) is not wrapped in the click redirect', () => {
    const tracked = sent.find((m) => m.id === messageId)!.content.html as string;
    expect(tracked).toContain(`<p>Hi ${evilName}</p>`);
    expect(tracked.match(/\/t\/c\//g)).toHaveLength(3);
  });

  it('an open answers the pixel, counts once however often the mail is opened, and lands on the timeline', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await rt.app.request(`/t/o/${messageId}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/gif');
      expect(response.headers.get('cache-control')).toContain('no-store');
    }
    expect((await rt.messagesOf(journeyId))[0]).toMatchObject({ openedAt: expect.any(String), deliveredAt: expect.any(String), clickedAt: null });
    expect(await stats()).toMatchObject({ sent: 1, delivered: 1, opened: 1 });
    expect(await timeline()).toEqual(['Message Opened', 'issue_ready']);
    // Unknown or malformed ids still get the pixel: a mail client has nobody to show an error to.
    expect((await rt.app.request('/t/o/not-a-message')).status).toBe(200);
    expect((await rt.app.request(`/t/o/${crypto.randomUUID()}`)).status).toBe(200);
  });

  it('L8 a click redirects to the author link it stands for (entities decoded, Liquid values URL-encoded) and counts once; unknown links are 404, not open redirects', async () => {
    const signed = (link: number) => `/t/c/${messageId}/${link}/${clickSignature(rt.box, messageId, link)}`;
    const first = await rt.app.request(signed(0));
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('https://shop.example/cart?a=1&b=2');
    expect((await rt.app.request(signed(1))).headers.get('location')).toBe('https://shop.example/help');
    expect((await rt.app.request(signed(2))).headers.get('location')).toBe('https://shop.example/orders?id=A%26B%207&src=mail');
    // No index leads to the customer's link, nor past the author's links.
    for (const index of ['3', '-1', '1.5']) expect((await rt.app.request(`/t/c/${messageId}/${index}`)).status).toBe(404);
    expect((await rt.app.request(`/t/c/${messageId}/x`)).status).toBe(404);
    expect((await rt.app.request(`/t/c/${crypto.randomUUID()}/0`)).status).toBe(404);
    expect(await stats()).toMatchObject({ opened: 1, clicked: 1 });
    expect(await timeline()).toEqual(['Message Link Clicked', 'Message Opened', 'issue_ready']);
  });

  it('unsubscribing: a GET only asks (link scanners must not unsubscribe anyone); the POST withdraws consent, and the next send is skipped', async () => {
    const ask = await rt.app.request(`/t/u/${messageId}`);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('<form method="post">');
    const consent = async () => (await rt.db.select({ channels: customers.channels }).from(customers).where(eq(customers.workspaceId, rt.workspaceId)))[0]!.channels.email;
    expect(await consent()).toEqual({ address: 'ada@example.com' });

    const oneClick = await rt.app.request(`/t/u/${messageId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You are unsubscribed from email messages.');
    expect(await consent()).toEqual({ address: 'ada@example.com', consent: 'unsubscribed' });
    expect((await rt.app.request(`/t/u/${messageId}`, { method: 'POST' })).status).toBe(200);
    expect(await stats()).toMatchObject({ unsubscribed: 1 });

    await rt.ingest('track', { userId: 'ada', event: 'issue_ready', messageId: 'issue-2' });
    const runs = await rt.eventually(async () => {
      const list = await rt.runsOf(journeyId);
      return list.length === 2 && list.every((r) => r.status !== 'active') && list;
    });
    const paths = await Promise.all(runs.map((r) => rt.stepsOf(r.id)));
    expect(paths.map((steps) => steps[1]).sort()).toEqual([
      ['letter', 'next', 'sent'],
      ['letter', 'next', 'skipped:no-consent'],
    ]);
    expect(await rt.messagesOf(journeyId)).toHaveLength(1);
    expect((await rt.app.request(`/t/u/${crypto.randomUUID()}`, { method: 'POST' })).status).toBe(404);
  });

  it('providers and scripts report engagement through the API: editors and up, this workspace only, a clear 400 for an unknown kind', async () => {
    const ws = `/api/workspaces/${rt.workspaceId}`;
    const viewer = (await owner('POST', `${ws}/keys`, { kind: 'token', name: 'dashboards', role: 'viewer' })).body.secret;
    const editor = (await owner('POST', `${ws}/keys`, { kind: 'token', name: 'esp receipts', role: 'editor' })).body.secret;
    expect((await rt.asToken(viewer)('POST', `${ws}/messages/${messageId}/engagement`, { kind: 'delivered' })).status).toBe(403);
    const bad = await rt.asToken(editor)('POST', `${ws}/messages/${messageId}/engagement`, { kind: 'bounced' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid-request', details: { field: 'kind' } });
    const ok = await rt.asToken(editor)('POST', `${ws}/messages/${messageId}/engagement`, { kind: 'delivered' });
    expect(ok.status).toBe(200);
    expect(await stats()).toMatchObject({ delivered: 1 });
    expect((await rt.asToken(viewer)('GET', `${ws}/messages/${messageId}`)).body).toMatchObject({ id: messageId, status: 'delivered' });
    expect((await rt.asToken(editor)('POST', `${ws}/messages/${crypto.randomUUID()}/engagement`, { kind: 'opened' })).status).toBe(404);
    const other = await owner('POST', '/api/workspaces', { name: 'Elsewhere' });
    expect((await owner('GET', `/api/workspaces/${other.body.id}/messages/${messageId}`)).status).toBe(404);
    expect(
      await rt.db
        .select()
        .from(events)
        .where(and(eq(events.name, 'Message Delivered'))),
    ).toEqual([]);
  });
});
