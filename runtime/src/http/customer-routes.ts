import { zValidator } from '@hono/zod-validator';
import { CustomerImportRequest, CustomerListQuery, TimelineQuery } from '@waymark/shared';
import { Hono } from 'hono';
import type { Db } from '../db/database.ts';
import { audit } from '../services/audit.ts';
import { actorOf } from '../services/auth/principal.ts';
import { customerTimeline } from '../services/customers/customer-timeline.ts';
import { customerView } from '../services/customers/customer-view.ts';
import { deleteCustomer } from '../services/customers/delete-customer.ts';
import { findCustomer } from '../services/customers/find-customer.ts';
import { importCustomers } from '../services/customers/import-customers.ts';
import { listCustomers } from '../services/customers/list-customers.ts';
import { messageDetail } from '../services/customers/message-detail.ts';
import { runPath } from '../services/customers/run-path.ts';
import { runReplay } from '../services/customers/run-replay.ts';
import { workspaceCatalog } from '../services/customers/workspace-catalog.ts';
import { idempotencyKeyOf } from './params.ts';
import { invalidRequest } from './invalid-request.ts';
import { type AuthEnv, needs } from './management-auth.ts';

/** `/api/workspaces/:workspaceId/customers`: the paged, filtered list, the single customer view (timeline, runs, messages), a run replayed as a preview, erasure, import. */
export function customerRoutes(db: Db, now: () => number) {
  const app = new Hono<AuthEnv>();
  app.get('/', zValidator('query', CustomerListQuery, invalidRequest), async (c) => c.json(await listCustomers(db, c.get('workspaceId'), c.req.valid('query'))));
  // Up to 1,000 rows stored as identify calls (imported profiles update segments and can start journeys, hence publisher); each row's outcome in order.
  app.post('/import', needs('publisher'), zValidator('json', CustomerImportRequest, invalidRequest), async (c) => {
    const body = c.req.valid('json');
    const request = { ...body, idempotencyKey: idempotencyKeyOf(c.req.header('idempotency-key'), body.idempotencyKey) };
    return c.json(await importCustomers(db, now(), c.get('workspaceId'), request, actorOf(c.get('principal'))));
  });
  app.get('/catalog', async (c) => c.json(await workspaceCatalog(db, c.get('workspaceId'))));
  app.get('/:id', async (c) => c.json(await customerView(db, c.get('workspaceId'), c.req.param('id'))));
  app.get('/:id/timeline', zValidator('query', TimelineQuery, invalidRequest), async (c) => {
    const customer = await findCustomer(db, c.get('workspaceId'), c.req.param('id'));
    return c.json(await customerTimeline(db, customer.id, c.req.valid('query')));
  });
  app.get('/:id/runs/:runId', async (c) => c.json(await runPath(db, c.get('workspaceId'), c.req.param('id'), c.req.param('runId'))));
  app.get('/:id/runs/:runId/replay', async (c) => c.json(await runReplay(db, c.get('workspaceId'), c.req.param('id'), c.req.param('runId'))));
  app.get('/:id/messages/:messageId', async (c) => c.json(await messageDetail(db, c.get('workspaceId'), c.req.param('id'), c.req.param('messageId'))));
  app.delete('/:id', needs('publisher'), async (c) => {
    const workspaceId = c.get('workspaceId');
    const id = c.req.param('id');
    await deleteCustomer(db, workspaceId, id, (tx) => audit(tx, { workspaceId, actor: actorOf(c.get('principal')), action: 'customer.delete', target: id }));
    return c.body(null, 204);
  });
  return app;
}
