import { type JourneyDocumentInput, ProviderView } from '@waymark/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../src/channels/channel.ts';
import { PermanentDeliveryError } from '../src/channels/channel.ts';
import type { AdapterFactory } from '../src/services/providers/provider-channels.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/**
 * Providers per workspace: connected through the API with secrets sealed and never returned, and
 * delivery routed per workspace — a workspace with a provider sends through it, one without keeps
 * the sandbox, in the same delivery batch — at the provider's rate limit.
 */
const sent: (OutgoingMessage & { provider: string; at: number })[] = [];
/** A recording SMTP adapter: the real one is tested against a real SMTP server in smtp.test.ts. */
const recording: AdapterFactory = (provider) => ({
  async send(message) {
    if (message.to?.startsWith('nobody@')) throw new PermanentDeliveryError('550 5.1.1 user unknown', { code: '550', bounced: true });
    sent.push({ ...message, provider: provider.id, at: performance.now() });
    return { providerId: `smtp-${message.id}`, response: '250 2.0.0 Ok: queued' };
  },
});

const mailJourney = (event: string): JourneyDocumentInput => ({
  schemaVersion: 1,
  id: `mail-${event}`,
  name: `Mail on ${event}`,
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event } } },
      {
        id: 'mail',
        type: 'send',
        position: { x: 0, y: 100 },
        data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Hi {{ customer.first_name }}', html: '<p>Hello</p>' } } },
      },
    ],
    edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'mail' }],
  },
});

const smtp = { kind: 'smtp', settings: { host: 'smtp.example.com', port: 587, tls: 'starttls', user: 'apikey', fromAddress: 'hello@acme.example', fromName: 'Acme' } };

