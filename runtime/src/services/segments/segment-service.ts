import { evaluateRules, eventHistoryNeed, type Rule, type SegmentEstimate, type SegmentInput, type SegmentMembers, type SegmentSummary, segmentProblems, segmentReads } from '@waymark/shared';
import { and, eq, sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import { anyOf } from '../../db/bulk-sql.ts';
import type { Db, Tx } from '../../db/database.ts';
import { violatedConstraint } from '../../db/database-errors.ts';
import { segments } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { audit } from '../audit.ts';
import { bestName, customerEmail } from '../customers/best-name.ts';
import { loadCustomers } from '../execution/load-batch.ts';
import { createBatch } from '../execution/run-batch.ts';
import { createSegmentWrites, loadSegments, persistSegments, reevaluate, withDependents } from './segment-upkeep.ts';
import { inSegment, insertExits } from './membership-sql.ts';

/** Builds a segment's members from every customer, in the background. */
export const segmentBuildQueue = 'segment-build';
export interface SegmentBuildJob {
  segmentId: string;
  revision: number;
}

type SegmentRow = typeof segments.$inferSelect;

async function findSegment(db: Db | Tx, workspaceId: string, id: string): Promise<SegmentRow> {
  const [row] = await db
    .select()
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, id)));
  if (!row) throw new ApiError(404, 'segment-not-found', `No segment "${id}" in this workspace.`);
  return row;
}

/** Members of each segment now: the sum of its `segment_counts` rows, in one statement. */
export async function memberCounts(db: Db | Tx, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await db.execute<{ id: string; n: number }>(sql`select segment_id as id, sum(members)::int as n from segment_counts where ${anyOf(sql`segment_id`, ids)} group by segment_id`);
  return new Map(rows.map((row) => [row.id, row.n]));
}

const summary = (row: SegmentRow, members: number): SegmentSummary => ({
  id: row.id,
  name: row.name,
  description: row.description,
  rules: row.rules as SegmentSummary['rules'],
  revision: row.revision,
  status: row.status as SegmentSummary['status'],
  members,
  build: row.status === 'building' ? { scanned: row.scanned, total: row.total } : null,
  updatedAt: new Date(row.updatedAt).toISOString(),
});

export async function listSegments(db: Db, workspaceId: string): Promise<SegmentSummary[]> {
  const rows = await db.select().from(segments).where(eq(segments.workspaceId, workspaceId)).orderBy(sql`lower(${segments.name})`);
  const counts = await memberCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => summary(row, counts.get(row.id) ?? 0));
}

export async function getSegment(db: Db, workspaceId: string, id: string): Promise<SegmentSummary> {
  const row = await findSegment(db, workspaceId, id);
  return summary(row, (await memberCounts(db, [id])).get(id) ?? 0);
}

/**
 * Refuses rules a segment cannot hold (naming the field), segments it names that do not exist in
 * the workspace, and a segment that would, through others, contain itself.
 */
async function checkRules(tx: Tx, workspaceId: string, id: string, rules: Rule) {
  const [problem] = segmentProblems(rules);
  if (problem) throw new ApiError(400, 'invalid-request', `"${problem.field}": ${problem.message}`, { field: problem.field });
  const all = await tx.select({ id: segments.id, name: segments.name, rules: segments.rules }).from(segments).where(eq(segments.workspaceId, workspaceId));
  const refs = new Map(all.map((s) => [s.id, segmentReads(s.rules as Rule).segments]));
  refs.set(id, segmentReads(rules).segments);
  for (const ref of refs.get(id)!) {
    if (!all.some((s) => s.id === ref)) throw new ApiError(400, 'invalid-request', `"rules": no segment "${ref}" in this workspace.`, { field: 'rules' });
  }
  // Depth-first from the segment: reaching it again is a cycle.
  const seen = new Set<string>();
  const reaches = (from: string): boolean =>
    [...(refs.get(from) ?? [])].some((to) => {
      if (to === id) return true;
      if (seen.has(to)) return false;
      seen.add(to);
      return reaches(to);
    });
  if (reaches(id)) throw new ApiError(400, 'invalid-request', '"rules": a segment cannot contain itself, directly or through other segments.', { field: 'rules' });
}

