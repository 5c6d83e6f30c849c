import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/** Paths the APIs own: never answered with the web app, so a wrong API path stays a JSON 404. */
const apiPaths = /^\/(api|v1|t)(\/|$)|^\/health$/;
/** Files of the browser script (`web/src/sdk/`), built beside the app. */
const sdkFiles = ['/sdk.js', '/waymark-sw.js'];

/**
 * The built web app: its files (hashed assets cached for a year), and `index.html` for every other
 * GET so the app's own routes survive a reload; `/sdk.js` and `/waymark-sw.js` for other sites. Without a
 * build, `/` says how to make one.
 */
export function webRoutes(webRoot: string | undefined) {
  const app = new Hono();
  const built = webRoot !== undefined && existsSync(join(webRoot, 'index.html'));
  if (!built) {
    app.get('/', (c) =>
      c.html(
        '<!doctype html><meta charset="utf-8"><title>Waymark</title><body style="font-family:system-ui;max-width:36rem;margin:4rem auto">' +
          '<h1>Waymark is running</h1><p>The API is at <code>/api</code> (described at <a href="/api/openapi.json">/api/openapi.json</a>) and ingestion at <code>/v1</code>. ' +
          'The builder has not been built: run <code>pnpm --filter @waymark/web build</code>, then restart.</p>',
      ),
    );
    return app;
  }
  // The browser script and its service worker: other sites load them, so they may be read from any
  // origin, and a new build reaches those sites within five minutes. Never the app's index.html.
  for (const path of sdkFiles) {
    app.get(path, async (c, next) => {
      await next();
      if (c.res.status !== 200) return;
      c.res.headers.set('content-type', 'text/javascript; charset=utf-8');
      c.res.headers.set('cache-control', 'public, max-age=300');
      c.res.headers.set('cross-origin-resource-policy', 'cross-origin');
    });
    app.get(path, serveStatic({ root: webRoot }));
    app.get(path, (c) => c.text(`${path} has not been built: run pnpm --filter @waymark/web build, then restart.`, 404));
  }
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.res.headers.set('cache-control', 'public, max-age=31536000, immutable');
  });
  app.use('/assets/*', serveStatic({ root: webRoot }));
  app.use('*', async (c, next) => (c.req.method === 'GET' && !apiPaths.test(c.req.path) ? serveStatic({ root: webRoot })(c, next) : next()));
  app.get('*', async (c, next) => (apiPaths.test(c.req.path) ? next() : serveStatic({ root: webRoot, path: 'index.html' })(c, next)));
  return app;
}
