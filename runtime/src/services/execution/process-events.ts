import { asc, type SQLWrapper, sql } from 'drizzle-orm';
import { checkEventEntry, decideEntry, segmentEventNames, entryEventName, eventsHeard, matchesEntryRules, startProgress, eventHistoryNeed, type CustomerEvent, type PastRun } from '@waymark/shared';
import type { Db, Tx } from '../../db/database.ts';
import { isoFromPostgres } from '../../db/timestamps.ts';
import { eventQueue, events, progress } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { liveVersions, loadMachines, machineKey, pausedJourneys, type LiveVersion } from './machines.ts';
import { loadActivity, loadCustomers, loadRuns } from './load-batch.ts';
import { eventLoopShare } from './event-loop-share.ts';
import { persistBatch, type Outbox } from './persist-batch.ts';
import { advanceOrHold, advanceRun, createBatch, refuseEntry, type Batch, type RunRecord } from './run-batch.ts';
import { anyOf } from '../../db/bulk-sql.ts';
import {
  changeEvent,
  claimDueRechecks,
  createSegmentWrites,
  loadSegments,
  persistSegments,
  reevaluate,
  type SegmentChange,
  type UpkeepInput,
  touchedBy,
  withDependents,
} from '../segments/segment-upkeep.ts';

/** Narrows a pass to some queued events (isolating a failure), and tells which ones it took. */
export interface EventSelection {
  ids?: number[];
  onClaimed?: (ids: number[]) => void;
}

/** Which share of customers a loop serves: events of one customer always fall in the same share, in order. */
export interface Partition {
  index: number;
  count: number;
}

/**
 * Takes up to `limit` queued events of its partition (skipping rows another worker holds), and in one
 * transaction enrolls customers into matching live journeys, feeds the events to their active
 * runs (exit criteria, goals, waits), applies everything and marks the events processed.
 * Returns how many events it processed.
 */
