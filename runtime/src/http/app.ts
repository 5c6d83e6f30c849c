import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from './api-error.ts';
import { ingestionRoutes, type IngestionDeps } from './ingestion-routes.ts';

export interface AppDeps {
  ingestion: IngestionDeps;
}

/** The HTTP app: ingestion under /v1, management under /api; one error handler for both. */
export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true }));
  app.route('/v1', ingestionRoutes(deps.ingestion));
  app.notFound((c) => c.json({ error: { code: 'not-found', message: `No route for ${c.req.method} ${c.req.path}.` } }, 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json({ error: { code: error.code, message: error.message, details: error.details } }, error.status);
    if (error instanceof HTTPException) return c.json({ error: { code: 'http-error', message: error.message } }, error.status);
    console.error(error);
    return c.json({ error: { code: 'internal', message: 'Something went wrong on our side; the request was not applied. Retry it.' } }, 500);
  });
  return app;
}
