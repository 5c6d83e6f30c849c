import { Hono } from 'hono';
import { zValidator } from '@hono/zod-validator';
import { and, eq } from 'drizzle-orm';
import { MessageEngagementRequest } from '@waymark/shared';
import type { Db } from '../db/database.ts';
import { messages } from '../db/schema.ts';
import { recordEngagement } from '../services/engagement/record-engagement.ts';
import { ApiError } from './api-error.ts';
import { invalidRequest } from './invalid-request.ts';
import { needs, type AuthEnv } from './management-auth.ts';

/** `/api/workspaces/:workspaceId/messages`: one message, and engagement reported from outside. */
export function messageRoutes(db: Db, now: () => number) {
  const app = new Hono<AuthEnv>();
  const find = async (workspaceId: string, id: string) => {
    const [message] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id)));
    if (!message) throw new ApiError(404, 'message-not-found', `No message ${id} in this workspace.`, { field: 'id' });
    return message;
  };
  app.get('/:id', async (c) => c.json(await find(c.get('workspaceId'), c.req.param('id'))));
  // Provider receipts (delivered) and engagement seen elsewhere; first time counts, repeats are no-ops.
  app.post('/:id/engagement', needs('editor'), zValidator('json', MessageEngagementRequest, invalidRequest), async (c) => {
    const message = await find(c.get('workspaceId'), c.req.param('id'));
    return c.json(await recordEngagement(db, message.id, c.req.valid('json').kind, now()));
  });
  return app;
}
