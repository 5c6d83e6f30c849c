import { and, eq, gte, or, sql } from 'drizzle-orm';
import { ConsentPolicy, type EventHistoryNeed, usesMessageActivity, type Progress, type CustomerEvent, type CustomerProfile, type MessageActivity } from '@waymark/shared';
import type { Tx } from '../../db/database.ts';
import { customerSegments, customers, events, messages, progress, sendCounts, workspaces } from '../../db/schema.ts';
import { loadMachines, machineKey } from './machines.ts';
import { localDay, type Batch, type CustomerRecord, type RunRecord } from './run-batch.ts';
import { anyOf } from '../../db/bulk-sql.ts';
import { isoFromPostgres } from '../../db/timestamps.ts';
import { segmentIdsOf } from '../segments/segment-upkeep.ts';

/** The past the preview shows of a customer: every track event of the last 90 days. */
const recentDays = 90;

/** A stored consent policy as the engine reads it: one with an unknown mode counts as the defaults. */
const storedPolicy = ConsentPolicy.catch({});

/**
 * Loads customers (with workspace settings, today's send counts, the segments they are in and
 * the past events the rules in play count: `history`, from `eventHistoryNeed`, or `recent` for
 * every event of the last 90 days; and `someHistory`, what rules evaluated for only some of the
 * customers count, for those) into the batch. `segmentIds`, when the caller has loaded the
 * workspaces' segments, names the segments by number with the definitions' own strings: no
 * statement for them, and "is this segment one of theirs" compares strings by identity (upkeep
 * asks it for every segment it evaluates).
 */
export async function loadCustomers(
  tx: Tx,
  batch: Batch,
  ids: string[],
  now: number,
  {
    history,
    someHistory,
    segmentIds: known,
  }: { history: EventHistoryNeed | null | 'recent'; someHistory?: { need: EventHistoryNeed | null; customers: string[] }; segmentIds?: ReadonlyMap<number, string> },
): Promise<void> {
  const wanted = [...new Set(ids)].filter((id) => !batch.customers.has(id));
  if (!wanted.length) return;
  const rows = await tx
    .select({
      customer: customers,
      settings: workspaces.settings,
      userId: sql<string | null>`(select value from customer_identities i where i.customer_id = ${customers.id} and i.kind = 'user_id' limit 1)`,
      // The numbers joined by commas and split here: cheaper than the driver's parsing of an array for every customer.
      segments: sql<string | null>`array_to_string(${customerSegments.segments}, ',')`,
      recheckAt: customerSegments.recheckAt,
    })
    .from(customers)
    .innerJoin(workspaces, eq(workspaces.id, customers.workspaceId))
    // Memberships in the same statement (one row per customer, or none): a statement of their own cost a tenth of a batch's reads.
    .leftJoin(customerSegments, eq(customerSegments.customerId, customers.id))
    .where(anyOf(customers.id, wanted))
    // Held until the batch commits: an erasure waits for this batch (then erases what it wrote), or this batch waits and finds nobody.
    .for('key share', { of: customers });
  const iso = (at: number) => new Date(at).toISOString();
  const loading = new Set(wanted);
  const some = someHistory?.need ? someHistory.customers.filter((id) => loading.has(id)) : [];
  const needed = [
    ...(history === 'recent' ? [and(anyOf(events.customerId, wanted), gte(events.timestamp, iso(now - recentDays * 86_400_000)))] : []),
    ...(history && history !== 'recent' ? [and(anyOf(events.customerId, wanted), gte(events.timestamp, iso(history.since)), anyOf(events.name, [...history.names]))] : []),
    ...(some.length && someHistory?.need ? [and(anyOf(events.customerId, some), gte(events.timestamp, iso(someHistory.need.since)), anyOf(events.name, [...someHistory.need.names]))] : []),
  ];
  // As the driver gives them: the query builder's mapping copied every row once more, about a
  // microsecond of an order whose segments count its customer's past.
  const past = !needed.length
    ? []
    : await tx.execute<{ customer_id: string; name: string | null; properties: Record<string, unknown>; timestamp: string; message_id: string }>(
        sql`select customer_id, name, properties, timestamp, message_id from events where type = 'track' and (${or(...needed)})`,
      );
  const byCustomer = Map.groupBy(past, (e) => e.customer_id);
  const counts = await tx.select().from(sendCounts).where(anyOf(sendCounts.customerId, wanted));
  const countsBy = Map.groupBy(counts, (c) => c.customerId);
  const numbers = rows.map((row) => (row.segments ? row.segments.split(',').map(Number) : []));
  // Numbers the caller did not know (none, unless a segment was created since it read them) are looked up.
  const unknown = numbers.flat().filter((n) => !known?.has(n));
  const found = unknown.length ? await segmentIdsOf(tx, unknown) : undefined;
  const segmentIds = (n: number) => known?.get(n) ?? found?.get(n);
  // Parsed once per workspace, not per customer: building and running a zod schema for each of a
  // batch's customers cost about a tenth of end-to-end throughput.
  const policies = new Map<string, ConsentPolicy>();
  const policyOf = (workspaceId: string, stored: unknown) => {
    const known = policies.get(workspaceId);
    if (known) return known;
    const policy = storedPolicy.parse(stored ?? {});
    policies.set(workspaceId, policy);
    return policy;
  };
  for (const [i, { customer, settings, userId, recheckAt }] of rows.entries()) {
    const segments = numbers[i]!.flatMap((n) => segmentIds(n) ?? []);
    const profile: CustomerProfile = {
      id: customer.id,
      ...(userId ? { externalId: userId } : {}),
      traits: customer.traits,
      channels: customer.channels as CustomerProfile['channels'],
      ...(customer.preferredChannel ? { preferredChannel: customer.preferredChannel as CustomerProfile['preferredChannel'] } : {}),
      ...(segments.length ? { segments } : {}),
    };
    const record = {
      workspaceId: customer.workspaceId,
      profile,
      frequencyCap: settings.frequencyCap ?? {},
      workspaceZone: settings.timeZone ?? 'UTC',
      // Stored JSON is parsed on read: a policy with an unknown mode counts as the defaults.
      consentPolicy: policyOf(customer.workspaceId, settings.consentPolicy),
      events: (byCustomer.get(customer.id) ?? []).map((e): CustomerEvent => ({ id: e.message_id, name: e.name ?? '', properties: e.properties, timestamp: isoFromPostgres(e.timestamp) })),
      sentByDay: new Map<string, number>(),
      traitsChanged: { set: {}, unset: new Set<string>() },
      ...(recheckAt !== null ? { recheckAt: Date.parse(isoFromPostgres(recheckAt)) } : {}),
    };
    const today = localDay(record, now);
    for (const count of countsBy.get(customer.id) ?? []) if (count.day === today) record.sentByDay.set(`${count.day}|${count.channel}`, count.count);
    batch.customers.set(customer.id, record);
  }
}