describe('providers per workspace', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  const ws = () => `/api/workspaces/${rt.workspaceId}`;
  beforeAll(async () => {
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { providerAdapters: { smtp: recording } });
    owner = await rt.signIn();
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('connects SMTP with a sealed password that is never returned; leaving the password out keeps it', async () => {
    expect((await owner('GET', `${ws()}/providers/email`)).status).toBe(404);
    const saved = await owner('PUT', `${ws()}/providers/email`, { ...smtp, secrets: { password: 'SG.very-secret-password-1234' } });
    expect(saved.status).toBe(200);
    const view = ProviderView.parse(saved.body);
    expect(view).toMatchObject({ channel: 'email', kind: 'smtp', secrets: { password: { set: true, last4: '1234' } } });
    expect(JSON.stringify(saved.body)).not.toContain('very-secret');
    const [row] = await rt.sql`select secrets from providers where workspace_id = ${rt.workspaceId}`;
    expect(row!.secrets).toMatch(/^v1\./);
    expect(row!.secrets).not.toContain('very-secret');
    expect(JSON.parse(rt.box.open(row!.secrets))).toEqual({ password: 'SG.very-secret-password-1234' });

    const changed = await owner('PUT', `${ws()}/providers/email`, { ...smtp, settings: { ...smtp.settings, port: 2525 } });
    expect(changed.body.settings.port).toBe(2525);
    expect(changed.body.secrets.password).toEqual({ set: true, last4: '1234' });
    expect((await owner('GET', `${ws()}/providers`)).body).toHaveLength(1);
    expect((await owner('GET', `${ws()}/channels`)).body).toContainEqual({ channel: 'email', provider: 'provider', kind: 'smtp' });
    const audit = (await owner('GET', `${ws()}/audit?limit=10`)).body.items.filter((e: { action: string }) => e.action.startsWith('provider.'));
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['provider.update', 'provider.create']);
    expect(JSON.stringify(audit)).not.toContain('very-secret');
  });

  it('refuses bad settings naming the field, the wrong kind for a channel, and anyone but an owner', async () => {
    const badPort = await owner('PUT', `${ws()}/providers/email`, { ...smtp, settings: { ...smtp.settings, port: 70_000 } });
    expect(badPort.status).toBe(400);
    expect(badPort.body.error.details.field).toBe('settings.port');
    const wrongKind = await owner('PUT', `${ws()}/providers/sms`, smtp);
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.body.error.message).toBe('A smtp provider sends email, not sms.');
    expect((await owner('PUT', `${ws()}/providers/webhook`, smtp)).status).toBe(404);
    const noToken = await owner('PUT', `${ws()}/providers/sms`, { kind: 'twilio', settings: { accountSid: 'AC123', fromNumber: '+15005550006' } });
    expect(noToken.status).toBe(422);
    expect(noToken.body.error.details.field).toBe('secrets.authToken');
    const noSender = await owner('PUT', `${ws()}/providers/sms`, { kind: 'twilio', settings: { accountSid: 'AC123' }, secrets: { authToken: 'x' } });
    expect(noSender.status).toBe(400);
    expect(noSender.body.error.details.field).toBe('settings.fromNumber');
    const editor = rt.asToken((await owner('POST', `${ws()}/keys`, { kind: 'token', name: 'ci', role: 'editor' })).body.secret);
    expect((await editor('PUT', `${ws()}/providers/email`, smtp)).status).toBe(403);
    expect((await editor('DELETE', `${ws()}/providers/email`)).status).toBe(403);
    expect((await editor('GET', `${ws()}/providers/email`)).status).toBe(200);
  });

  it('a web push provider gets a VAPID key pair once; the private key is never shown', async () => {
    const first = await owner('PUT', `${ws()}/providers/push`, { kind: 'web-push', settings: { subject: 'mailto:ops@acme.example' } });
    expect(first.status).toBe(200);
    expect(first.body.publicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    expect(first.body.secrets).toEqual({});
    const again = await owner('PUT', `${ws()}/providers/push`, { kind: 'web-push', settings: { subject: 'https://acme.example/contact' } });
    expect(again.body.publicKey).toBe(first.body.publicKey);
    expect((await owner('DELETE', `${ws()}/providers/push`)).status).toBe(204);
    expect((await owner('DELETE', `${ws()}/providers/push`)).status).toBe(404);
  });

  it('routes each workspace to its own provider or the sandbox, in one batch; a hard bounce marks the address', async () => {
    const other = await owner('POST', '/api/workspaces', { name: 'No provider' });
    expect(other.status).toBe(201);
    const otherId = other.body.id as string;
    const otherKey = other.body.writeKey as string;
    const { id: mine } = await rt.publish(mailJourney('Ordered'));
    const theirs = (await owner('POST', `/api/workspaces/${otherId}/journeys`, { name: 'Theirs', document: mailJourney('Ordered') })).body.id;
    expect((await owner('POST', `/api/workspaces/${otherId}/journeys/${theirs}/publish`)).status).toBe(200);

    const calls = (who: string, n: number) =>
      Array.from({ length: n }, (_, i) => [
        { type: 'identify', userId: `${who}${i}`, messageId: `id-${who}${i}`, traits: { first_name: `${who} ${i}`, email: i === 0 && who === 'a' ? 'nobody@acme.example' : `${who}${i}@example.com` } },
        { type: 'track', userId: `${who}${i}`, event: 'Ordered', messageId: `o-${who}${i}` },
      ]).flat();
    expect((await rt.ingest('batch', { batch: calls('a', 5) })).status).toBe(200);
    const otherAuth = `Basic ${Buffer.from(`${otherKey}:`).toString('base64')}`;
    const response = await rt.app.request('/v1/batch', { method: 'POST', headers: { authorization: otherAuth, 'content-type': 'application/json' }, body: JSON.stringify({ batch: calls('b', 3) }) });
    expect(response.status).toBe(200);

    const mineDone = await rt.eventually(async () => {
      const list = await rt.messagesOf(mine);
      return list.length === 5 && list.every((m) => m.status === 'sent' || m.status === 'failed') && list;
    });
    expect(mineDone.filter((m) => m.status === 'sent').map((m) => m.providerId)).toEqual(expect.arrayContaining([expect.stringMatching(/^smtp-/)]));
    const bounced = mineDone.find((m) => m.status === 'failed')!;
    expect(bounced).toMatchObject({ attempts: 1, errorCode: '550', to: 'nobody@acme.example' });
    const [customer] = await rt.sql`select channels from customers where id = ${bounced.customerId}`;
    expect(customer!.channels.email).toMatchObject({ address: 'nobody@acme.example', bounced: true });
    const [event] = await rt.sql`select properties from events where customer_id = ${bounced.customerId} and name = 'Message Bounced'`;
    expect(event!.properties).toMatchObject({ messageId: bounced.id, channel: 'email', code: '550' });

    const theirsDone = await rt.eventually(async () => {
      const rows = await rt.sql`select id, status, provider_id, attempts, created_at, sent_at from messages where journey_id = ${theirs}`;
      return rows.length === 3 && rows.every((r) => r.status === 'sent') && rows;
    });
    expect(theirsDone.every((r) => r.provider_id === `sandbox:${r.id}` && r.attempts === 1)).toBe(true);
    // Nothing leaves the sandbox, so its messages are recorded as sent in the transaction that
    // queued them: no delivery job; the provider's messages went through one.
    expect(theirsDone.every((r) => Date.parse(r.sent_at) === Date.parse(r.created_at))).toBe(true);
    const jobs = (await rt.sql`select data from pgboss.job where name = 'deliver-email'`).flatMap((j) => j.data.messageIds ?? []);
    expect(jobs).toEqual(expect.arrayContaining(mineDone.map((m) => m.id)));
    expect(jobs.filter((id: string) => theirsDone.some((r) => r.id === id))).toEqual([]);
    expect(sent.filter((m) => m.workspaceId === otherId)).toHaveLength(0);
    const recent = (await owner('GET', `/api/workspaces/${otherId}/channels/email/recent`)).body;
    expect(recent).toHaveLength(3);
    expect(recent[0]).toMatchObject({ channel: 'email', test: false, content: { subject: expect.stringMatching(/^Hi b \d$/) } });
    // The workspace with a provider kept nothing in its sandbox.
    expect((await owner('GET', `${ws()}/channels/email/recent`)).body).toEqual([]);
  });

  it('a sandbox send test is kept among the recent messages; a provider send test returns its answer', async () => {
    const viaProvider = await owner('POST', `${ws()}/channels/email/test`, { to: 'qa@acme.example', content: { subject: 'Check', html: '<p>Check</p>' } });
    expect(viaProvider.body).toMatchObject({ ok: true, sandbox: false, response: '250 2.0.0 Ok: queued', rendered: { subject: '[Test] Check' } });
    const sms = await owner('POST', `${ws()}/channels/sms/test`, { to: '+15550100', content: { text: 'Hello' } });
    expect(sms.body).toMatchObject({ ok: true, sandbox: true, rendered: { text: '[Test] Hello' } });
    const recent = (await owner('GET', `${ws()}/channels/sms/recent`)).body;
    expect(recent[0]).toMatchObject({ id: sms.body.id, to: '+15550100', test: true, content: { text: '[Test] Hello' } });
  });

  it('spaces sends at the provider rate limit', async () => {
    const rate = 20;
    await owner('PUT', `${ws()}/providers/email`, { ...smtp, settings: { ...smtp.settings, ratePerSecond: rate } });
    const { id } = await rt.publish(mailJourney('Paced'));
    const batch = Array.from({ length: 15 }, (_, i) => [
      { type: 'identify', userId: `p${i}`, messageId: `id-p${i}`, traits: { first_name: `P${i}`, email: `p${i}@example.com` } },
      { type: 'track', userId: `p${i}`, event: 'Paced', messageId: `paced-${i}` },
    ]).flat();
    const before = sent.length;
    expect((await rt.ingest('batch', { batch })).status).toBe(200);
    await rt.eventually(async () => {
      const list = await rt.messagesOf(id);
      return list.filter((m) => m.status === 'sent').length === 15;
    });
    const times = sent
      .slice(before)
      .map((m) => m.at)
      .sort((a, b) => a - b);
    // The limiter hands out slots 1/rate s apart: 15 sends cannot take less than 14 gaps (a lower bound, not a timing threshold).
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual((14 * 1_000) / rate - 5);
  });
});