export async function processEvents(db: Db, outbox: Outbox, clock: Clock, limit = 500, partition: Partition = { index: 0, count: 1 }, only: EventSelection = {}): Promise<number> {
  return db.transaction(async (tx) => {
    const shareOf = (customer: SQLWrapper) => (partition.count > 1 ? sql`(hashtext(${customer}) & 2147483647) % ${partition.count} = ${partition.index}` : sql`true`);
    const share = shareOf(eventQueue.customerId);
    const chosen = only.ids ? anyOf(eventQueue.eventId, only.ids, 'bigint') : sql`true`;
    const queued = await tx.execute<{ id: number }>(sql`select event_id as id from event_queue where ${share} and ${chosen} order by event_id limit ${limit} for update skip locked`);
    const now = clock.now();
    // Segment memberships that time alone may change now (a window passed), of the same share of customers.
    const rechecks = only.ids ? [] : await claimDueRechecks(tx, now, shareOf(sql`customer_id`), limit);
    if (!queued.length && !rechecks.length) return 0;
    const ids = queued.map((q) => Number(q.id));
    only.onClaimed?.(ids);
    const rows = ids.length
      ? await tx
          .select()
          .from(events)
          .where(anyOf(events.id, ids, 'bigint'))
          .orderBy(asc(events.id))
      : [];
    if (ids.length) await tx.delete(eventQueue).where(anyOf(eventQueue.eventId, ids, 'bigint'));
    if (!rows.length && !rechecks.length) return ids.length; // their customer was erased since
    const batch = createBatch();
    const customerIds = [...new Set([...rows.map((r) => r.customerId), ...rechecks.map((r) => r.customerId)])];
    await loadRuns(tx, batch, { activeFor: customerIds });
    const past = await pastRuns(tx, customerIds);
    // Workspaces of the events, and of the customers whose memberships are due to be checked again.
    const workspaceIds = [...new Set([...rows.map((r) => r.workspaceId), ...rechecks.map((r) => r.workspaceId)])];
    const live = new Map<string, LiveVersion[]>();
    for (const workspaceId of workspaceIds) live.set(workspaceId, await liveVersions(tx, workspaceId));
    const segments = await loadSegments(tx, workspaceIds);
    // Runs are locked before their customers, everywhere (erasure locks in the same order).
    await loadConvertible(tx, batch, customerIds, rows, now);
    const machines = [...[...live.values()].flat().map((v) => v.machine), ...[...batch.runs.values()].map((r) => r.machine)];
    // Past events of the customers as the journeys in play count them, and as the segments this
    // batch can evaluate count them for the customers it evaluates them for (an event touching a
    // segment, a recheck): a page view no segment counts reads no segment history. What each event
    // touches is worked out once here; the loop below evaluates exactly these.
    const touched = rows.map((row) => touchedBy(segments.get(row.workspaceId) ?? [], segmentInput(row)));
    const evaluated = new Set([...rechecks.map((r) => r.customerId), ...rows.filter((_, i) => touched[i]!.length).map((row) => row.customerId)]);
    // A recheck evaluates every segment of its workspace; otherwise those touched, and those built on them.
    const rechecked = new Set(rechecks.map((r) => r.workspaceId));
    const inPlay = [...segments].flatMap(([workspaceId, list]) =>
      rechecked.has(workspaceId) ? list : withDependents(list, [...new Set(rows.flatMap((row, i) => (row.workspaceId === workspaceId ? touched[i]! : [])))]),
    );
    await loadCustomers(tx, batch, customerIds, now, {
      segmentIds: new Map([...segments.values()].flat().map((segment) => [segment.number, segment.id])),
      history: eventHistoryNeed(machines, now),
      someHistory: {
        need: eventHistoryNeed(
          inPlay.map((s) => s.rules),
          now,
        ),
        customers: [...evaluated],
      },
    });
    const activity = await loadActivity(tx, batch.runs.values());
    batch.paused = await pausedJourneys(
      tx,
      [...batch.runs.values()].map((r) => r.journeyId),
    );
    // Runs per customer, kept up to date as customers enroll, so each event looks only at its own.
    const runsOf = Map.groupBy(batch.runs.values(), (run) => run.progress.customerId);
    const memberships = createSegmentWrites();

    // The events a live journey of each workspace starts on.
    const startsOn = new Map([...live].map(([workspaceId, versions]) => [workspaceId, new Set(versions.map((v) => entryEventName(v.machine.entry)))]));

    /** Whether anything hears an event of this name for the customer: a journey starting on it, or a run of theirs waiting for it, exiting or converting on it. */
    const heard = (workspaceId: string, customerId: string, name: string) => startsOn.get(workspaceId)?.has(name) || (runsOf.get(customerId) ?? []).some((run) => eventsHeard(run.machine).has(name));
    /** A track event (or a membership change) reaching a customer's runs, goals and event-triggered journeys, when something hears it. */
    const onEvent = (workspaceId: string, customerId: string, event: CustomerEvent) => {
      if (heard(workspaceId, customerId, event.name)) deliver(workspaceId, customerId, event);
    };
    /** An event something hears (`heard`), fed to the runs and journeys that hear it. */
    const deliver = (workspaceId: string, customerId: string, event: CustomerEvent) => {
      const own = runsOf.get(customerId) ?? [];
      const customer = batch.customers.get(customerId)!;
      // Only runs whose journey hears this event (an exit criterion, its goal, a step waiting for it): any other leaves them as they were.
      for (const run of own) {
        if (run.progress.status === 'active' && eventsHeard(run.machine).has(event.name)) advanceOrHold(batch, run, { type: 'event', event }, now, activity.get(run.progress.id));
      }
      for (const run of own) {
        if (run.progress.status === 'completed' && !run.progress.convertedAt && run.machine.settings.goal?.event === event.name) advanceRun(batch, run, { type: 'goal', event }, now);
      }
      for (const version of live.get(workspaceId) ?? []) {
        const entry = checkEventEntry(version.machine, event, customer.profile);
        if (entry === 'enters') started(customerId, enroll(batch, version, customerId, event, now, past));
        else if (entry !== 'other-event')
          refuseEntry(batch, { workspaceId, journeyId: version.journeyId, version: version.version, customerId, reason: 'audience-filter', detail: entry.filtered }, now);
      }
    };
    /** A membership change reaching journeys as an event, built only when something hears it (a batch of new customers makes a dozen changes each). */
    const onChange = (change: SegmentChange) => {
      if (heard(change.workspaceId, change.customerId, segmentEventNames[change.change])) deliver(change.workspaceId, change.customerId, changeEvent(change));
    };
    const started = (customerId: string, run: RunRecord | null) => run && runsOf.set(customerId, [...(runsOf.get(customerId) ?? []), run]);

    const yieldNow = eventLoopShare();
    for (const [i, row] of rows.entries()) {
      await yieldNow();
      const customer = batch.customers.get(row.customerId);
      if (!customer) continue; // erased since it arrived
      const event: CustomerEvent = { id: row.messageId, name: row.name ?? '', properties: row.properties, timestamp: isoFromPostgres(row.timestamp) };
      // Memberships first, so "is in segment" rules of this event's journeys see them; the changes then reach journeys as events.
      const all = segments.get(row.workspaceId) ?? [];
      const changes = all.length ? reevaluate(customer, all, touched[i]!, now, memberships) : [];
      if (row.type === 'track') onEvent(row.workspaceId, row.customerId, event);
      else if (row.type === 'identify') {
        for (const run of (runsOf.get(row.customerId) ?? []).filter((r) => r.progress.status === 'active')) advanceOrHold(batch, run, { type: 'profile-changed' }, now, activity.get(run.progress.id));
        for (const version of live.get(row.workspaceId) ?? []) {
          if (version.machine.entry.kind === 'segment' && matchesEntryRules(version.machine, customer.profile, new Date(now).toISOString(), customer.events, customer.consentPolicy)) {
            started(row.customerId, enroll(batch, version, row.customerId, null, now, past));
          }
        }
      }
      for (const change of changes) onChange(change);
    }
    for (const { customerId } of rechecks) {
      await yieldNow();
      const customer = batch.customers.get(customerId);
      if (!customer) continue;
      // Every segment of the customer (time moved on; or a merge brought in another customer's data).
      const all = segments.get(customer.workspaceId) ?? [];
      for (const change of reevaluate(customer, all, all, now, memberships)) onChange(change);
    }
    await persistSegments(tx, memberships);
    await persistBatch(tx, outbox, batch, now);
    return ids.length + rechecks.length;
  });
}

