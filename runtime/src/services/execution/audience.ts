import { and, asc, count, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import { type CustomerEvent, customerTimeZone, enrolledEventName, earliestZone, eventHistoryNeed, type JourneyMachine, matchesEntryRules, nextOccurrence, occurrenceIn } from '@waymark/shared';
import type { Db, Tx } from '../../db/database.ts';
import { audiencePending, audienceRuns, customers, customerSegments, journeys } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { loadCustomers } from './load-batch.ts';
import { loadMachines, machineKey, type LiveVersion } from './machines.ts';
import { eventLoopShare } from './event-loop-share.ts';
import { persistBatch, type Outbox } from './persist-batch.ts';
import { enroll, pastRuns } from './process-events.ts';
import { createBatch, type Batch, type CustomerRecord } from './run-batch.ts';
import { inSegment, segmentNumber } from '../segments/membership-sql.ts';

export const audienceQueue = 'audience';
export interface AudienceJob {
  runId: string;
}

const pageSize = 1_000;
type ScheduleEntry = Extract<JourneyMachine['entry'], { kind: 'schedule' }>;

/**
 * Plans the next occurrence of every live scheduled journey: an `audience_runs` row and its
 * pg-boss job (due at the occurrence) in one transaction, so each occurrence runs once however
 * often planning is repeated. Returns how many it planned.
 */
export async function planAudienceRuns(db: Db, boss: PgBoss, now: number): Promise<number> {
  const live = await db
    .select({ workspaceId: journeys.workspaceId, journeyId: journeys.id, version: journeys.liveVersion })
    .from(journeys)
    .where(
      and(
        eq(journeys.status, 'live'),
        sql`exists (select 1 from journey_versions v where v.journey_id = ${journeys.id} and v.version = ${journeys.liveVersion} and v.machine -> 'entry' ->> 'kind' = 'schedule')`,
      ),
    );
  const machines = await loadMachines(
    db,
    live.map((j) => ({ journeyId: j.journeyId, version: j.version! })),
  );
  let planned = 0;
  for (const journey of live) {
    const machine = machines.get(machineKey(journey.journeyId, journey.version!))!;
    const entry = machine.entry as ScheduleEntry;
    const zone = entry.timing === 'customer-local' ? earliestZone : machine.settings.timeZone;
    const next = nextOccurrence(entry.schedule, now, zone);
    if (!next) continue;
    await db.transaction(async (tx) => {
      const [run] = await tx
        .insert(audienceRuns)
        .values({ id: crypto.randomUUID(), workspaceId: journey.workspaceId, journeyId: journey.journeyId, version: journey.version!, occurrence: next.date, dueAt: new Date(next.at).toISOString() })
        .onConflictDoNothing()
        .returning({ id: audienceRuns.id });
      if (!run) return;
      await boss.insert(audienceQueue, [{ data: { runId: run.id }, startAfter: new Date(next.at) }], { db: fromDrizzle(tx, sql) });
      planned++;
    });
  }
  return planned;
}

/**
 * Runs one occurrence (status scheduled → scanning → waiting-local-time → done): pages through the workspace's customers in id order, enrolling those who
 * match the entry rules, a page per transaction that also moves the run's cursor — so a retried
 * job resumes where the last one committed. With customer-local timing, customers whose local
 * time is still ahead are set aside in `audience_pending`, and a job per distinct moment enrolls
 * them when it comes. Finally plans the next occurrence.
 */
export async function runAudience(db: Db, outbox: Outbox, clock: Clock, runId: string, log: (line: string) => void = () => {}): Promise<void> {
  const [run] = await db.select().from(audienceRuns).where(eq(audienceRuns.id, runId));
  if (!run || run.status === 'done' || run.status === 'cancelled') return;
  const [journey] = await db.select({ status: journeys.status, liveVersion: journeys.liveVersion }).from(journeys).where(eq(journeys.id, run.journeyId));
  if (journey?.status !== 'live' || journey.liveVersion !== run.version) {
    // Paused, archived or republished since it was planned: the live version plans its own.
    await db.transaction(async (tx) => {
      await tx
        .update(audienceRuns)
        .set({ status: 'cancelled', finishedAt: new Date(clock.now()).toISOString() })
        .where(eq(audienceRuns.id, runId));
      await tx.delete(audiencePending).where(eq(audiencePending.runId, runId));
    });
    return;
  }
  const machine = (await loadMachines(db, [run]).then((m) => m.get(machineKey(run.journeyId, run.version))))!;
  const version: LiveVersion = { journeyId: run.journeyId, version: run.version, machine };
  const audience = audienceOf(run, machine);
  if (run.status === 'scheduled') {
    const { segmentId } = audience;
    const [{ total }] = (
      segmentId
        ? await db
            .select({ total: count() })
            .from(customerSegments)
            .where(and(inSegment('customer_segments', await segmentNumber(db, segmentId)), eq(customerSegments.workspaceId, run.workspaceId)))
        : await db.select({ total: count() }).from(customers).where(eq(customers.workspaceId, run.workspaceId))
    ) as [{ total: number }];
    await db
      .update(audienceRuns)
      .set({ status: 'scanning', total, startedAt: new Date(clock.now()).toISOString() })
      .where(eq(audienceRuns.id, runId));
  }

  while (await db.transaction((tx) => scanPage(tx, outbox, clock, version, audience, runId))) {
    const [now] = await db.select().from(audienceRuns).where(eq(audienceRuns.id, runId));
    log(`audience ${run.journeyId} ${run.occurrence}: scanned ${now!.scanned}/${now!.total ?? '?'}, enrolled ${now!.enrolled}, waiting for local time ${now!.deferred}`);
  }
  while (await db.transaction((tx) => enrollPending(tx, outbox, clock, version, audience, runId))) {
    // each pass commits one page of customers whose local time has come
  }
  const [left] = (await db.select({ n: count() }).from(audiencePending).where(eq(audiencePending.runId, runId))) as [{ n: number }];
  const [finished] = await db
    .update(audienceRuns)
    .set(left.n === 0 ? { status: 'done', finishedAt: new Date(clock.now()).toISOString() } : { status: 'waiting-local-time' })
    .where(and(eq(audienceRuns.id, runId), inArray(audienceRuns.status, ['scanning', 'waiting-local-time'])))
    .returning();
  if (finished?.status === 'done') {
    log(`audience ${run.journeyId} ${run.occurrence}: done, ${finished.enrolled} enrolled of ${finished.scanned}`);
    await planAudienceRuns(db, outbox.boss, clock.now());
  }
}

/** Who an audience run enrolls, and as what. */
interface Audience {
  /** Only this segment's members are scanned. */
  segmentId: string | undefined;
  /** Each customer enters at the time on their own clock. */
  customerLocal: boolean;
  /** Whether a scanned customer enters: the scheduled entry's rules; everyone, for a segment added by hand. */
  admits(customer: CustomerRecord, now: number): boolean;
  /** The run's trigger: none for a schedule; for a segment added by hand, an enrollment like the API's (SPEC E4). */
  trigger(customerId: string, now: number): CustomerEvent | null;
}

function audienceOf(run: typeof audienceRuns.$inferSelect, machine: JourneyMachine): Audience {
  if (run.segmentId) {
    return {
      segmentId: run.segmentId,
      customerLocal: false,
      admits: () => true,
      trigger: (customerId, now) => ({ id: `enroll:${run.id}:${customerId}`, name: enrolledEventName, properties: {}, timestamp: new Date(now).toISOString() }),
    };
  }
  const entry = machine.entry as ScheduleEntry;
  return {
    segmentId: entry.segmentId,
    customerLocal: entry.timing === 'customer-local',
    admits: (customer, now) => matchesEntryRules(machine, customer.profile, new Date(now).toISOString(), customer.events, customer.consentPolicy),
    trigger: () => null,
  };
}

/** One page of the scan; false when the scan is complete. */
async function scanPage(tx: Tx, outbox: Outbox, clock: Clock, version: LiveVersion, audience: Audience, runId: string): Promise<boolean> {
  const [run] = await tx.select().from(audienceRuns).where(eq(audienceRuns.id, runId)).for('update');
  if (run?.status !== 'scanning' || run.scanComplete) return false;
  const entry = version.machine.entry as ScheduleEntry;
  const { segmentId } = audience;
  // Everyone in a segment: its members (the GIN index on their segment ids), in customer order, not every customer.
  const page = segmentId
    ? await tx
        .select({ id: customerSegments.customerId })
        .from(customerSegments)
        .where(
          and(
            inSegment('customer_segments', await segmentNumber(tx, segmentId)),
            eq(customerSegments.workspaceId, run.workspaceId),
            run.cursor ? gt(customerSegments.customerId, run.cursor) : undefined,
          ),
        )
        .orderBy(asc(customerSegments.customerId))
        .limit(pageSize)
    : await tx
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.workspaceId, run.workspaceId), run.cursor ? gt(customers.id, run.cursor) : undefined))
        .orderBy(asc(customers.id))
        .limit(pageSize);
  const now = clock.now();
  const batch = createBatch();
  await loadCustomers(
    tx,
    batch,
    page.map((c) => c.id),
    now,
    { history: eventHistoryNeed([version.machine], now) },
  );
  const due: string[] = [];
  const later: { runId: string; customerId: string; dueAt: string }[] = [];
  if (audience.customerLocal) {
    for (const [id, customer] of batch.customers) {
      const at = occurrenceIn(entry.schedule, run.occurrence, customerTimeZone(customer.profile, version.machine.settings.timeZone));
      if (at <= now) due.push(id);
      else later.push({ runId, customerId: id, dueAt: new Date(at).toISOString() });
    }
  } else {
    due.push(...page.map((c) => c.id));
  }
  const enrolled = await enrollCustomers(tx, outbox, now, version, audience, batch, due);
  if (later.length) {
    await tx.insert(audiencePending).values(later).onConflictDoNothing();
    // A job per distinct local moment; a duplicate finds nothing due and changes nothing.
    const moments = [...new Set(later.map((p) => p.dueAt))];
    await outbox.boss.insert(
      audienceQueue,
      moments.map((m) => ({ data: { runId }, startAfter: new Date(m), singletonKey: `${runId}:${m}` })),
      { db: fromDrizzle(tx, sql) },
    );
  }
  const last = page.at(-1)?.id;
  await tx
    .update(audienceRuns)
    .set({
      cursor: last ?? run.cursor,
      scanComplete: page.length < pageSize,
      scanned: sql`${audienceRuns.scanned} + ${page.length}`,
      enrolled: sql`${audienceRuns.enrolled} + ${enrolled}`,
      deferred: sql`${audienceRuns.deferred} + ${later.length}`,
    })
    .where(eq(audienceRuns.id, runId));
  return page.length === pageSize;
}

