import type { PgBoss } from 'pg-boss';
import { usesEventHistory } from '@waymark/shared';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../clock.ts';
import { loadActivity, loadCustomers, loadRuns } from './load-batch.ts';
import { eventLoopShare } from './event-loop-share.ts';
import { pausedJourneys } from './machines.ts';
import { persistBatch } from './persist-batch.ts';
import { advanceOrHold, createBatch } from './run-batch.ts';

export interface TimerJob {
  progressId: string;
  timerId: string;
}

/**
 * Fires a batch of due timers in one transaction. A timer whose run has moved on is ignored by
 * the engine (SPEC T2), so a job delivered twice, or late, changes nothing.
 */
export async function fireTimers(db: Db, boss: PgBoss, clock: Clock, timers: TimerJob[]): Promise<void> {
  await db.transaction(async (tx) => {
    const now = clock.now();
    const batch = createBatch();
    const runs = await loadRuns(tx, batch, { ids: [...new Set(timers.map((t) => t.progressId))] });
    await loadCustomers(
      tx,
      batch,
      runs.map((r) => r.progress.customerId),
      now,
      { history: runs.some((r) => usesEventHistory(r.machine)) },
    );
    const activity = await loadActivity(
      tx,
      runs.map((r) => r.progress.id),
    );
    batch.paused = await pausedJourneys(
      tx,
      runs.map((r) => r.journeyId),
    );
    const yieldNow = eventLoopShare();
    for (const timer of timers) {
      await yieldNow();
      const run = batch.runs.get(timer.progressId);
      if (!run || !batch.customers.has(run.progress.customerId)) continue;
      // A paused journey keeps only the timer its run waits on (an outdated one changes nothing anyway).
      if (batch.paused.has(run.journeyId) && run.progress.position?.timerId !== timer.timerId) continue;
      advanceOrHold(batch, run, { type: 'timer-fired', timerId: timer.timerId }, now, activity.get(run.progress.id));
    }
    await persistBatch(tx, boss, batch, now);
  });
}
