import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { SendTestRequest, type ChannelStatus } from '@waymark/shared';
import type { Channel } from '../channels/channel.ts';
import { PermanentDeliveryError } from '../channels/channel.ts';
import type { Db } from '../db/database.ts';
import { audit } from '../services/audit.ts';
import { actorOf } from '../services/auth/principal.ts';
import { ApiError } from './api-error.ts';
import { invalidRequest } from './invalid-request.ts';
import { needs, type AuthEnv } from './management-auth.ts';

/** `/api/workspaces/:workspaceId/channels`: what each channel sends through, and "send test" (marked as a test where the recipient sees it). */
export function channelRoutes(db: Db, channels: Record<string, Channel>) {
  const app = new Hono<AuthEnv>();
  app.get('/', (c) =>
    c.json(Object.entries(channels).map(([channel, adapter]): ChannelStatus => ({ channel, provider: adapter.recordsOnly ? 'sandbox' : channel === 'webhook' ? 'webhook' : 'provider' }))),
  );
  app.post('/:channel/test', needs('editor'), zValidator('json', SendTestRequest, invalidRequest), async (c) => {
    const name = c.req.param('channel');
    const adapter = Object.hasOwn(channels, name) ? channels[name] : undefined;
    if (!adapter) throw new ApiError(404, 'channel-not-found', `There is no "${name}" channel; the channels are ${Object.keys(channels).join(', ')}.`, { field: 'channel' });
    const { to, content } = c.req.valid('json');
    const id = `test-${crypto.randomUUID()}`;
    const workspaceId = c.get('workspaceId');
    // Audited whether it reaches anyone or not: a test send is a message leaving in the workspace's name.
    const record = (result: string) => audit(db, { workspaceId, actor: actorOf(c.get('principal')), action: 'channel.test-send', target: name, details: { to: to ?? null, result } });
    try {
      const sent = await adapter.send({ id, workspaceId, channel: name, to: to ?? null, content: markedAsTest(name, content), customerId: 'test' });
      await record('sent');
      return c.json({ ok: true, id, providerId: sent.providerId ?? null, sandbox: Boolean(adapter.recordsOnly) });
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
