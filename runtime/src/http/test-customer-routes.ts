import { zValidator } from '@hono/zod-validator';
import { SaveTestCustomerRequest } from '@waymark/shared';
import { Hono } from 'hono';
import type { Db } from '../db/database.ts';
import { actorOf } from '../services/auth/principal.ts';
import { createTestCustomer, deleteTestCustomer, listTestCustomers, updateTestCustomer } from '../services/preview/test-customers.ts';
import { invalidRequest } from './invalid-request.ts';
import { type AuthEnv, needs } from './management-auth.ts';
import { paging } from './params.ts';

/** `/api/workspaces/:workspaceId/test-customers`: customers written for previews, saved per workspace; editors save, everyone reads. */
export function testCustomerRoutes(db: Db) {
  const app = new Hono<AuthEnv>();
  app.get('/', async (c) =>
    c.json(
      await listTestCustomers(
        db,
        c.get('workspaceId'),
        paging((name) => c.req.query(name), { defaultLimit: 100 }),
      ),
    ),
  );
  app.post('/', needs('editor'), zValidator('json', SaveTestCustomerRequest, invalidRequest), async (c) =>
    c.json(await createTestCustomer(db, c.get('workspaceId'), c.req.valid('json'), actorOf(c.get('principal'))), 201),
  );
  app.put('/:id', needs('editor'), zValidator('json', SaveTestCustomerRequest, invalidRequest), async (c) =>
    c.json(await updateTestCustomer(db, c.get('workspaceId'), c.req.param('id'), c.req.valid('json'), actorOf(c.get('principal')))),
  );
  app.delete('/:id', needs('editor'), async (c) => {
    await deleteTestCustomer(db, c.get('workspaceId'), c.req.param('id'), actorOf(c.get('principal')));
    return c.body(null, 204);
  });
  return app;
}
