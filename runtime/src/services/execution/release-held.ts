import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import { type EngineInput, eventHistoryNeed } from '@waymark/shared';
import type { Clock } from '../../clock.ts';
import { anyOf, chunk } from '../../db/bulk-sql.ts';
import type { Db, Tx } from '../../db/database.ts';
import { heldInputs, journeys, messages } from '../../db/schema.ts';
import { addToNodeStats } from './node-stats.ts';
import { writeSteps } from './write-steps.ts';
import { loadActivity, loadCustomers, loadRuns } from './load-batch.ts';
import { loadMachines, machineKey } from './machines.ts';
import { deliveryQueue, persistBatch, type Outbox } from './persist-batch.ts';
import { advanceRun, createBatch } from './run-batch.ts';

/** The queue of "a journey was resumed: release what it held" jobs. */
export const releaseQueue = 'journey-release';
export interface ReleaseJob {
  journeyId: string;
}

const pageSize = 1_000;
const stale = 'the journey was paused when this was due';

/**
 * Releases what a paused journey held, after it is resumed (SPEC P2): each run gets its held
 * inputs — the timers that came due, the events that came — in the order they came, a page of
 * runs per transaction; then the messages held in the outbox go out. With `afterPause:
 * 'skip-missed'` the sends those inputs reach, and the held messages, are skipped as stale
 * instead. Stops (to go on at the next resume) if the journey is paused again meanwhile.
 */
export async function releaseHeld(db: Db, outbox: Outbox, clock: Clock, journeyId: string): Promise<void> {
  while (await db.transaction((tx) => releasePage(tx, outbox, clock, journeyId))) {
    // one page of held inputs per transaction
  }
  await db.transaction((tx) => releaseMessages(tx, outbox.boss, clock, journeyId));
}

async function isLive(tx: Tx, journeyId: string) {
  const [journey] = await tx.select({ status: journeys.status }).from(journeys).where(eq(journeys.id, journeyId));
  return journey?.status === 'live';
}

/** One page of held inputs, applied in order; false when none are left (or the journey is paused again). */
async function releasePage(tx: Tx, outbox: Outbox, clock: Clock, journeyId: string): Promise<boolean> {
  if (!(await isLive(tx, journeyId))) return false;
  const held = await tx.select().from(heldInputs).where(eq(heldInputs.journeyId, journeyId)).orderBy(asc(heldInputs.id)).limit(pageSize).for('update', { skipLocked: true });
  if (!held.length) return false;
  const now = clock.now();
  const batch = createBatch();
  const runs = await loadRuns(tx, batch, { ids: [...new Set(held.map((h) => h.progressId))] });
  await loadCustomers(
    tx,
    batch,
    runs.map((r) => r.progress.customerId),
    now,
    {
      history: eventHistoryNeed(
        runs.map((r) => r.machine),
        now,
      ),
    },
  );
  const activity = await loadActivity(tx, runs);
  for (const row of held) {
    const run = batch.runs.get(row.progressId);
    if (run?.progress.status !== 'active' || !batch.customers.has(run.progress.customerId)) continue;
    const skipSends = run.machine.settings.afterPause === 'skip-missed' ? stale : undefined;
    advanceRun(batch, run, row.input as EngineInput, now, activity.get(run.progress.id), { skipSends });
  }
  await persistBatch(tx, outbox, batch, now);
  await tx.delete(heldInputs).where(
    anyOf(
      heldInputs.id,
      held.map((h) => String(h.id)),
      'bigint',
    ),
  );
  return true;
}

/** The journey's messages held in the outbox: queued again, or with `skip-missed` skipped as stale. */
async function releaseMessages(tx: Tx, boss: PgBoss, clock: Clock, journeyId: string) {
  if (!(await isLive(tx, journeyId))) return;
  const held = await tx
    .select({ id: messages.id, version: messages.version, channel: messages.channel, workspaceId: messages.workspaceId, nodeId: messages.nodeId, progressId: messages.progressId })
    .from(messages)
    .where(and(eq(messages.journeyId, journeyId), eq(messages.status, 'held')))
    .for('update');
  if (!held.length) return;
  const machines = await loadMachines(
    tx,
    [...new Set(held.map((m) => m.version))].map((version) => ({ journeyId, version })),
  );
  const skipping = (version: number) => machines.get(machineKey(journeyId, version))?.settings.afterPause === 'skip-missed';
  const now = new Date(clock.now()).toISOString();
  const skipped = held.filter((m) => skipping(m.version));
  const sending = held.filter((m) => !skipping(m.version));
  if (skipped.length) {
    await tx
      .update(messages)
      .set({ status: 'skipped', error: stale })
      .where(
        inArray(
          messages.id,
          skipped.map((m) => m.id),
        ),
      );
    await writeSteps(
      tx,
      skipped.map((m) => ({ workspaceId: m.workspaceId, progressId: m.progressId, journeyId, version: m.version, nodeId: m.nodeId, handle: null, reason: 'skipped:paused', detail: stale, at: now })),
    );
    await addToNodeStats(
      tx,
      skipped.map((m) => ({ workspaceId: m.workspaceId, journeyId, version: m.version, nodeId: m.nodeId, metric: 'skipped:paused', count: 1 })),
      Date.parse(now),
    );
  }
  if (sending.length) {
    await tx
      .update(messages)
      .set({ status: 'queued' })
      .where(
        inArray(
          messages.id,
          sending.map((m) => m.id),
        ),
      );
    const inTx = { db: fromDrizzle(tx, sql) };
    for (const [channel, list] of Map.groupBy(sending, (m) => m.channel)) {
      for (const part of chunk(list, 500)) await boss.insert(deliveryQueue(channel), [{ data: { messageIds: part.map((m) => m.id) }, startAfter: new Date(clock.now()) }], inTx);
    }
  }
}
