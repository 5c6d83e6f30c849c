import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { loadConfig } from './config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { createRuntime } from './runtime.ts';
import { bootstrapWorkspace } from './services/bootstrap.ts';

/** `pnpm start`: one process with the API, the workers and (once built) the web app. */
async function main() {
  // Relative paths (the embedded database's `.data/`) are taken from the project root.
  const config = loadConfig(process.env, fileURLToPath(new URL('../../', import.meta.url)));
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    console.log(`Starting the embedded PostgreSQL (data in ${config.dataDir}) …`);
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPort);
    databaseUrl = embedded.url;
  }
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const webRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const runtime = await createRuntime({ databaseUrl, role: config.role, publicUrl: url, webRoot });
  const first = await bootstrapWorkspace(runtime.db);
  // A worker answers only health checks: its API would compete with the API processes for nothing.
  const fetch =
    config.role === 'worker'
      ? (request: Request) =>
          new URL(request.url).pathname === '/health'
            ? runtime.app.fetch(request)
            : Response.json({ error: { code: 'worker-only', message: 'This process runs workers only (WAYMARK_ROLE=worker); send API calls to an api or all process.' } }, { status: 503 })
      : runtime.app.fetch;
  const server = serve({ fetch, port: config.port, hostname: config.host });
  console.log(`Waymark is running at ${url} (role: ${config.role}).`);
  if (first) {
    console.log('First start: a workspace was created. Save these now; the password is not shown again.');
    console.log(`  owner sign-in:  ${first.ownerEmail} / ${first.ownerPassword}`);
    console.log(`  write key:      ${first.writeKey}`);
    console.log(`  try it:         curl -u ${first.writeKey}: -H 'content-type: application/json' -d '{"userId":"ada","event":"signed_up"}' ${url}/v1/track`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing work in flight …`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.stop();
    await embedded?.stop();
    console.log('Waymark stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  if (error instanceof Error && error.cause) console.error('cause:', (error.cause as Error).message ?? error.cause);
  process.exit(1);
});