/** Starts (again) working out who is in the segment: status `building`, the progress reset, a build job in the same transaction. */
async function startBuild(tx: Tx, boss: PgBoss, row: { id: string; workspaceId: string; revision: number }, now: number) {
  const [{ total }] = (await tx.execute<{ total: number }>(sql`select count(*)::int as total from customers where workspace_id = ${row.workspaceId}`)) as unknown as [{ total: number }];
  await tx.update(segments).set({ status: 'building', scanned: 0, total, cursor: null }).where(eq(segments.id, row.id));
  // Due at the runtime clock's now (not the database's), so a test clock governs it too.
  await boss.insert(segmentBuildQueue, [{ data: { segmentId: row.id, revision: row.revision } satisfies SegmentBuildJob, startAfter: new Date(now) }], { db: fromDrizzle(tx, sql) });
}

const nameTaken = (error: unknown) => violatedConstraint(error) === 'segments_name';

export async function createSegment(db: Db, boss: PgBoss, now: number, workspaceId: string, input: SegmentInput, actor: string): Promise<SegmentSummary> {
  const id = crypto.randomUUID();
  try {
    const row = await db.transaction(async (tx) => {
      await checkRules(tx, workspaceId, id, input.rules);
      const [row] = await tx
        .insert(segments)
        .values({ id, workspaceId, name: input.name, description: input.description ?? null, rules: input.rules })
        .returning();
      await startBuild(tx, boss, row!, now);
      await audit(tx, { workspaceId, actor, action: 'segment.create', target: id, details: { name: input.name } });
      return row!;
    });
    return getSegment(db, workspaceId, row.id);
  } catch (error) {
    if (nameTaken(error)) throw new ApiError(409, 'segment-name-taken', `A segment is already called "${input.name}".`, { field: 'name' });
    throw error;
  }
}

/**
 * Saves a new definition at the revision it was read at (409 if it moved). Changed rules are
 * worked out again from every customer in the background; a new name or description is not.
 */
export async function updateSegment(db: Db, boss: PgBoss, now: number, workspaceId: string, id: string, input: SegmentInput & { revision: number }, actor: string): Promise<SegmentSummary> {
  try {
    await db.transaction(async (tx) => {
      const current = await findSegment(tx, workspaceId, id);
      if (current.revision !== input.revision) throw new ApiError(409, 'segment-changed', 'Someone saved this segment since you opened it; reload to see their changes.');
      const rulesChanged = JSON.stringify(current.rules) !== JSON.stringify(input.rules);
      if (rulesChanged) await checkRules(tx, workspaceId, id, input.rules);
      const [row] = await tx
        .update(segments)
        .set({ name: input.name, description: input.description ?? null, rules: input.rules, revision: current.revision + 1, updatedAt: sql`now()` })
        .where(eq(segments.id, id))
        .returning();
      if (rulesChanged) await startBuild(tx, boss, row!, now);
      await audit(tx, { workspaceId, actor, action: 'segment.update', target: id, details: { name: input.name, rulesChanged } });
    });
  } catch (error) {
    if (nameTaken(error)) throw new ApiError(409, 'segment-name-taken', `A segment is already called "${input.name}".`, { field: 'name' });
    throw error;
  }
  return getSegment(db, workspaceId, id);
}

