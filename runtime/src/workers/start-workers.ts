import { sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { type Clock, systemClock } from '../clock.ts';
import { isTransientDatabaseError } from '../db/database-errors.ts';
import type { Db } from '../db/database.ts';
import { log, logErrorOnce } from '../log.ts';
import { type DeadLetterKind, recordDeadLetter } from '../services/dead-letters/dead-letters.ts';
import { isolateFailure } from '../services/dead-letters/isolate-failure.ts';
import { type DeliveryDeps, type DeliveryJob, deliverMessages } from '../services/delivery/deliver-message.ts';
import { requeueExpiredLeases } from '../services/delivery/requeue-expired-leases.ts';
import { type AudienceJob, audienceQueue, planAudienceRuns, runAudience } from '../services/execution/audience.ts';
import { dueBatchSize, dueTimers, fireDueTimers, fireTimers, type TimerJob } from '../services/execution/fire-timers.ts';
import { type ReleaseJob, releaseHeld, releaseQueue } from '../services/execution/release-held.ts';
import { deliveryQueue, type Outbox, outboxOf, timerListeners, timerQueue, timerWakeQueue } from '../services/execution/persist-batch.ts';
import { startEventLoop } from './event-loop.ts';
import { buildSegment, foldSegmentCounts, type SegmentBuildJob, segmentBuildQueue, segmentCountFoldQueue } from '../services/segments/segment-service.ts';

/** Every minute, pg-boss's cron makes sure each live scheduled journey has its next occurrence planned. */
const planQueue = 'audience-plan';
/** Every minute, messages whose delivery handler died get a new delivery job. */
const leaseSweepQueue = 'delivery-lease-sweep';
/** Every minute, due timers whose wake-up was lost (a crash, a clock jump) are fired anyway. */
const timerSweepQueue = 'timer-sweep';

/** Where pg-boss puts jobs that failed all their retries (a crash every time): recorded as dead letters. */
const deadQueue = { timers: 'dead-timers', deliveries: 'dead-deliveries' } as const;

export const channelNames = ['email', 'sms', 'push', 'webhook', 'in-app'] as const;

/** Creates the queues (idempotent); API-only processes call this too, since they send jobs. */
export async function createQueues(boss: PgBoss) {
  // Heartbeats let a crashed worker's jobs be retried within seconds rather than at expiry.
  const liveness = { heartbeatSeconds: 10, expireInSeconds: 300 };
  for (const name of Object.values(deadQueue)) await boss.createQueue(name);
  await boss.createQueue(timerQueue, { retryLimit: 10, retryDelay: 1, retryBackoff: true, deadLetter: deadQueue.timers, ...liveness });
  // Queues created by an earlier version had no dead letter queue; createQueue leaves existing ones as they are.
  await boss.updateQueue(timerQueue, { deadLetter: deadQueue.timers });
  await boss.createQueue(audienceQueue, { retryLimit: 10, retryDelay: 5, retryBackoff: true, ...liveness });
  await boss.createQueue(planQueue);
  await boss.createQueue(leaseSweepQueue);
  // At most one wake-up queued per due second: a `short` queue keeps one queued job per singletonKey.
  await boss.createQueue(timerWakeQueue, { policy: 'short', retryLimit: 3, retryDelay: 1, ...liveness });
  await boss.createQueue(timerSweepQueue);
  await boss.createQueue(segmentCountFoldQueue);
  await boss.createQueue(segmentBuildQueue, { retryLimit: 10, retryDelay: 5, retryBackoff: true, ...liveness });
  await boss.createQueue(releaseQueue, { retryLimit: 20, retryDelay: 5, retryBackoff: true, heartbeatSeconds: 10, expireInSeconds: 3_600 });
  for (const channel of channelNames) {
    // Retries of individual messages are new jobs (see below); these retries are for crashes.
    await boss.createQueue(deliveryQueue(channel), { retryLimit: 10, retryDelay: 2, retryBackoff: true, deadLetter: deadQueue.deliveries, ...liveness });
    await boss.updateQueue(deliveryQueue(channel), { deadLetter: deadQueue.deliveries });
  }
}

/** A job handler that says what went wrong (once a minute per kind) before pg-boss retries it, instead of failing silently. */
function logged<T>(queue: string, handler: (jobs: T) => Promise<void>) {
  return async (jobs: T) => {
    try {
      await handler(jobs);
    } catch (error) {
      logErrorOnce(`job:${queue}:${(error as Error)?.message}`, error, 'a job batch failed and will be retried', { queue });
      throw error;
    }
  };
}

/**
 * Work that failed because the database was briefly away goes back as a new job half a minute
 * later: pg-boss's own retries, and after them its dead letter queue, are kept for handlers that
 * crash, so an outage does not turn due timers and messages into dead letters.
 */
async function later(boss: PgBoss, clock: Clock, queue: string, data: object[]) {
  logErrorOnce(`later:${queue}`, new Error('the database is not reachable'), 'work put back for half a minute', { queue, jobs: data.length });
  await boss.insert(
    queue,
    data.map((item) => ({ data: item, startAfter: new Date(clock.now() + 30_000) })),
  );
}

/** Sets aside one item that failed on its own, saying so in the log. */
const setAside = (db: Db, kind: DeadLetterKind) => async (ref: string, payload: Record<string, unknown>, error: unknown, attempts: number) => {
  logErrorOnce(`dead:${kind}:${(error as Error)?.message}`, error, `a ${kind} failed on its own and was set aside`, { ref, attempts });
  await recordDeadLetter(db, { kind, ref, payload, error, attempts });
};

/**
 * Fires every due timer, in two lanes of `dueBatchSize` runs per transaction, until none is due;
 * a call while a drain runs makes it go round once more instead of starting another. A batch that
 * fails on its own is split until the failing run is found, which is set aside (`giveUp`: the
 * claim passes over it until it is retried); a transient error is thrown for the wake-up job (or the sweep) to retry.
 */
function timerDrain(db: Db, outbox: Outbox, clock: Clock, giveUp: (timer: TimerJob, cause: unknown, attempts: number) => Promise<void>) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const batch = async (): Promise<number> => {
    try {
      return await fireDueTimers(db, outbox, clock);
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      const due = await dueTimers(db, clock.now());
      await isolateFailure(due, (some) => fireTimers(db, outbox, clock, some), giveUp);
      return due.length;
    }
  };
  const lane = async () => {
    while (!stopped && (await batch()) >= dueBatchSize) {}
  };
  const run = async () => {
    do {
      again = false;
      await Promise.all(Array.from({ length: timerLanes }, lane));
    } while (again && !stopped);
  };
  const drain = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = run().finally(() => {
      running = null;
    });
    return running;
  };
  /** Shutdown: no new batch starts; waits for the one in flight (its transaction commits or rolls back), whatever it ends with. */
  const stop = () => {
    stopped = true;
    return (running ?? Promise.resolve()).catch(() => {});
  };
  return Object.assign(drain, { stop });
}

