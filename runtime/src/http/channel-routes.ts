import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { SendTestRequest, type ChannelStatus, type SendTestResult } from '@waymark/shared';
import type { Channel } from '../channels/channel.ts';
import { PermanentDeliveryError } from '../channels/channel.ts';
import type { Db } from '../db/database.ts';
import { audit } from '../services/audit.ts';
import type { ProviderChannels } from '../services/providers/provider-channels.ts';
import { listProviders, loaded, providerRow } from '../services/providers/provider-store.ts';
import { recentSandboxed, rememberSandboxed } from '../services/providers/sandbox-recent.ts';
import type { SecretBox } from '../services/secrets/secret-box.ts';
import { actorOf } from '../services/auth/principal.ts';
import { ApiError } from './api-error.ts';
import { invalidRequest } from './invalid-request.ts';
import { needs, type AuthEnv } from './management-auth.ts';

/**
 * `/api/workspaces/:workspaceId/channels`: what each channel sends through (the workspace's
 * provider, else the sandbox), the sandbox's recent messages, and "send test" (marked as a test
 * where the recipient sees it) with the provider's answer and the message as it left.
 */
export function channelRoutes(db: Db, channels: Record<string, Channel>, providers?: { box: SecretBox; channels: ProviderChannels }) {
  const app = new Hono<AuthEnv>();
  /** The adapter "send test" uses: the workspace's provider when it has one for the channel. */
  const adapterOf = async (workspaceId: string, name: string): Promise<{ adapter: Channel; kind: string | null } | undefined> => {
    const fallback = Object.hasOwn(channels, name) ? channels[name] : undefined;
    if (!fallback) return undefined;
    const row = providers && (name === 'email' || name === 'sms' || name === 'push') ? await providerRow(db, workspaceId, name) : undefined;
    return row && providers ? { adapter: providers.channels.adapterFor(loaded(providers.box, row)), kind: row.kind } : { adapter: fallback, kind: null };
  };
  // One read of the workspace's providers; no adapter is built just to list them.
  app.get('/', async (c) => {
    const kinds = new Map(providers ? (await listProviders(db, c.get('workspaceId'))).map((row) => [row.channel, row.kind]) : []);
    return c.json(
      Object.entries(channels).map(([channel, adapter]): ChannelStatus => {
        const kind = kinds.get(channel) ?? null;
        return { channel, provider: kind ? 'provider' : adapter.recordsOnly ? (channel === 'in-app' ? 'inbox' : 'sandbox') : channel === 'webhook' ? 'webhook' : 'provider', kind };
      }),
    );
  });
  app.get('/:channel/recent', async (c) => {
    const name = c.req.param('channel');
    if (!Object.hasOwn(channels, name)) throw new ApiError(404, 'channel-not-found', `There is no "${name}" channel; the channels are ${Object.keys(channels).join(', ')}.`, { field: 'channel' });
    return c.json(await recentSandboxed(db, c.get('workspaceId'), name));
  });
  app.post('/:channel/test', needs('editor'), zValidator('json', SendTestRequest, invalidRequest), async (c) => {
    const name = c.req.param('channel');
    const workspaceId = c.get('workspaceId');
    const { adapter } = (await adapterOf(workspaceId, name)) ?? {};
    if (!adapter) throw new ApiError(404, 'channel-not-found', `There is no "${name}" channel; the channels are ${Object.keys(channels).join(', ')}.`, { field: 'channel' });
    const { to, content } = c.req.valid('json');
    const id = `test-${crypto.randomUUID()}`;
    const rendered = markedAsTest(name, content);
    // Audited whether it reaches anyone or not: a test send is a message leaving in the workspace's name.
    const record = (result: string) => audit(db, { workspaceId, actor: actorOf(c.get('principal')), action: 'channel.test-send', target: name, details: { to: to ?? null, result } });
    try {
      const sent = await adapter.send({ id, workspaceId, channel: name, to: to ?? null, content: rendered, customerId: 'test' });
      await record('sent');
      // The sandbox keeps the test among its recent messages, so it is never a black hole.
      if (adapter.recordsOnly) await rememberSandboxed(db, name, [{ workspaceId, entry: { id, at: new Date().toISOString(), to: to ?? null, content: rendered, test: true } }]);
      const result: SendTestResult = { ok: true, id, providerId: sent.providerId ?? null, sandbox: Boolean(adapter.recordsOnly), response: sent.response ?? null, rendered };
      return c.json(result);
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      await record(permanent ? 'refused' : 'failed');
      throw new ApiError(permanent ? 422 : 502, 'send-failed', `The test ${name} message was not sent: ${(error as Error).message}.`, { permanent });
    }
  });
  return app;
}

/** Where each channel shows a test as one: the text its recipient reads first. */
const testMarks: Record<string, string> = { email: 'subject', sms: 'text', push: 'title', 'in-app': 'title' };

/**
 * A test message says so: "[Test] " before the email's subject, the SMS text, the push or in-app
 * title; a webhook carries `Waymark-Test: true` (replacing the author's header of that name in any
 * case). Content of another shape goes as it is, for the adapter to refuse.
 */
function markedAsTest(channel: string, content: Record<string, unknown>): Record<string, unknown> {
  if (channel === 'webhook') {
    const { headers } = content;
    if (headers !== undefined && (typeof headers !== 'object' || headers === null || Array.isArray(headers))) return content;
    const kept = Object.entries(headers ?? {}).filter(([header]) => header.toLowerCase() !== 'waymark-test');
    return { ...content, headers: { ...Object.fromEntries(kept), 'Waymark-Test': 'true' } };
  }
  const field = Object.hasOwn(testMarks, channel) ? testMarks[channel]! : undefined;
  if (!field) return content;
  const text = content[field];
  if (text !== undefined && typeof text !== 'string') return content;
  return { ...content, [field]: text ? `[Test] ${text}` : '[Test]' };
}