/** Deletes a segment no other segment and no live or paused journey uses; its members go with it (a recheck left for it changes nothing). */
export async function deleteSegment(db: Db, workspaceId: string, id: string, actor: string): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await findSegment(tx, workspaceId, id);
    // The id as JSON text: a segment rule naming it, or a journey's filter on `Segment Entered`'s segmentId.
    const needle = JSON.stringify(id);
    const [usedBySegment] = await tx.execute<{ name: string }>(sql`select name from segments where workspace_id = ${workspaceId} and id <> ${id} and strpos(rules::text, ${needle}) > 0 limit 1`);
    if (usedBySegment) throw new ApiError(409, 'segment-in-use', `"${usedBySegment.name}" uses this segment; change it first.`);
    const [usedByJourney] = await tx.execute<{ name: string }>(sql`
      select j.name from journeys j join journey_versions v on v.journey_id = j.id and v.version = j.live_version
      where j.workspace_id = ${workspaceId} and j.status in ('live', 'paused') and strpos(v.machine::text, ${needle}) > 0 limit 1`);
    if (usedByJourney) throw new ApiError(409, 'segment-in-use', `The journey "${usedByJourney.name}" uses this segment; change or archive it first.`);
    // Its members' rows, then the segment itself: a batch entering customers into it holds it (KEY
    // SHARE) until it commits, so this waits for such a batch and then finds the members it added,
    // and a later batch finds it gone. A batch takes that lock before the rows it enters but after
    // those it made leave segments, so the two can deadlock; PostgreSQL then fails one: a batch is
    // retried whole, a deletion answers 503 (send it again).
    await tx.execute(sql`select 1 from customer_segments m where ${inSegment('m', row.number)} order by customer_id for update`);
    await tx.execute(sql`select 1 from segments where id = ${id} for update`);
    // Its members leave it, each membership moving to their history with its entry (rows locked in
    // id order, as batches lock them); its count rows are deleted below. Their history keeps the
    // number, which no other segment takes, and shows it as a deleted segment.
    await tx.execute(sql`
      with gone as (
        select customer_id, workspace_id, entered_at[array_position(segments, ${row.number}::int4)] as t from customer_segments m
        where ${inSegment('m', row.number)} order by customer_id for update
      ),
      kept as (
        update customer_segments m set segments = array(select s from unnest(m.segments) s where s <> ${row.number}),
          entered_at = array(select t from unnest(m.segments, m.entered_at) u(s, t) where s <> ${row.number})
        from gone where m.customer_id = gone.customer_id
      )
      ${insertExits(sql`select customer_id, workspace_id, now() as at, array[${row.number}::int4] as segments, array[t] as entered_at from gone`)}`);
    await tx.execute(sql`delete from segment_counts where segment_id = ${id}`);
    await tx.delete(segments).where(eq(segments.id, id));
    await audit(tx, { workspaceId, actor, action: 'segment.delete', target: id, details: { name: row.name } });
  });
}

/**
 * Folds the count rows of connections that are gone into shard 0 (see `segment_counts`), so a
 * segment keeps a few rows however many connections have written to it. A live connection's rows
 * are left alone, so no writer waits on this.
 */
export async function foldSegmentCounts(db: Db): Promise<number> {
  const rows = await db.execute(sql`
    with gone as (
      delete from segment_counts where shard <> 0 and shard not in (select pid from pg_stat_activity where pid is not null)
      returning segment_id, members)
    insert into segment_counts (segment_id, shard, members)
    select segment_id, 0, sum(members) from gone group by segment_id order by segment_id
    on conflict (segment_id, shard) do update set members = segment_counts.members + excluded.members
    returning 1`);
  return rows.length;
}

export const segmentCountFoldQueue = 'segment-count-fold';

/**
 * A page of the segment's members, newest first, with the total. The page is chosen from the
 * membership rows alone and only its customers are read: joined first, a million-member segment
 * read a million customers to show fifty.
 */
export async function segmentMembers(db: Db, workspaceId: string, id: string, page: { limit: number; offset: number }): Promise<SegmentMembers> {
  const { number } = await findSegment(db, workspaceId, id);
  const total = (await memberCounts(db, [id])).get(id) ?? 0;
  const rows = await db.execute<{ id: string; traits: Record<string, unknown>; channels: Record<string, { address?: string | null }>; user_id: string | null; entered_at: string }>(sql`
    select c.id, c.traits, c.channels, p.entered_at,
      (select value from customer_identities i where i.customer_id = c.id and i.kind = 'user_id' limit 1) as user_id
    from (
      select m.customer_id, m.entered_at[array_position(m.segments, ${number}::int4)] as entered_at from customer_segments m
      where ${inSegment('m', number)} order by 2 desc, 1 limit ${page.limit} offset ${page.offset}
    ) p join customers c on c.id = p.customer_id
    order by p.entered_at desc, p.customer_id`);
  return {
    total,
    items: rows.map((row) => {
      const email = customerEmail(row.traits, row.channels);
      return {
        customerId: row.id,
        name: bestName(row.traits, { email, userId: row.user_id, phone: row.channels.sms?.address }),
        email,
        userId: row.user_id,
        enteredAt: new Date(row.entered_at).toISOString(),
      };
    }),
  };
}

const buildPageSize = 500;

/**
 * Works out a segment's members from every customer of its workspace, a page of customers per
 * transaction in id order (the cursor moves with the page, so a retried job resumes), showing
 * progress (`scanned` of `total`); stops when the segment was changed or deleted meanwhile (the
 * newer build takes over). Each page locks its customers, so an event changing one of them waits
 * for the page (or the page for it) and memberships never go back to older data. Changes are on
 * the customers' timelines; journeys are not started by a build (only by the customer's own events and time).
 */
