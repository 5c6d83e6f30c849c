import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import { deliverMessages, retryDelayMs, type DeliveryDeps, type DeliveryJob } from '../services/delivery/deliver-message.ts';
import { audienceQueue, planAudienceRuns, runAudience, type AudienceJob } from '../services/execution/audience.ts';
import { fireTimers, type TimerJob } from '../services/execution/fire-timers.ts';
import { deliveryQueue, timerQueue } from '../services/execution/persist-batch.ts';
import { startEventLoop } from './event-loop.ts';

/** Every minute, pg-boss's cron makes sure each live scheduled journey has its next occurrence planned. */
const planQueue = 'audience-plan';

export const channelNames = ['email', 'sms', 'push', 'webhook', 'in-app'] as const;

/** Creates the queues (idempotent); API-only processes call this too, since they send jobs. */
export async function createQueues(boss: PgBoss) {
  // Heartbeats let a crashed worker's jobs be retried within seconds rather than at expiry.
  const liveness = { heartbeatSeconds: 10, expireInSeconds: 300 };
  await boss.createQueue(timerQueue, { retryLimit: 10, retryDelay: 1, retryBackoff: true, ...liveness });
  await boss.createQueue(audienceQueue, { retryLimit: 10, retryDelay: 5, retryBackoff: true, ...liveness });
  await boss.createQueue(planQueue);
  for (const channel of channelNames) {
    // Retries of individual messages are new jobs (see below); these retries are for crashes.
    await boss.createQueue(deliveryQueue(channel), { retryLimit: 10, retryDelay: 2, retryBackoff: true, ...liveness });
  }
}

/** Runs the workers: the event loop, due timers in batches, and one delivery worker per channel. */
/** A job handler that says what went wrong before pg-boss retries it, instead of failing silently. */
function logged<T>(queue: string, handler: (jobs: T) => Promise<void>) {
  return async (jobs: T) => {
    try {
      await handler(jobs);
    } catch (error) {
      console.error(`${queue}: a batch failed and will be retried:`, error);
      throw error;
    }
  };
}

export async function startWorkers(db: Db, boss: PgBoss, clock: Clock, delivery: DeliveryDeps, options: { pollingIntervalSeconds?: number } = {}) {
  const polling = options.pollingIntervalSeconds ?? 0.5;
  const events = startEventLoop(db, boss, clock);
  await boss.work<TimerJob>(
    timerQueue,
    { batchSize: 1_000, burstWhenBatchFull: true, pollingIntervalSeconds: polling, localConcurrency: 2 },
    logged(timerQueue, async (jobs) => {
      await fireTimers(
        db,
        boss,
        clock,
        jobs.map((job) => job.data),
      );
    }),
  );
  for (const channel of channelNames) {
    // A job carries the messages one batch wrote for the channel; those to try again go into a
    // new job due after the backoff, and this one completes.
    const queue = deliveryQueue(channel);
    await boss.work<DeliveryJob>(
      queue,
      { batchSize: 4, pollingIntervalSeconds: polling, localConcurrency: 2 },
      logged(queue, async (jobs) => {
        for (const job of jobs) {
          const { retry, attempts } = await deliverMessages(db, delivery, channel, job.data.messageIds ?? (job.data.messageId ? [job.data.messageId] : []));
          if (retry.length) await boss.send(queue, { messageIds: retry }, { startAfter: new Date(clock.now() + retryDelayMs(attempts)) });
        }
      }),
    );
  }
  await boss.work<AudienceJob>(
    audienceQueue,
    { pollingIntervalSeconds: polling },
    logged(audienceQueue, async ([job]) => {
      await runAudience(db, boss, clock, job!.data.runId, (line) => console.log(line));
    }),
  );
  await boss.work(planQueue, { pollingIntervalSeconds: polling }, async () => {
    await planAudienceRuns(db, boss, clock.now());
  });
  await boss.schedule(planQueue, '* * * * *');
  await planAudienceRuns(db, boss, clock.now());
  return {
    wakeEvents: events.wake,
    async stop() {
      await events.stop();
    },
  };
}
