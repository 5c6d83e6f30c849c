import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { PgBoss } from 'pg-boss';
import { type Outbox, outboxOf } from '../services/execution/persist-batch.ts';
import type { Channel } from '../channels/channel.ts';
import type { Clock } from '../clock.ts';
import { isDataError, isTransientDatabaseError } from '../db/database-errors.ts';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { logErrorOnce } from '../log.ts';
import { PreviewError } from '../services/preview/preview-error.ts';
import { createPreviewRunner } from '../services/preview/preview-runner.ts';
import type { ProviderChannels } from '../services/providers/provider-channels.ts';
import type { SecretBox } from '../services/secrets/secret-box.ts';
import { ApiError, unavailable } from './api-error.ts';
import { addressGuard } from './address-guard.ts';
import { analyticsRoutes } from './analytics-routes.ts';
import { guardBody } from './body-guard.ts';
import { channelRoutes } from './channel-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { deadLetterRoutes } from './dead-letter-routes.ts';
import { createDraining, type Draining } from './draining.ts';
import { type IngestionDeps, ingestionRoutes } from './ingestion-routes.ts';
import { journeyRoutes } from './journey-routes.ts';
import { type AuthEnv, authenticate, inWorkspace, sessionCookie } from './management-auth.ts';
import { messageRoutes } from './message-routes.ts';
import { openApiDocument } from './openapi.ts';
import { previewApiError, previewRoutes } from './preview-routes.ts';
import { type Exposure, sameOriginWrites } from './request-origin.ts';
import { securityHeaders } from './security-headers.ts';
import { providerRoutes } from './provider-routes.ts';
import { sessionRoutes } from './session-routes.ts';
import { smsCallbackRoutes } from './sms-callback-routes.ts';
import { testCustomerRoutes } from './test-customer-routes.ts';
import { trackingRoutes } from './tracking-routes.ts';
import { segmentRoutes } from './segment-routes.ts';
import { webRoutes } from './web-routes.ts';
import { workspaceAdminRoutes, workspaceListRoutes } from './workspace-routes.ts';

export interface AppDeps {
  db: Db;
  boss: PgBoss;
  /** Where enrollments made through the API queue their messages (default: from `channels` and `providers`). */
  outbox?: Outbox;
  clock: Clock;
  ingestion: IngestionDeps;
  /** Seals the secrets the database keeps (webhook signing secrets). */
  box: SecretBox;
  /** Public URL and proxy trust: Secure cookies, client addresses, same-origin checks. */
  exposure: Exposure;
  /** Called after a journey goes live (publish, resume): plans scheduled audiences at once. */
  onJourneyLive?: () => Promise<unknown>;
  /** Drops a workspace's cached webhook policy after its settings or signing secrets change. */
  onWebhookPolicyChange?: (workspaceId: string) => void;
  /** The built web app (`web/dist`), served at every path the APIs do not own. */
  webRoot?: string;
  /** The channel adapters, for the settings screen's "send test". */
  channels?: Record<string, Channel>;
  /** The workspaces' providers (SMTP, SMS, web push) as adapters: "send test" goes through them. */
  providers?: ProviderChannels;
  /** Shared with the process's shutdown, which drains the app before stopping anything else. */
  draining?: Draining;
}

/** Body limits: management calls (a 1,000-node journey is about 1 MB), sign-in, recipients' links. */
const apiBytes = 5 * 1024 * 1024;
const signInBytes = 16 * 1024;
const trackingBytes = 16 * 1024;

