import { Hono } from 'hono';
import { PushSubscribeRequest, PushUnsubscribeRequest } from '@waymark/shared';
import type { Db } from '../db/database.ts';
import { pushPublicKey } from '../services/push/push-key.ts';
import { PushSubscriptionError, subscribePush, unsubscribePush } from '../services/push/push-subscriptions.ts';
import type { SecretBox } from '../services/secrets/secret-box.ts';
import { ApiError } from './api-error.ts';
import { invalidRequest } from './invalid-request.ts';
import { readStorableJsonBody } from './read-body.ts';

type Env = { Variables: { workspaceId: string } };

/** A subscription is a few hundred bytes; anything near this is not one. */
const maxBytes = 16 * 1024;

/**
 * `/v1/push` (write key): the VAPID key browsers subscribe with, and their subscriptions — stored
 * as the customer's identities and push address, with consent `subscribed`.
 */
export function pushRoutes(db: Db, box: SecretBox, now: () => number) {
  const app = new Hono<Env>();

  app.get('/key', async (c) => {
    const publicKey = await pushPublicKey(db, box, c.get('workspaceId'));
    if (!publicKey) throw new ApiError(404, 'push-not-configured', 'This workspace has no web push provider; an owner connects one in Settings → Channels → Push.');
    return c.json({ publicKey });
  });

  app.post('/subscriptions', async (c) => {
    const parsed = PushSubscribeRequest.safeParse(await readStorableJsonBody(c.req.raw, { maxBytes }));
    invalidRequest(parsed, c);
    try {
      const { customerId } = await subscribePush(db, c.get('workspaceId'), parsed.data!, now());
      return c.json({ success: true, customerId }, 201);
    } catch (error) {
      if (error instanceof PushSubscriptionError) throw new ApiError(400, 'invalid-request', `"${error.field}": ${error.message}`, { field: error.field });
      throw error;
    }
  });

  app.delete('/subscriptions', async (c) => {
    const parsed = PushUnsubscribeRequest.safeParse(await readStorableJsonBody(c.req.raw, { maxBytes }));
    invalidRequest(parsed, c);
    const removed = await unsubscribePush(db, c.get('workspaceId'), parsed.data!.endpoint, now());
    return c.json({ success: true, removed });
  });

  return app;
}
