import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { ProviderInput } from '@waymark/shared';
import type { Db } from '../db/database.ts';
import { actorOf } from '../services/auth/principal.ts';
import { deleteProvider, listProviders, providerRow, providerView, saveProvider } from '../services/providers/provider-store.ts';
import type { SecretBox } from '../services/secrets/secret-box.ts';
import { ApiError } from './api-error.ts';
import { invalidRequest } from './invalid-request.ts';
import { needs, type AuthEnv } from './management-auth.ts';

const providerChannelNames = ['email', 'sms', 'push'];

function channelParam(channel: string): string {
  if (!providerChannelNames.includes(channel)) throw new ApiError(404, 'channel-not-found', `"${channel}" takes no provider; providers send ${providerChannelNames.join(', ')}.`, { field: 'channel' });
  return channel;
}

/**
 * `/api/workspaces/:workspaceId/providers`: the workspace's sending accounts, one per channel.
 * Reading needs a viewer (secrets show only their last characters); connecting, changing and
 * disconnecting need an owner, since they decide where customers' messages go.
 */
export function providerRoutes(db: Db, box: SecretBox, now: () => number, publicUrl: string) {
  const app = new Hono<AuthEnv>();
  app.get('/', async (c) => c.json((await listProviders(db, c.get('workspaceId'))).map((row) => providerView(box, row, publicUrl))));
  app.get('/:channel', async (c) => {
    const row = await providerRow(db, c.get('workspaceId'), channelParam(c.req.param('channel')));
    if (!row) throw new ApiError(404, 'provider-not-found', `No provider is connected for ${c.req.param('channel')}; its messages go to the sandbox.`);
    return c.json(providerView(box, row, publicUrl));
  });
  app.put('/:channel', needs('owner'), zValidator('json', ProviderInput, invalidRequest), async (c) => {
    const channel = channelParam(c.req.param('channel'));
    const row = await saveProvider(db, box, c.get('workspaceId'), channel, c.req.valid('json'), actorOf(c.get('principal')), now());
    return c.json(providerView(box, row, publicUrl));
  });
  app.delete('/:channel', needs('owner'), async (c) => {
    const channel = channelParam(c.req.param('channel'));
    if (!(await deleteProvider(db, c.get('workspaceId'), channel, actorOf(c.get('principal'))))) throw new ApiError(404, 'provider-not-found', `No provider is connected for ${channel}.`);
    return c.body(null, 204);
  });
  return app;
}