/** The HTTP app: ingestion under /v1, recipients' links under /t, management under /api; one error handler. */
export function createApp(deps: AppDeps) {
  const { db, clock } = deps;
  const now = () => clock.now();
  const publicUrl = deps.exposure.publicUrl ?? 'http://localhost:3000';
  const draining = deps.draining ?? createDraining();
  const app = new Hono();
  app.use('*', draining.middleware);
  app.use('*', securityHeaders());
  app.get('/health', (c) => c.json({ ok: true }));
  // Before the ingestion API: providers post here without a write key, signed instead.
  app.route('/v1/providers', smsCallbackRoutes(db, deps.box, publicUrl, now));
  app.route('/v1', ingestionRoutes(deps.ingestion, { db, box: deps.box }));
  app.use('/api/*', addressGuard());
  app.use('/t/*', guardBody({ maxBytes: trackingBytes, json: false }));
  app.route('/t', trackingRoutes(db, now, deps.box));
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));
  app.use(
    '/api/*',
    sameOriginWrites(deps.exposure, (c) => getCookie(c, sessionCookie) !== undefined || c.req.path === '/api/sessions'),
  );
  app.use('/api/sessions', guardBody({ maxBytes: signInBytes }));
  app.use('/api/*', guardBody({ maxBytes: apiBytes }));
  app.route('/api/sessions', sessionRoutes(db, now, deps.exposure));

  const api = new Hono<AuthEnv>();
  api.use('*', authenticate(db, now));
  api.get('/me', async (c) => {
    const principal = c.get('principal');
    if (principal.kind === 'token') return c.json({ kind: 'token', workspaceId: principal.workspaceId, role: principal.role });
    const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, principal.userId));
    return c.json({ kind: 'user', ...user });
  });
  api.route('/workspaces', workspaceListRoutes(db, deps.box));
  const workspace = new Hono<AuthEnv>();
  workspace.use('*', inWorkspace(db));
  workspace.route('/journeys', journeyRoutes(db, now, deps.boss, deps.outbox ?? outboxOf(deps.boss, deps.channels ?? {}, Boolean(deps.providers)), deps.onJourneyLive));
  workspace.route('/journeys', previewRoutes(db, now, createPreviewRunner()));
  workspace.route('/journeys', analyticsRoutes(db));
  workspace.route('/test-customers', testCustomerRoutes(db));
  workspace.route('/segments', segmentRoutes(db, deps.boss, now));
  workspace.route('/customers', customerRoutes(db, now));
  workspace.route('/messages', messageRoutes(db, now));
  workspace.route('/channels', channelRoutes(db, deps.channels ?? {}, deps.providers && { box: deps.box, channels: deps.providers }));
  workspace.route('/providers', providerRoutes(db, deps.box, now, publicUrl));
  workspace.route('/dead-letters', deadLetterRoutes(db, deps.boss, clock));
  workspace.route('/', workspaceAdminRoutes(db, { box: deps.box, now, onWebhookPolicyChange: deps.onWebhookPolicyChange ?? (() => {}) }));
  api.route('/workspaces/:workspaceId', workspace);
  app.route('/api', api);
  app.route('/', webRoutes(deps.webRoot));

  app.notFound((c) => c.json({ error: { code: 'not-found', message: `No route for ${c.req.method} ${c.req.path}.` } }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: { code: 'http-error', message: error.message } }, error.status);
    // Data errors (22xxx) mean the input had a value PostgreSQL refuses: the client's to fix, a 400.
    const known =
      error instanceof ApiError
        ? error
        : error instanceof PreviewError
          ? previewApiError(error)
          : isTransientDatabaseError(error)
            ? unavailable('The database is not reachable right now; the request was not applied. Send it again shortly.', 2)
            : isDataError(error)
              ? new ApiError(400, 'invalid-value', 'A value in this request cannot be stored (out of range, or not valid text); nothing was changed.')
              : null;
    if (known) return c.json({ error: { code: known.code, message: known.message, details: known.details } }, known.status, known.headers);
    logErrorOnce(`http:${c.req.method}:${c.req.routePath}:${error.message}`, error, 'request failed', { method: c.req.method, route: c.req.routePath });
    return c.json({ error: { code: 'internal', message: 'Something went wrong on our side; the request was not applied. Retry it.' } }, 500);
  });
  return app;
}
