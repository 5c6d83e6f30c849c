import { type CustomerEvent, enrolledEventName, type EnrollmentItem, type EnrollmentRequest, type EnrollmentResponse, type EnrollmentResult, eventHistoryNeed } from '@waymark/shared';
import { and, eq, sql } from 'drizzle-orm';
import { anyOf } from '../../db/bulk-sql.ts';
import type { Db, Tx } from '../../db/database.ts';
import { isCollision, sqlStateOf, violatedConstraint } from '../../db/database-errors.ts';
import { audienceRuns, enrollmentRequests, journeys, segments } from '../../db/schema.ts';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import { audienceQueue } from '../execution/audience.ts';
import { ApiError, unavailable } from '../../http/api-error.ts';
import { audit } from '../audit.ts';
import { loadCustomers } from '../execution/load-batch.ts';
import { loadMachines, machineKey, type LiveVersion } from '../execution/machines.ts';
import { type Outbox, persistBatch } from '../execution/persist-batch.ts';
import { enroll, pastRuns } from '../execution/process-events.ts';
import { createBatch } from '../execution/run-batch.ts';

/** Transactions that collided with a concurrent one (another enrollment of the same customer) are tried this often. */
const attempts = 4;

/**
 * Enrolls customers into a journey that starts "by API or by hand" (SPEC E4): each is found by id,
 * user id or email, and enters with `properties` as its trigger's (what templates read as
 * `event`), under the journey's re-entry and concurrency rules — a refusal is answered with its
 * reason, and recorded like any refused entry. Everything is one transaction with the runs' first
 * steps and messages; with an idempotency key, the answer is stored in it too, so the same key
 * again answers the same and enrolls nobody (`replayed`).
 */
export async function enrollCustomers(db: Db, outbox: Outbox, now: number, workspaceId: string, journeyId: string, request: EnrollmentRequest, actor: string): Promise<EnrollmentResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => enrollIn(tx, outbox, now, workspaceId, journeyId, request, actor));
    } catch (error) {
      // The same key sent twice at once: the second waited for the first and finds its answer.
      if (request.idempotencyKey && sqlStateOf(error) === '23505') {
        const stored = await storedAnswer(db, workspaceId, journeyId, request.idempotencyKey);
        if (stored) return stored;
      }
      // The same customer enrolled by a concurrent call (one active run per journey): decided again, it is refused.
      const collided = isCollision(error) || violatedConstraint(error) === 'progress_one_active_run';
      if (!collided) throw error;
      if (attempt >= attempts) throw unavailable('Another call enrolled the same customers at the same moment; send this one again.');
    }
  }
}

async function storedAnswer(db: Db | Tx, workspaceId: string, journeyId: string, key: string): Promise<EnrollmentResponse | null> {
  const [row] = await db
    .select({ response: enrollmentRequests.response })
    .from(enrollmentRequests)
    .where(and(eq(enrollmentRequests.workspaceId, workspaceId), eq(enrollmentRequests.journeyId, journeyId), eq(enrollmentRequests.idempotencyKey, key)));
  return row ? { ...(row.response as EnrollmentResponse), replayed: true } : null;
}

async function enrollIn(tx: Tx, outbox: Outbox, now: number, workspaceId: string, journeyId: string, request: EnrollmentRequest, actor: string): Promise<EnrollmentResponse> {
  if (request.idempotencyKey) {
    const stored = await storedAnswer(tx, workspaceId, journeyId, request.idempotencyKey);
    if (stored) return stored;
  }
  const version = await enrollableVersion(tx, workspaceId, journeyId);
  const found = await findCustomers(tx, workspaceId, request.customers);
  const ids = [...new Set(found.filter((id): id is string => id !== null))];
  const batch = createBatch();
  const past = await pastRuns(tx, ids);
  await loadCustomers(tx, batch, ids, now, { history: eventHistoryNeed([version.machine], now) });
  const at = new Date(now).toISOString();
  const results = request.customers.map((item, index): EnrollmentResult => {
    const customerId = found[index] ?? null;
    if (!customerId || !batch.customers.has(customerId)) return { index, status: 'not-found', customerId: null, code: 'not-found', reason: `no customer with ${describe(item)} in this workspace` };
    const trigger: CustomerEvent = { id: `enroll:${request.idempotencyKey ?? crypto.randomUUID()}:${index}`, name: enrolledEventName, properties: item.properties ?? {}, timestamp: at };
    const refusedBefore = batch.refusals.length;
    const run = enroll(batch, version, customerId, trigger, now, past);
    if (run) return { index, status: 'enrolled', customerId, runId: run.progress.id };
    const refusal = batch.refusals[refusedBefore];
    return { index, status: 'refused', customerId, code: refusal?.reason ?? 'refused', reason: refusal?.detail ?? 'refused' };
  });
  await persistBatch(tx, outbox, batch, now);
  const count = (status: EnrollmentResult['status']) => results.filter((r) => r.status === status).length;
  const response: EnrollmentResponse = { enrolled: count('enrolled'), refused: count('refused'), notFound: count('not-found'), results, replayed: false };
  if (request.idempotencyKey) {
    await tx.insert(enrollmentRequests).values({ workspaceId, journeyId, idempotencyKey: request.idempotencyKey, response, createdAt: at });
  }
  await audit(tx, { workspaceId, actor, action: 'journey.enroll', target: journeyId, details: { enrolled: response.enrolled, refused: response.refused, notFound: response.notFound } });
  return response;
}