export async function buildSegment(db: Db, now: () => number, job: SegmentBuildJob): Promise<void> {
  while (await db.transaction((tx) => buildPage(tx, now(), job))) {
    // one page of customers per transaction
  }
}

async function buildPage(tx: Tx, now: number, job: SegmentBuildJob): Promise<boolean> {
  const [segment] = await tx.select().from(segments).where(eq(segments.id, job.segmentId)).for('update');
  if (!segment || segment.revision !== job.revision || segment.status !== 'building') return false;
  const page = await tx.execute<{ id: string }>(sql`
    select id from customers where workspace_id = ${segment.workspaceId} and id > ${segment.cursor ?? ''} order by id limit ${buildPageSize} for update`);
  if (!page.length) {
    await tx.update(segments).set({ status: 'ready', cursor: null }).where(eq(segments.id, segment.id));
    return false;
  }
  const all = (await loadSegments(tx, [segment.workspaceId])).get(segment.workspaceId) ?? [];
  const def = all.find((s) => s.id === segment.id)!;
  const batch = createBatch();
  const ids = page.map((p) => p.id);
  // The events it counts, and those counted by segments built on it (a change cascades to them).
  await loadCustomers(tx, batch, ids, now, {
    history: eventHistoryNeed(
      withDependents(all, [def]).map((s) => s.rules),
      now,
    ),
  });
  const writes = createSegmentWrites();
  for (const id of ids) {
    const customer = batch.customers.get(id);
    if (customer) reevaluate(customer, all, [def], now, writes);
  }
  await persistSegments(tx, writes);
  await tx
    .update(segments)
    .set({ scanned: sql`${segments.scanned} + ${ids.length}`, total: sql`greatest(${segments.total}, ${segments.scanned} + ${ids.length})`, cursor: ids.at(-1)! })
    .where(eq(segments.id, segment.id));
  return true;
}

/** Customers an estimate evaluates at most: every one in smaller workspaces, a spread sample in larger. */
const estimateSample = 2_000;

/**
 * How many customers rules match, for the editor while the marketer writes them: exact when the
 * workspace has at most 2,000 customers, otherwise from a sample spread over ids by hash and
 * scaled up (`exact: false`); with up to five of the matching customers to look at.
 */
export async function estimateSegment(db: Db, now: number, workspaceId: string, rules: Rule): Promise<SegmentEstimate> {
  const [problem] = segmentProblems(rules);
  if (problem) throw new ApiError(400, 'invalid-request', `"${problem.field}": ${problem.message}`, { field: problem.field });
  return db.transaction(async (tx) => {
    const [{ total }] = (await tx.execute<{ total: number }>(sql`select count(*)::int as total from customers where workspace_id = ${workspaceId}`)) as unknown as [{ total: number }];
    const exact = total <= estimateSample;
    // hashtext spreads ids evenly; asking for a little more than the share keeps the sample near its size.
    const share = exact ? 65_536 : Math.ceil((65_536 * estimateSample * 1.1) / total);
    const page = await tx.execute<{ id: string }>(sql`
      select id from customers where workspace_id = ${workspaceId} and (hashtext(id) & 65535) < ${share} limit ${estimateSample}`);
    const batch = createBatch();
    const ids = page.map((p) => p.id);
    await loadCustomers(tx, batch, ids, now, { history: eventHistoryNeed([rules], now) });
    const matching = ids.filter((id) => {
      const customer = batch.customers.get(id);
      return (
        customer &&
        evaluateRules(rules, { now, customer: customer.profile, trigger: null, events: customer.events, messageActivity: [], consentPolicy: customer.consentPolicy, explain: false }).matched
      );
    });
    const checked = batch.customers.size;
    const sample = matching.slice(0, 5).map((id) => {
      const { profile } = batch.customers.get(id)!;
      const email = customerEmail(profile.traits, profile.channels);
      return { customerId: id, name: bestName(profile.traits, { email, userId: profile.externalId ?? null, phone: profile.channels.sms?.address }), email, userId: profile.externalId ?? null };
    });
    return { matching: exact || !checked ? matching.length : Math.round((matching.length / checked) * total), checked, total, exact, sample };
  });
}