/** An earlier run of a customer in a journey, with its id so a batch that changed it reads it as it is now. */
export interface KnownRun extends PastRun {
  id: string;
}

/**
 * Starts a run if the journey is live and re-entry and concurrency allow, and enters it; otherwise
 * records the refusal with its reason (SPEC P1) — except a segment journey's customer who is simply
 * still in it, which is no refusal but the normal state of matching the segment.
 */
export function enroll(batch: Batch, version: LiveVersion, customerId: string, trigger: CustomerEvent | null, now: number, past: Map<string, KnownRun[]>): RunRecord | null {
  // A run this batch already ended (a goal or exit criterion in the same event) counts as ended, as it is.
  const history = (past.get(`${customerId}|${version.journeyId}`) ?? []).map((known) => {
    const current = batch.runs.get(known.id)?.progress.status;
    return current && current !== known.status ? { ...known, status: current } : known;
  });
  const nowIso = new Date(now).toISOString();
  const customer = batch.customers.get(customerId)!;
  const refuse = (reason: string, detail: string) => refuseEntry(batch, { workspaceId: customer.workspaceId, journeyId: version.journeyId, version: version.version, customerId, reason, detail }, now);
  if (version.paused) {
    refuse('paused', 'the journey was paused');
    return null;
  }
  const decision = decideEntry(version.machine, history, trigger, nowIso);
  if (!decision.enter) {
    if (!(trigger === null && decision.code === 'already-in-journey')) refuse(decision.code, decision.reason);
    return null;
  }
  const run: RunRecord = {
    workspaceId: customer.workspaceId,
    journeyId: version.journeyId,
    version: version.version,
    machine: version.machine,
    progress: startProgress({ id: crypto.randomUUID(), machine: version.machine, customerId, trigger, key: decision.key, now: nowIso }),
    revision: null,
    changed: true,
  };
  batch.runs.set(run.progress.id, run);
  history.push({ id: run.progress.id, key: decision.key, status: 'active', enteredAt: nowIso });
  past.set(`${customerId}|${version.journeyId}`, history);
  advanceRun(batch, run, { type: 'enter' }, now);
  const last = history[history.length - 1]!;
  last.status = run.progress.status;
  return run;
}

/** How far back a completed run can still convert (SPEC C6): goal windows longer than this are not looked up. */
const lateConversionDays = 90;

/** Locks completed, unconverted runs whose goal is one of the batch's track events: they may convert late. */
async function loadConvertible(tx: Tx, batch: Batch, customerIds: string[], rows: { type: string; name: string | null }[], now: number) {
  const names = [...new Set(rows.filter((r) => r.type === 'track' && r.name).map((r) => r.name!))];
  if (!names.length) return;
  const since = new Date(now - lateConversionDays * 86_400_000).toISOString();
  const completed = await tx
    .select({ id: progress.id, journeyId: progress.journeyId, version: progress.version })
    .from(progress)
    .where(sql`${anyOf(progress.customerId, customerIds)} and ${progress.status} = 'completed' and ${progress.state} ->> 'convertedAt' is null and ${progress.enteredAt} >= ${since}`);
  if (!completed.length) return;
  const machines = await loadMachines(tx, completed);
  const candidates = completed.filter((run) => names.includes(machines.get(machineKey(run.journeyId, run.version))?.settings.goal?.event ?? ''));
  if (candidates.length) await loadRuns(tx, batch, { ids: candidates.map((c) => c.id) });
}

/** Earlier runs of the customers, per customer and journey, for re-entry decisions. */
export async function pastRuns(tx: Parameters<Parameters<Db['transaction']>[0]>[0], customerIds: string[]): Promise<Map<string, KnownRun[]>> {
  const rows = await tx
    .select({ id: progress.id, customerId: progress.customerId, journeyId: progress.journeyId, key: progress.key, status: progress.status, enteredAt: progress.enteredAt })
    .from(progress)
    .where(anyOf(progress.customerId, customerIds))
    .orderBy(sql`${progress.enteredAt}`);
  const runs = new Map<string, KnownRun[]>();
  for (const row of rows) {
    const key = `${row.customerId}|${row.journeyId}`;
    const list = runs.get(key) ?? [];
    list.push({ id: row.id, key: row.key, status: row.status as PastRun['status'], enteredAt: isoFromPostgres(row.enteredAt) });
    runs.set(key, list);
  }
  return runs;
}

/** A stored event as membership upkeep sees it (other types, an alias or a group, as an identify: they touch the profile if anything). */
function segmentInput(row: { type: string; name: string | null }): UpkeepInput {
  return row.type === 'track' ? { type: 'track', name: row.name ?? '' } : { type: 'identify' };
}
