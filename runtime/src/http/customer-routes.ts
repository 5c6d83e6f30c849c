import { Hono } from 'hono';
import type { Db } from '../db/database.ts';
import { audit } from '../services/audit.ts';
import { actorOf } from '../services/auth/principal.ts';
import { customerView, deleteCustomer, searchCustomers, workspaceCatalog } from '../services/customers.ts';
import { needs, type AuthEnv } from './management-auth.ts';

/** `/api/workspaces/:workspaceId/customers`: search, the single customer view, erasure. */
export function customerRoutes(db: Db) {
  const app = new Hono<AuthEnv>();
  app.get('/', async (c) => c.json(await searchCustomers(db, c.get('workspaceId'), c.req.query('q') ?? '')));
  app.get('/catalog', async (c) => c.json(await workspaceCatalog(db, c.get('workspaceId'))));
  app.get('/:id', async (c) => c.json(await customerView(db, c.get('workspaceId'), c.req.param('id'))));
  app.delete('/:id', needs('publisher'), async (c) => {
    const workspaceId = c.get('workspaceId');
    const id = c.req.param('id');
    await deleteCustomer(db, workspaceId, id, (tx) => audit(tx, { workspaceId, actor: actorOf(c.get('principal')), action: 'customer.delete', target: id }));
    return c.body(null, 204);
  });
  return app;
}