/** Transactions firing due timers at once in one process (three lanes fired no faster than two: PostgreSQL is the limit). */
const timerLanes = 2;

/** How far ahead the in-process alarm is set; later timers are left to their wake-up jobs. */
const alarmHorizonMs = 5 * 60_000;

/**
 * An in-process alarm for the earliest timer this process scheduled, and after each drain for the
 * next one waiting: the drain runs at the due time itself, instead of at the due second's wake-up
 * job, found by a poll up to 1.5 s later. Only with the system clock (a test clock's time is not
 * the timers' time).
 */
function timerAlarm(drain: () => Promise<void>, nextDue: () => Promise<number | null>, clock: Clock) {
  let armedFor = Number.POSITIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const ring = () => {
    armedFor = Number.POSITIVE_INFINITY;
    // Then set again for the next timer waiting (scheduled earlier, or by another process).
    void drain()
      .then(nextDue)
      .then((at) => at !== null && alarm.set(at))
      .catch((error) => logErrorOnce('timer-alarm', error, 'firing due timers failed; the wake-up job tries again'));
  };
  const alarm = {
    set(at: number) {
      const delay = at - clock.now();
      if (stopped || clock !== systemClock || at >= armedFor || delay > alarmHorizonMs) return;
      clearTimeout(timer);
      armedFor = at;
      // A few milliseconds late, so the runs are due by the database's comparison too.
      timer = setTimeout(ring, Math.max(0, delay) + 5);
      timer.unref();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
  return alarm;
}

/** When the next timer is due after now (from the index of due runs), or null when none waits. */
async function nextDueTimer(db: Db, clock: Clock): Promise<number | null> {
  const [row] = await db.execute<{ at: number | null }>(sql`select (extract(epoch from min(due_at)) * 1000)::float8 as at from progress where due_at > ${new Date(clock.now()).toISOString()}`);
  return row?.at == null ? null : Number(row.at);
}

/** Runs the workers: the event loop, due timers in batches, and one delivery worker per channel. */
export async function startWorkers(db: Db, boss: PgBoss, clock: Clock, delivery: DeliveryDeps, options: { pollingIntervalSeconds?: number } = {}) {
  const polling = options.pollingIntervalSeconds ?? 0.5;
  // Messages of channels that deliver nothing (the sandbox, the in-app inbox) are recorded as sent
  // in the transaction that queues them: no delivery job, no second write of the message.
  const outbox = outboxOf(boss, delivery.channels, Boolean(delivery.providers));
  const events = startEventLoop(db, outbox, clock);
  const timerDead = setAside(db, 'timer');
  const drainTimers = timerDrain(db, outbox, clock, (timer, cause, attempts) => timerDead(`${timer.progressId}:${timer.timerId}`, { ...timer }, cause, attempts));
  // Timers are the runs' due times; a wake-up at each due second, a sweep every minute, and one
  // drain at start (whatever came due while no worker ran) fire them.
  const alarm = timerAlarm(drainTimers, () => nextDueTimer(db, clock), clock);
  // After every drain the alarm is set for the next timer waiting, wherever it was scheduled.
  const drainAndSet = async () => {
    await drainTimers();
    const next = await nextDueTimer(db, clock);
    if (next !== null) alarm.set(next);
  };
  await boss.work(timerWakeQueue, { pollingIntervalSeconds: polling, batchSize: 100 }, logged(timerWakeQueue, drainAndSet));
  await boss.work(timerSweepQueue, { pollingIntervalSeconds: polling }, logged(timerSweepQueue, drainAndSet));
  await boss.schedule(timerSweepQueue, '* * * * *');
  void drainAndSet().catch((error) => logErrorOnce('timer-drain', error, 'firing due timers failed; the sweep tries again within a minute'));
  timerListeners.add(alarm.set);
  await boss.work<TimerJob>(
    timerQueue,
    { batchSize: 1_000, burstWhenBatchFull: true, pollingIntervalSeconds: polling, localConcurrency: 2 },
    logged(timerQueue, async (jobs) => {
      const timers = jobs.map((job) => job.data);
      try {
        await fireTimers(db, outbox, clock, timers);
      } catch (error) {
        try {
          if (isTransientDatabaseError(error)) throw error;
          // One bad run must not hold back the others due with it: find it, set it aside.
          await isolateFailure(
            timers,
            (some) => fireTimers(db, outbox, clock, some),
            (timer, cause, attempts) => timerDead(`${timer.progressId}:${timer.timerId}`, { ...timer }, cause, attempts),
          );
        } catch (again) {
          if (!isTransientDatabaseError(again)) throw again;
          await later(boss, clock, timerQueue, timers);
        }
      }
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
          try {
            const { retry, delayMs } = await deliverMessages(db, delivery, channel, job.data.messageIds ?? (job.data.messageId ? [job.data.messageId] : []));
            if (retry.length) await boss.send(queue, { messageIds: retry }, { startAfter: new Date(clock.now() + delayMs) });
          } catch (error) {
            if (!isTransientDatabaseError(error)) throw error;
            await later(boss, clock, queue, [job.data]);
          }
        }
      }),
    );
  }
  // Jobs that failed every retry (the handler crashed each time) are kept where people look, not only in pg-boss.
  await boss.work<TimerJob>(deadQueue.timers, { pollingIntervalSeconds: polling, batchSize: 100 }, async (jobs) => {
    for (const job of jobs) await timerDead(`${job.data.progressId}:${job.data.timerId}`, { ...job.data }, new Error('the timer job failed every retry'), 11);
  });
  await boss.work<DeliveryJob>(deadQueue.deliveries, { pollingIntervalSeconds: polling, batchSize: 20 }, async (jobs) => {
    const dead = setAside(db, 'delivery');
    for (const job of jobs) for (const id of job.data.messageIds ?? []) await dead(id, { messageId: id }, new Error('the delivery job failed every retry'), 11);
  });
  await boss.work<AudienceJob>(
    audienceQueue,
    { pollingIntervalSeconds: polling },
    logged(audienceQueue, async ([job]) => {
      await runAudience(db, outbox, clock, job!.data.runId, (line) => log.info(line));
    }),
  );
  await boss.work<SegmentBuildJob>(
    segmentBuildQueue,
    { pollingIntervalSeconds: polling },
    logged(segmentBuildQueue, async ([job]) => {
      await buildSegment(db, () => clock.now(), job!.data);
    }),
  );
  await boss.work(planQueue, { pollingIntervalSeconds: polling }, async () => {
    await planAudienceRuns(db, boss, clock.now());
  });
  await boss.schedule(planQueue, '* * * * *');
  await boss.work(leaseSweepQueue, { pollingIntervalSeconds: polling }, async () => {
    await requeueExpiredLeases(db, boss, clock.now());
  });
  await boss.schedule(leaseSweepQueue, '* * * * *');
  await boss.work(segmentCountFoldQueue, { pollingIntervalSeconds: polling }, async () => {
    await foldSegmentCounts(db);
  });
  await boss.schedule(segmentCountFoldQueue, '*/10 * * * *');
  await boss.work<ReleaseJob>(
    releaseQueue,
    { pollingIntervalSeconds: polling },
    logged(releaseQueue, async ([job]) => {
      await releaseHeld(db, outbox, clock, job!.data.journeyId);
    }),
  );
  await planAudienceRuns(db, boss, clock.now());
  return {
    wakeEvents: events.wake,
    async stop() {
      timerListeners.delete(alarm.set);
      alarm.stop();
      await events.stop();
      await drainTimers.stop();
    },
  };
}
