import { sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import type { Channel } from './channels/channel.ts';
import { sandboxChannel } from './channels/sandbox-channel.ts';
import { webhookChannel } from './channels/webhook-channel.ts';
import { systemClock, type Clock } from './clock.ts';
import { openDatabase, type Database } from './db/database.ts';
import { createApp } from './http/app.ts';
import { planAudienceRuns } from './services/execution/audience.ts';
import { createGroupCommit } from './services/ingestion/group-commit.ts';
import { ingestCalls, type ReceivedCall } from './services/ingestion/ingest-calls.ts';
import { createWriteKeyCache } from './services/ingestion/write-key-cache.ts';
import { createQueues, startWorkers } from './workers/start-workers.ts';

export interface RuntimeOptions {
  databaseUrl: string;
  role?: 'api' | 'worker' | 'all';
  clock?: Clock;
  channels?: Partial<Record<string, Channel>>;
  pollingIntervalSeconds?: number;
  /** Where recipients reach this runtime (tracking and unsubscribe links); default http://localhost:3000. */
  publicUrl?: string;
  /** The built web app to serve (`web/dist`). */
  webRoot?: string;
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;

/**
 * Wires the runtime: database (migrated), pg-boss, the HTTP app and, unless `role` is `api`,
 * the workers. `stop()` drains ingestion, stops workers and closes connections.
 */
export async function createRuntime(options: RuntimeOptions) {
  const clock = options.clock ?? systemClock;
  const role = options.role ?? 'all';
  const database: Database = await openDatabase(options.databaseUrl);
  const boss = new PgBoss({ connectionString: options.databaseUrl, schema: 'pgboss', superviseIntervalSeconds: 5, ...(options.clock ? { clock: options.clock as never } : {}) });
  let stopping = false;
  boss.on('error', (error) => {
    if (!stopping) console.error('pg-boss:', error.message);
  });
  await boss.start();
  await createQueues(boss);
  if (options.clock && 'attach' in options.clock) {
    await (options.clock as { attach(target: unknown): Promise<unknown> }).attach({ db: boss.getDb(), schema: 'pgboss' });
  }
  const channels: Record<string, Channel> = {
    email: sandboxChannel,
    sms: sandboxChannel,
    push: sandboxChannel,
    'in-app': sandboxChannel,
    webhook: webhookChannel(),
    ...(options.channels as Record<string, Channel>),
  };
  const workers =
    role === 'api'
      ? null
      : await startWorkers(database.db, boss, clock, { channels, clock, publicUrl: options.publicUrl ?? 'http://localhost:3000' }, { pollingIntervalSeconds: options.pollingIntervalSeconds });
  const ingest = createGroupCommit<ReceivedCall>(async (calls) => {
    await database.db.transaction((tx) => ingestCalls(tx, calls));
    workers?.wakeEvents();
  });
  const planAudiences = () => planAudienceRuns(database.db, boss, clock.now());
  const app = createApp({
    db: database.db,
    now: () => clock.now(),
    onJourneyLive: planAudiences,
    webRoot: options.webRoot,
    channels,
    ingestion: { workspaceForKey: createWriteKeyCache(database.db), submit: (calls) => ingest.submit(calls), now: () => clock.now() },
  });
  return {
    app,
    db: database.db,
    sql: database.sql,
    boss,
    clock,
    planAudiences,
    async stop() {
      stopping = true;
      await ingest.idle();
      await workers?.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
      await database.close();
    },
    /** For tests and benchmarks: whether any event still awaits processing. */
    async pendingEvents(): Promise<number> {
      const [row] = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from event_queue`);
      return row?.n ?? 0;
    },
  };
}
