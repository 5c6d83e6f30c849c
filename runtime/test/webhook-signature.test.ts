import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PermanentDeliveryError, type OutgoingMessage } from '../src/channels/channel.ts';
import { RefusedDestinationError } from '../src/channels/refused-destination-error.ts';
import { type WebhookPolicy, webhookChannel } from '../src/channels/webhook-channel.ts';
import { verifyWebhookSignature, webhookSignature } from '../src/channels/webhook-signature.ts';

const now = Date.parse('2026-03-01T12:00:00Z');
const seconds = (s: number) => s * 1000;

describe('webhook signature: Waymark-Signature: t=<unix seconds>,v1=<hmac>', () => {
  const body = '{"orderId":"o-1"}';
  const url = 'https://crm.example/hooks/orders';

  it('verifies with the secret; a wrong secret, a tampered body and a stale or future timestamp fail, each for its reason', () => {
    const header = webhookSignature({ url, body }, ['whsec_current'], now);
    expect(header).toMatch(/^t=1772366400,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(header, { url, body }, 'whsec_current', { now })).toEqual({ ok: true });
    expect(verifyWebhookSignature(header, { url, body: Buffer.from(body) }, 'whsec_current', { now: now + seconds(299) })).toEqual({ ok: true });
    expect(verifyWebhookSignature(header, { url, body }, 'whsec_other', { now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(header, { url, body: '{"orderId":"o-2"}' }, 'whsec_current', { now })).toEqual({ ok: false, reason: 'mismatch' });
    // Signed for one receiver, so it cannot be replayed to another.
    expect(verifyWebhookSignature(header, { url: 'https://billing.example/hooks', body }, 'whsec_current', { now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(header, { url, body }, 'whsec_current', { now: now + seconds(301) })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature(header, { url, body }, 'whsec_current', { now: now - seconds(301) })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature(header, { url, body }, 'whsec_current', { now: now + seconds(3600), toleranceSeconds: 3600 })).toEqual({ ok: true });
  });

  it('the timestamp is signed too: moving it forward breaks the signature', () => {
    const header = webhookSignature({ url, body }, ['whsec_current'], now);
    const replayed = header.replace(/^t=\d+/, `t=${now / 1000 + 600}`);
    expect(verifyWebhookSignature(replayed, { url, body }, 'whsec_current', { now: now + seconds(600) })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('during a rotation the new and the old secret both sign, so receivers holding either one verify', () => {
    const header = webhookSignature({ url, body }, ['whsec_new', 'whsec_old'], now);
    expect(header.split(',').filter((part) => part.startsWith('v1='))).toHaveLength(2);
    expect(verifyWebhookSignature(header, { url, body }, 'whsec_new', { now })).toEqual({ ok: true });
    expect(verifyWebhookSignature(header, { url, body }, 'whsec_old', { now })).toEqual({ ok: true });
    expect(verifyWebhookSignature(header, { url, body }, 'whsec_older', { now })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('a request without body signs the empty string', () => {
    const header = webhookSignature({ url, body: '' }, ['s'], now);
    expect(verifyWebhookSignature(header, { url, body: '' }, 's', { now })).toEqual({ ok: true });
    expect(verifyWebhookSignature(header, { url, body: '{}' }, 's', { now })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('malformed headers are rejected, including a valid v1 with anything appended', () => {
    const header = webhookSignature({ url, body }, ['s'], now);
    for (const bad of [undefined, '', 'v1=abc', `t=x,${header.split(',')[1]}`, header.split(',')[0]]) {
      expect(verifyWebhookSignature(bad, { url, body }, 's', { now }), String(bad)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(verifyWebhookSignature(`${header}00`, { url, body }, 's', { now })).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('webhook channel: headers, signature and outcome, against a real server', () => {
  const received: { method: string; path: string; headers: IncomingMessage['headers']; rawHeaders: string[]; body: string }[] = [];
  const statuses = new Map<string, number[]>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method!, path: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body });
      res.writeHead(statuses.get(req.url!)?.shift() ?? 200, { 'x-request-id': `req-${received.length}` }).end('thanks');
    });
  });
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    received.length = 0;
  });

  const asked: string[] = [];
  const policies: Record<string, WebhookPolicy> = {
    'ws-local': { allowPrivateNetworks: true, signingSecrets: ['whsec_new', 'whsec_old'] },
    'ws-unsigned': { allowPrivateNetworks: true, signingSecrets: [] },
    'ws-default': { allowPrivateNetworks: false, signingSecrets: ['whsec_new'] },
  };
  const channel = webhookChannel({
    policyFor: async (workspaceId) => {
      asked.push(workspaceId);
      return policies[workspaceId]!;
    },
    now: () => now,
  });
  const message = (content: Record<string, unknown>, workspaceId = 'ws-local'): OutgoingMessage => ({ id: 'msg-1', workspaceId, channel: 'webhook', to: null, content, customerId: 'ola' });
  const names = (rawHeaders: string[]) => rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());

  it("sends the author's headers, then Waymark's, which the author cannot override in any case", async () => {
    const headers = { 'X-Customer': 'ola', 'waymark-signature': 't=1,v1=forged', 'WAYMARK-MESSAGE-ID': 'forged', 'user-agent': 'curl/8' };
    const sent = await channel.send(message({ url: `${url}/hook`, headers, body: { orderId: 'o-1' } }));
    expect(sent).toEqual({ providerId: 'req-1' });
    expect(asked.at(-1)).toBe('ws-local');
    const [call] = received;
    expect(call).toMatchObject({ method: 'POST', path: '/hook', body: '{"orderId":"o-1"}' });
    expect(call!.headers).toMatchObject({ 'x-customer': 'ola', 'content-type': 'application/json', 'waymark-message-id': 'msg-1', 'user-agent': 'Waymark-Webhooks/1' });
    const sentNames = names(call!.rawHeaders);
    expect(sentNames.filter((name) => ['waymark-signature', 'waymark-message-id', 'user-agent'].includes(name))).toEqual(['waymark-message-id', 'waymark-signature', 'user-agent']);
    expect(sentNames.indexOf('x-customer')).toBeLessThan(sentNames.indexOf('waymark-message-id'));
    const signature = call!.headers['waymark-signature'] as string;
    expect(verifyWebhookSignature(signature, { url: `${url}/hook`, body: call!.body }, 'whsec_new', { now })).toEqual({ ok: true });
    expect(verifyWebhookSignature(signature, { url: `${url}/hook`, body: call!.body }, 'whsec_old', { now })).toEqual({ ok: true });
  });

  it("keeps the author's Content-Type; GET has no body and signs the empty string; no secrets, no signature", async () => {
    await channel.send(message({ url: `${url}/typed`, headers: { 'content-type': 'application/vnd.api+json' }, body: { a: 1 } }));
    await channel.send(message({ method: 'get', url: `${url}/get`, body: { ignored: true } }));
    await channel.send(message({ url: `${url}/unsigned`, body: { a: 1 } }, 'ws-unsigned'));
    const [typed, get, unsigned] = received;
    expect(typed!.headers['content-type']).toBe('application/vnd.api+json');
    expect(names(typed!.rawHeaders).filter((name) => name === 'content-type')).toHaveLength(1);
    expect(get).toMatchObject({ method: 'GET', body: '' });
    expect(verifyWebhookSignature(get!.headers['waymark-signature'] as string, { url: `${url}/get`, body: '' }, 'whsec_new', { now })).toEqual({ ok: true });
    expect(unsigned!.headers['waymark-signature']).toBeUndefined();
    expect(unsigned!.headers['waymark-message-id']).toBe('msg-1');
  });

  it('408, 429 and 5xx are retried with the same message id; other 4xx and a bad URL fail for good', async () => {
    statuses.set('/flaky', [503, 429, 408]);
    for (const status of [503, 429, 408]) {
      const error = await channel.send(message({ url: `${url}/flaky`, body: {} })).catch((e: Error) => e);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      expect((error as Error).message).toMatch(new RegExp(`^webhook answered ${status} `));
    }
    expect(await channel.send(message({ url: `${url}/flaky`, body: {} }))).toEqual({ providerId: 'req-4' });
    expect(received.map((call) => call.headers['waymark-message-id'])).toEqual(['msg-1', 'msg-1', 'msg-1', 'msg-1']);

    statuses.set('/gone', [410]);
    await expect(channel.send(message({ url: `${url}/gone` }))).rejects.toThrow(new PermanentDeliveryError('webhook answered 410 Gone'));
    await expect(channel.send(message({ url: 'not a url' }))).rejects.toThrow(new PermanentDeliveryError('the URL "not a url" is not valid'));
  });

  it('with the default policy a local receiver is refused, permanently, and never sees the request', async () => {
    const error = await channel.send(message({ url: `${url}/hook`, body: {} }, 'ws-default')).catch((e: Error) => e);
    expect(error).toBeInstanceOf(RefusedDestinationError);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as Error).message).toBe('refused: private address');
    expect(received).toHaveLength(0);
  });
});