/**
 * Everyone in a saved segment enters a journey that starts "by API or by hand", in the background:
 * an audience run over the segment's members (pages of 1,000, resumable, with progress to watch at
 * `…/audience-runs`), each entering as an API enrollment would with no properties, under the
 * journey's re-entry rules. The journey must be live (a pause cancels what is left) and the
 * segment worked out.
 */
export async function enrollSegment(db: Db, boss: PgBoss, now: number, workspaceId: string, journeyId: string, segmentId: string, actor: string): Promise<typeof audienceRuns.$inferSelect> {
  return db.transaction(async (tx) => {
    const version = await enrollableVersion(tx, workspaceId, journeyId);
    if (version.paused) throw new ApiError(409, 'journey-paused', 'The journey is paused; resume it before adding a segment.');
    const [segment] = await tx
      .select({ name: segments.name, status: segments.status })
      .from(segments)
      .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
    if (!segment) throw new ApiError(404, 'segment-not-found', `No segment "${segmentId}" in this workspace.`, { field: 'segmentId' });
    if (segment.status !== 'ready') throw new ApiError(409, 'segment-building', `"${segment.name}" is still being worked out; add it when its members are known.`, { field: 'segmentId' });
    const at = new Date(now).toISOString();
    const [run] = await tx
      .insert(audienceRuns)
      .values({ id: crypto.randomUUID(), workspaceId, journeyId, version: version.version, occurrence: `by-hand:${at}:${crypto.randomUUID().slice(0, 8)}`, dueAt: at, segmentId })
      .returning();
    await boss.insert(audienceQueue, [{ data: { runId: run!.id }, startAfter: new Date(now) }], { db: fromDrizzle(tx, sql) });
    await audit(tx, { workspaceId, actor, action: 'journey.enroll-segment', target: journeyId, details: { segmentId, segment: segment.name } });
    return run!;
  });
}

const describe = (item: EnrollmentItem) => (item.customerId !== undefined ? `id "${item.customerId}"` : item.userId !== undefined ? `user id "${item.userId}"` : `email "${item.email}"`);

/**
 * The journey's live version, if it takes enrollments: live or paused (a paused journey refuses
 * each customer with its reason, as for events), and starting "by API or by hand".
 */
async function enrollableVersion(tx: Tx, workspaceId: string, journeyId: string): Promise<LiveVersion> {
  const [journey] = await tx
    .select({ status: journeys.status, liveVersion: journeys.liveVersion, name: journeys.name })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)));
  if (!journey || journey.status === 'archived') throw new ApiError(404, 'journey-not-found', `No journey "${journeyId}" in this workspace.`);
  if (journey.liveVersion === null || journey.status === 'draft') throw new ApiError(409, 'journey-not-live', `"${journey.name}" is not published yet; publish it before enrolling customers.`);
  const machine = (await loadMachines(tx, [{ journeyId, version: journey.liveVersion }])).get(machineKey(journeyId, journey.liveVersion))!;
  if (machine.entry.kind !== 'api') {
    throw new ApiError(409, 'journey-not-api-entry', `"${journey.name}" starts ${entryWords(machine.entry)}; only journeys that start "by API or by hand" take enrollments.`);
  }
  return { journeyId, version: journey.liveVersion, machine, paused: journey.status === 'paused' };
}

const entryWords = (entry: LiveVersion['machine']['entry']) =>
  entry.kind === 'event'
    ? `on the event "${entry.event}"`
    : entry.kind === 'segment'
      ? 'when customers come to match its rules'
      : entry.kind === 'segment-change'
        ? `when customers ${entry.change === 'exited' ? 'leave' : 'enter'} a segment`
        : entry.kind === 'schedule'
          ? 'on a schedule'
          : 'by API';

/** Each item's customer id in this workspace (null when none matches), by id, user id or email (case-insensitive). */
async function findCustomers(tx: Tx, workspaceId: string, items: EnrollmentItem[]): Promise<(string | null)[]> {
  const ids = items.flatMap((i) => (i.customerId !== undefined ? [i.customerId] : []));
  const userIds = items.flatMap((i) => (i.userId !== undefined ? [i.userId] : []));
  const emails = items.flatMap((i) => (i.email !== undefined ? [i.email.toLowerCase()] : []));
  const byId = new Set(ids.length ? (await tx.execute<{ id: string }>(sql`select id from customers where workspace_id = ${workspaceId} and ${anyOf(sql`id`, ids)}`)).map((r) => r.id) : []);
  const byUserId = new Map(
    userIds.length
      ? (
          await tx.execute<{ value: string; customer_id: string }>(
            sql`select value, customer_id from customer_identities where workspace_id = ${workspaceId} and kind = 'user_id' and ${anyOf(sql`value`, userIds)}`,
          )
        ).map((r) => [r.value, r.customer_id])
      : [],
  );
  // Two customers with one address: the one seen most recently.
  const byEmail = new Map(
    emails.length
      ? (
          await tx.execute<{ email: string; id: string }>(sql`
            select distinct on (lower(channels -> 'email' ->> 'address')) lower(channels -> 'email' ->> 'address') as email, id from customers
            where workspace_id = ${workspaceId} and ${anyOf(sql`lower(channels -> 'email' ->> 'address')`, emails)}
            order by lower(channels -> 'email' ->> 'address'), updated_at desc`)
        ).map((r) => [r.email, r.id])
      : [],
  );
  return items.map((item) =>
    item.customerId !== undefined
      ? byId.has(item.customerId)
        ? item.customerId
        : null
      : item.userId !== undefined
        ? (byUserId.get(item.userId) ?? null)
        : (byEmail.get(item.email!.toLowerCase()) ?? null),
  );
}
