import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { eq } from 'drizzle-orm';
import { ApiError } from './api-error.ts';
import type { Channel } from '../channels/channel.ts';
import { channelRoutes } from './channel-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { ingestionRoutes, type IngestionDeps } from './ingestion-routes.ts';
import { journeyRoutes } from './journey-routes.ts';
import { authenticate, inWorkspace, type AuthEnv } from './management-auth.ts';
import { openApiDocument } from './openapi.ts';
import { messageRoutes } from './message-routes.ts';
import { sessionRoutes } from './session-routes.ts';
import { trackingRoutes } from './tracking-routes.ts';
import { webRoutes } from './web-routes.ts';
import { workspaceAdminRoutes, workspaceListRoutes } from './workspace-routes.ts';

export interface AppDeps {
  db: Db;
  now(): number;
  ingestion: IngestionDeps;
  /** Called after a journey goes live (publish, resume): plans scheduled audiences at once. */
  onJourneyLive?: () => Promise<unknown>;
  /** The built web app (`web/dist`), served at every path the APIs do not own. */
  webRoot?: string;
  /** The channel adapters, for the settings screen's "send test". */
  channels?: Record<string, Channel>;
}

/** The HTTP app: ingestion under /v1, recipients' links under /t, management under /api; one error handler. */
export function createApp(deps: AppDeps) {
  const { db, now } = deps;
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true }));
  app.route('/v1', ingestionRoutes(deps.ingestion));
  app.route('/t', trackingRoutes(db, now));
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));
  app.route('/api/sessions', sessionRoutes(db, now));

  const api = new Hono<AuthEnv>();
  api.use('*', authenticate(db, now));
  api.get('/me', async (c) => {
    const principal = c.get('principal');
    if (principal.kind === 'token') return c.json({ kind: 'token', workspaceId: principal.workspaceId, role: principal.role });
    const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, principal.userId));
    return c.json({ kind: 'user', ...user });
  });
  api.route('/workspaces', workspaceListRoutes(db));
  const workspace = new Hono<AuthEnv>();
  workspace.use('*', inWorkspace(db));
  workspace.route('/journeys', journeyRoutes(db, deps.onJourneyLive));
  workspace.route('/customers', customerRoutes(db));
  workspace.route('/messages', messageRoutes(db, now));
  workspace.route('/channels', channelRoutes(deps.channels ?? {}));
  workspace.route('/', workspaceAdminRoutes(db));
  api.route('/workspaces/:workspaceId', workspace);
  app.route('/api', api);
  app.route('/', webRoutes(deps.webRoot));

  app.notFound((c) => c.json({ error: { code: 'not-found', message: `No route for ${c.req.method} ${c.req.path}.` } }, 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json({ error: { code: error.code, message: error.message, details: error.details } }, error.status);
    if (error instanceof HTTPException) return c.json({ error: { code: 'http-error', message: error.message } }, error.status);
    console.error(error);
    return c.json({ error: { code: 'internal', message: 'Something went wrong on our side; the request was not applied. Retry it.' } }, 500);
  });
  return app;
}
