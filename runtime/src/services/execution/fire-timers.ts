import { sql } from 'drizzle-orm';
import { type Progress, timerReadsCustomer, eventHistoryNeed } from '@waymark/shared';
import type { Db, Tx } from '../../db/database.ts';
import { anyOf } from '../../db/bulk-sql.ts';
import { progress } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { loadActivity, loadCustomers, loadRuns, type StoredRun, unreadCustomer } from './load-batch.ts';
import { eventLoopShare } from './event-loop-share.ts';
import { pausedJourneys } from './machines.ts';
import { persistBatch, type Outbox } from './persist-batch.ts';
import { advanceOrHold, createBatch } from './run-batch.ts';

export interface TimerJob {
  progressId: string;
  timerId: string;
}

/**
 * A timer set aside as a dead letter (its run failed alone, again and again) stays due but is
 * passed over until someone retries it — without writing to the run, whose writes are what fail.
 */
const notSetAside = sql`not exists (select 1 from dead_letters d where d.kind = 'timer' and d.retried_at is null and d.ref = progress.id || ':' || (progress.state #>> '{position,timerId}'))`;

/** How many due runs one transaction fires. */
export const dueBatchSize = 1_000;

/**
 * Fires the timers of runs that are due (`due_at` ≤ now), oldest first, at most `limit` in one
 * transaction: the rows are claimed with `FOR UPDATE SKIP LOCKED`, so several workers (and two
 * lanes of one) share the due runs without waiting on each other, and a worker that dies
 * mid-batch leaves them due for the next. Returns how many runs were claimed.
 */
export async function fireDueTimers(db: Db, outbox: Outbox, clock: Clock, limit = dueBatchSize): Promise<number> {
  return db.transaction(async (tx) => {
    const now = clock.now();
    // The claimed rows are the runs the batch needs: read once, with the lock that claims them.
    const due = await tx.execute<StoredRun>(sql`
      select id, workspace_id as "workspaceId", journey_id as "journeyId", version, state, revision from progress
      where due_at <= ${new Date(now).toISOString()} and ${notSetAside} order by due_at limit ${limit} for update skip locked`);
    if (!due.length) return 0;
    await fireIn(
      tx,
      outbox,
      now,
      due.map((row) => ({ progressId: row.id, timerId: (row.state as Progress).position?.timerId ?? '' })),
      due,
    );
    return due.length;
  });
}

/** The due runs, oldest first, without claiming them: what a failed batch is split from. */
export async function dueTimers(db: Db, now: number, limit = dueBatchSize): Promise<TimerJob[]> {
  const rows = await db.execute<{ id: string; timer_id: string | null }>(sql`
    select id, state #>> '{position,timerId}' as timer_id from progress
    where due_at <= ${new Date(now).toISOString()} and ${notSetAside} order by due_at limit ${limit}`);
  return rows.map((row) => ({ progressId: row.id, timerId: row.timer_id ?? '' }));
}

/**
 * Fires given timers in one transaction (a failed batch split in halves, a dead letter retried,
 * a job of the per-timer queue older versions used). A timer whose run has moved on is ignored by
 * the engine (SPEC T2), so a timer fired twice, or late, changes nothing.
 */
export async function fireTimers(db: Db, outbox: Outbox, clock: Clock, timers: TimerJob[]): Promise<void> {
  await db.transaction(async (tx) => fireIn(tx, outbox, clock.now(), timers));
}

async function fireIn(tx: Tx, outbox: Outbox, now: number, timers: TimerJob[], claimed?: StoredRun[]): Promise<void> {
  const batch = createBatch();
  const runs = await loadRuns(tx, batch, claimed ? { claimed } : { ids: [...new Set(timers.map((t) => t.progressId))] });
  // Only customers whose runs will read them are loaded (a wait before an exit reads nobody); the
  // others get a record with their id alone. Their runs stay locked, so an erasure waits for this batch.
  const reading = runs.filter((r) => !r.progress.position || timerReadsCustomer(r.machine, r.progress.position));
  await loadCustomers(
    tx,
    batch,
    reading.map((r) => r.progress.customerId),
    now,
    {
      history: eventHistoryNeed(
        reading.map((r) => r.machine),
        now,
      ),
    },
  );
  const read = new Set(reading.map((r) => r.progress.customerId));
  for (const run of runs) {
    const id = run.progress.customerId;
    if (!read.has(id) && !batch.customers.has(id)) batch.customers.set(id, unreadCustomer(run.workspaceId, id));
  }
  const activity = await loadActivity(tx, runs);
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
  await persistBatch(tx, outbox, batch, now);
  // Runs that fired and did not change (held for a paused journey — the held input fires it on
  // resume —, or a timer the engine ignored) must not come due again and again.
  const unchanged = timers
    .filter((t) => {
      const run = batch.runs.get(t.progressId);
      return !run || (!run.changed && run.progress.position?.timerId === t.timerId);
    })
    .map((t) => t.progressId);
  if (unchanged.length) await tx.execute(sql`update progress set due_at = null where ${anyOf(progress.id, unchanged)} and due_at <= ${new Date(now).toISOString()}`);
}
