import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import type { Channel } from './channels/channel.ts';
import { sandboxChannel } from './channels/sandbox-channel.ts';
import { smtpChannel } from './channels/smtp-channel.ts';
import { twilioChannel } from './channels/twilio-channel.ts';
import { webhookChannel } from './channels/webhook-channel.ts';
import { webPushChannel } from './channels/web-push-channel.ts';
import { systemClock, type Clock } from './clock.ts';
import { openDatabase, type Database } from './db/database.ts';
import { createApp } from './http/app.ts';
import { createDraining } from './http/draining.ts';
import { logErrorOnce } from './log.ts';
import { planAudienceRuns } from './services/execution/audience.ts';
import { outboxOf } from './services/execution/persist-batch.ts';
import { createGroupCommit } from './services/ingestion/group-commit.ts';
import { isCollision } from './db/database-errors.ts';
import { ingestCalls, type ReceivedCall } from './services/ingestion/ingest-calls.ts';
import { createWriteKeyCache } from './services/ingestion/write-key-cache.ts';
import type { ProviderKind } from '@waymark/shared';
import { type AdapterFactory, createProviderChannels } from './services/providers/provider-channels.ts';
import { createSecretBox } from './services/secrets/secret-box.ts';
import { createWebhookPolicies } from './services/webhooks/signing-secrets.ts';
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
  /** The 32-byte key that seals secrets kept in the database; a random one per runtime when absent (tests). */
  secretKey?: Buffer;
  /** Replaces the adapters built for providers of some kinds (tests: a recording SMTP adapter). */
  providerAdapters?: Partial<Record<ProviderKind, AdapterFactory>>;
  /** Proxies in front whose X-Forwarded-For / -Proto are trusted (default 0). */
  trustProxy?: number;
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
    if (!stopping) logErrorOnce(`pg-boss:${error.message}`, error, 'pg-boss reported an error');
  });
  await boss.start();
  await createQueues(boss);
  // A test clock pushes its time into pg-boss's schema; released on stop, so a test can start
  // another runtime on the same clock (a restart).
  const clockHandle =
    options.clock && 'attach' in options.clock
      ? await (options.clock as { attach(target: unknown): Promise<{ [Symbol.asyncDispose]?: () => Promise<void> }> }).attach({ db: boss.getDb(), schema: 'pgboss' })
      : null;
  const box = createSecretBox(options.secretKey ?? randomBytes(32));
  const webhookPolicies = createWebhookPolicies(database.db, box, () => clock.now());
  const channels: Record<string, Channel> = {
    email: sandboxChannel,
    sms: sandboxChannel,
    push: sandboxChannel,
    'in-app': sandboxChannel,
    webhook: webhookChannel({ policyFor: webhookPolicies.policyFor, now: () => clock.now() }),
    ...(options.channels as Record<string, Channel>),
  };
  const publicUrl = options.publicUrl ?? 'http://localhost:3000';
  const providers = createProviderChannels(database.db, box, { smtp: smtpChannel, twilio: twilioChannel, 'web-push': webPushChannel, ...options.providerAdapters }, publicUrl);
  const workers =
    role === 'api' ? null : await startWorkers(database.db, boss, clock, { channels, providers, clock, publicUrl, signer: box }, { pollingIntervalSeconds: options.pollingIntervalSeconds });
  // At most 64 MB of calls wait for a commit; beyond that ingestion answers 503 until the database catches up.
  const ingest = createGroupCommit<ReceivedCall>(
    async (calls) => {
      await database.db.transaction((tx) => ingestCalls(tx, calls));
      workers?.wakeEvents();
    },
    // Two groups at once: the database writes one while the next is handed over. A group that
    // collided with the other (a new customer both created, a deadlock) is written again.
    { maxWaiting: 64 * 1024 * 1024, concurrency: 2, isConflict: isCollision },
  );
  const planAudiences = () => planAudienceRuns(database.db, boss, clock.now());
  const draining = createDraining();
  const app = createApp({
    db: database.db,
    boss,
    outbox: outboxOf(boss, channels, true),
    clock,
    box,
    draining,
    exposure: { publicUrl: options.publicUrl, trustProxy: options.trustProxy ?? 0 },
    onJourneyLive: planAudiences,
    onWebhookPolicyChange: webhookPolicies.forget,
    webRoot: options.webRoot,
    channels,
    providers,
    ingestion: { workspaceForKey: createWriteKeyCache(database.db), submit: (calls, bytes) => ingest.submit(calls, bytes), now: () => clock.now() },
  });
  return {
    app,
    db: database.db,
    sql: database.sql,
    boss,
    clock,
    box,
    draining,
    planAudiences,
    async stop() {
      stopping = true;
      draining.drain();
      await ingest.idle();
      await workers?.stop();
      await clockHandle?.[Symbol.asyncDispose]?.();
      await boss.stop({ graceful: true, timeout: 10_000 });
      await providers.close();
      await database.close();
    },
    /** For tests and benchmarks: whether any event still awaits processing. */
    async pendingEvents(): Promise<number> {
      const [row] = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from event_queue`);
      return row?.n ?? 0;
    },
  };
}