/**
 * A customer a batch need not read (its runs' next moves never look at the profile, which
 * `timerReadsCustomer` tells): the id alone, with nothing sent and no zone.
 */
export function unreadCustomer(workspaceId: string, id: string): CustomerRecord {
  return {
    workspaceId,
    profile: { id, traits: {}, channels: {} },
    frequencyCap: {},
    workspaceZone: 'UTC',
    consentPolicy: {},
    events: [],
    sentByDay: new Map(),
    traitsChanged: { set: {}, unset: new Set() },
  };
}

/** A run as stored: what `loadRuns` needs of it. */
export type StoredRun = Pick<typeof progress.$inferSelect, 'id' | 'workspaceId' | 'journeyId' | 'version' | 'state' | 'revision'>;

/**
 * Locks and loads runs into the batch, selected by ids or by active runs of customers — or, with
 * `claimed`, rows the caller already locked and read (due timers), which are not read again.
 */
export async function loadRuns(tx: Tx, batch: Batch, where: { ids?: string[]; activeFor?: string[]; claimed?: StoredRun[] }): Promise<RunRecord[]> {
  const filter = where.ids ? anyOf(progress.id, where.ids) : and(anyOf(progress.customerId, where.activeFor ?? []), eq(progress.status, 'active'));
  const rows: StoredRun[] = where.claimed ?? (await tx.select().from(progress).where(filter).orderBy(progress.id).for('update'));
  const machines = await loadMachines(
    tx,
    rows.map((r) => ({ journeyId: r.journeyId, version: r.version })),
  );
  const loaded: RunRecord[] = [];
  for (const row of rows) {
    const existing = batch.runs.get(row.id);
    if (existing) {
      loaded.push(existing);
      continue;
    }
    const run: RunRecord = {
      workspaceId: row.workspaceId,
      journeyId: row.journeyId,
      version: row.version,
      machine: machines.get(machineKey(row.journeyId, row.version))!,
      // Written by this runtime from a parsed Progress; re-validating every run would cost more than the engine.
      progress: row.state as Progress,
      revision: row.revision,
      changed: false,
    };
    batch.runs.set(row.id, run);
    loaded.push(run);
  }
  return loaded;
}

/**
 * Deliveries, opens and clicks of the runs' messages, for "opened the email of node X" conditions;
 * read only for runs whose journey has such a condition.
 */
export async function loadActivity(tx: Tx, runs: Iterable<RunRecord>): Promise<Map<string, MessageActivity[]>> {
  const asking = [...runs].filter((run) => usesMessageActivity(run.machine));
  if (!asking.length) return new Map();
  const rows = await tx
    .select({ progressId: messages.progressId, nodeId: messages.nodeId, openedAt: messages.openedAt, clickedAt: messages.clickedAt })
    .from(messages)
    // Found through the customers' index (messages have none by run), then narrowed to the runs.
    .where(
      and(
        anyOf(messages.customerId, [...new Set(asking.map((run) => run.progress.customerId))]),
        anyOf(
          messages.progressId,
          asking.map((run) => run.progress.id),
        ),
        sql`${messages.deliveredAt} is not null`,
      ),
    );
  const activity = new Map<string, MessageActivity[]>();
  for (const row of rows) {
    const list = activity.get(row.progressId) ?? [];
    list.push({ nodeId: row.nodeId, activity: 'delivered' });
    if (row.openedAt) list.push({ nodeId: row.nodeId, activity: 'opened' });
    if (row.clickedAt) list.push({ nodeId: row.nodeId, activity: 'clicked' });
    activity.set(row.progressId, list);
  }
  return activity;
}