/** One page of customers whose local time has come; false when none are due. */
async function enrollPending(tx: Tx, outbox: Outbox, clock: Clock, version: LiveVersion, audience: Audience, runId: string): Promise<boolean> {
  const now = clock.now();
  const due = await tx
    .select({ customerId: audiencePending.customerId })
    .from(audiencePending)
    .where(and(eq(audiencePending.runId, runId), lte(audiencePending.dueAt, new Date(now).toISOString())))
    .limit(pageSize)
    .for('update', { skipLocked: true });
  if (!due.length) return false;
  const ids = due.map((d) => d.customerId);
  const enrolled = await enrollCustomers(tx, outbox, now, version, audience, createBatch(), ids);
  await tx.delete(audiencePending).where(and(eq(audiencePending.runId, runId), inArray(audiencePending.customerId, ids)));
  await tx
    .update(audienceRuns)
    .set({ enrolled: sql`${audienceRuns.enrolled} + ${enrolled}`, deferred: sql`${audienceRuns.deferred} - ${due.length}` })
    .where(eq(audienceRuns.id, runId));
  return true;
}

/** Enrolls those of `ids` who match the entry rules now (re-entry rules apply); returns how many entered. */
async function enrollCustomers(tx: Tx, outbox: Outbox, now: number, version: LiveVersion, audience: Audience, batch: Batch, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  await loadCustomers(tx, batch, ids, now, { history: eventHistoryNeed([version.machine], now) });
  const past = await pastRuns(tx, ids);
  let enrolled = 0;
  const yieldNow = eventLoopShare();
  for (const id of ids) {
    await yieldNow();
    const customer = batch.customers.get(id);
    if (!customer || !audience.admits(customer, now)) continue;
    if (enroll(batch, version, id, audience.trigger(id, now), now, past)) enrolled++;
  }
  await persistBatch(tx, outbox, batch, now);
  return enrolled;
}
