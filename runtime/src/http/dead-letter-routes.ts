import { zValidator } from '@hono/zod-validator';
import { RetryDeadLettersRequest } from '@waymark/shared';
import { Hono } from 'hono';
import type { PgBoss } from 'pg-boss';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { audit } from '../services/audit.ts';
import { actorOf } from '../services/auth/principal.ts';
import { type DeadLetterKind, listDeadLetters, retryDeadLetters } from '../services/dead-letters/dead-letters.ts';
import { ApiError } from './api-error.ts';
import { invalidRequest } from './invalid-request.ts';
import { type AuthEnv, needs } from './management-auth.ts';
import { paging } from './params.ts';

const kinds: DeadLetterKind[] = ['event', 'timer', 'delivery'];

/** `/api/workspaces/:workspaceId/dead-letters`: work set aside after failing on its own, and putting it back after a fix. */
export function deadLetterRoutes(db: Db, boss: PgBoss, clock: Clock) {
  const app = new Hono<AuthEnv>();
  app.get('/', async (c) => {
    const kind = c.req.query('kind');
    if (kind !== undefined && !kinds.includes(kind as DeadLetterKind)) throw new ApiError(400, 'invalid-request', `"kind" must be one of ${kinds.join(', ')}.`, { field: 'kind' });
    const open = c.req.query('status') !== 'all';
    return c.json(await listDeadLetters(db, c.get('workspaceId'), { kind: kind as DeadLetterKind | undefined, open, ...paging((name) => c.req.query(name)) }));
  });
  app.post('/retry', needs('publisher'), zValidator('json', RetryDeadLettersRequest, invalidRequest), async (c) => {
    const { ids } = c.req.valid('json');
    const workspaceId = c.get('workspaceId');
    const retried = await retryDeadLetters(db, boss, clock, workspaceId, ids, (tx, count) =>
      audit(tx, { workspaceId, actor: actorOf(c.get('principal')), action: 'dead-letters.retry', target: workspaceId, details: { ids, retried: count } }),
    );
    return c.json({ retried });
  });
  return app;
}
