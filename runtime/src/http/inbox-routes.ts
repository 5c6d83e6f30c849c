import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { CustomerRef, InboxAction, InboxQuery } from '@waymark/shared';
import type { Db } from '../db/database.ts';
import { actOnInboxMessage } from '../services/inbox/inbox-action.ts';
import { inboxCustomer } from '../services/inbox/inbox-customer.ts';
import { listInbox } from '../services/inbox/list-inbox.ts';
import { ApiError } from './api-error.ts';
import { invalidRequest } from './invalid-request.ts';
import { readStorableJsonBody } from './read-body.ts';

type Env = { Variables: { workspaceId: string } };

/**
 * `/v1/inbox` (write key): the in-app inbox of the customer named by `userId` / `anonymousId`.
 * An unknown customer has an empty inbox (no 404: ids cannot be probed); acting on a message
 * that is not theirs is a 404.
 */
export function inboxRoutes(db: Db, now: () => number) {
  const app = new Hono<Env>();

  app.get('/', zValidator('query', InboxQuery, invalidRequest), async (c) => {
    const { userId, anonymousId, limit, before } = c.req.valid('query');
    const workspaceId = c.get('workspaceId');
    const customerId = await inboxCustomer(db, workspaceId, { userId, anonymousId });
    c.header('cache-control', 'no-store');
    return c.json(await listInbox(db, workspaceId, customerId, { limit, before }, now()));
  });

  app.post('/:id/:action', async (c) => {
    const action = InboxAction.safeParse(c.req.param('action'));
    if (!action.success) throw new ApiError(404, 'not-found', `No route for POST ${c.req.path}: the actions are ${InboxAction.options.join(', ')}.`, { field: 'action' });
    const parsed = CustomerRef.safeParse(await readStorableJsonBody(c.req.raw, { maxBytes: 16 * 1024 }));
    invalidRequest(parsed, c);
    const workspaceId = c.get('workspaceId');
    const customerId = await inboxCustomer(db, workspaceId, parsed.data!);
    if (!(await actOnInboxMessage(db, workspaceId, customerId, c.req.param('id'), action.data, now())))
      throw new ApiError(404, 'message-not-found', 'This inbox has no such message.', { field: 'id' });
    return c.json({ success: true });
  });

  return app;
}
