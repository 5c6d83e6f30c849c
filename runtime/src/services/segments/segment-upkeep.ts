import { type CustomerEvent, evaluateRules, matchAndNextChange, RuleGroup, type SegmentReads, segmentEventNames, segmentReads } from '@waymark/shared';
import { type SQL, sql } from 'drizzle-orm';
import { anyOf, chunk, intArray, positions, textArray } from '../../db/bulk-sql.ts';
import { addToCounts, insertExits } from './membership-sql.ts';
import type { Tx } from '../../db/database.ts';
import type { CustomerRecord } from '../execution/run-batch.ts';

/** A segment as membership upkeep needs it. */
export interface SegmentDef {
  id: string;
  /** What memberships store (`segments.number`). */
  number: number;
  workspaceId: string;
  name: string;
  rules: RuleGroup;
  reads: SegmentReads;
}

/** A membership that changed, to write and to show on the customer's timeline. */
export interface SegmentChange {
  workspaceId: string;
  segmentId: string;
  segmentNumber: number;
  segmentName: string;
  customerId: string;
  change: 'entered' | 'exited';
  at: string;
}

/** Membership writes gathered while a batch runs, written with it by `persistSegments`. */
export interface SegmentWrites {
  changes: SegmentChange[];
  /** Per customer, the earliest instant time alone may change one of their memberships. */
  rechecks: Map<string, { customerId: string; workspaceId: string; dueAt: number }>;
}

export const createSegmentWrites = (): SegmentWrites => ({ changes: [], rechecks: new Map() });

/** Track events that change what profile rules read (consent, a bounced address) besides identify. */
const profileEvents = new Set(['Consent Changed', 'Message Bounced']);

const parsed = new Map<string, SegmentDef>();

/** The ids of segment numbers (a deleted segment's has none: left out); a handful of rows per batch. */
export async function segmentIdsOf(tx: Tx, numbers: Iterable<number>): Promise<Map<number, string>> {
  const wanted = [...new Set(numbers)];
  if (!wanted.length) return new Map();
  const rows = await tx.execute<{ id: string; number: number }>(sql`select id, number from segments where number = any(${intArray(wanted)}::int4[])`);
  return new Map(rows.map((row) => [row.number, row.id]));
}

/** The workspaces' segments (rules parsed once per revision). */
export async function loadSegments(tx: Tx, workspaceIds: string[]): Promise<Map<string, SegmentDef[]>> {
  const bySpace = new Map<string, SegmentDef[]>();
  if (!workspaceIds.length) return bySpace;
  const rows = await tx.execute<{ id: string; number: number; workspace_id: string; name: string; rules: unknown; revision: number }>(
    sql`select id, number, workspace_id, name, rules, revision from segments where ${anyOf(sql`workspace_id`, workspaceIds)}`,
  );
  for (const row of rows) {
    const key = `${row.id}@${row.revision}`;
    let def = parsed.get(key);
    if (!def || def.name !== row.name) {
      const rules = RuleGroup.parse(row.rules);
      def = { id: row.id, number: row.number, workspaceId: row.workspace_id, name: row.name, rules, reads: segmentReads(rules) };
      parsed.set(key, def);
    }
    const list = bySpace.get(row.workspace_id);
    if (list) list.push(def);
    else bySpace.set(row.workspace_id, [def]);
  }
  return bySpace;
}

/** The segments an input can change for a customer: an identify those reading the profile; a track those counting its event. */
export function touchedBy(segments: SegmentDef[], input: UpkeepInput): SegmentDef[] {
  return segments.filter((s) => (input.type === 'identify' ? s.reads.profile : s.reads.events.has(input.name) || (s.reads.profile && profileEvents.has(input.name))));
}

/** `chosen` and every segment built on one of them, directly or through others: what a change of theirs can reach. */
export function withDependents(segments: SegmentDef[], chosen: SegmentDef[]): SegmentDef[] {
  const reached = new Set(chosen);
  for (let grew = reached.size > 0; grew; ) {
    grew = false;
    const ids = new Set([...reached].map((s) => s.id));
    for (const segment of segments) {
      if (!reached.has(segment) && refersToAny(segment, ids)) {
        reached.add(segment);
        grew = true;
      }
    }
  }
  return [...reached];
}

/** What reaches upkeep: an identify, or a track event by name. */
export type UpkeepInput = { type: 'identify' } | { type: 'track'; name: string };

/**
 * Evaluates `which` of the workspace's segments for the customer at `now` — and then every segment
 * that refers to one whose membership changed, until nothing changes — updating the profile's
 * `segments` in memory, recording each change and when each evaluated membership must be checked
 * again. Returns the changes, in order, for the caller to feed to journeys as events.
 */
export function reevaluate(customer: CustomerRecord, all: SegmentDef[], which: SegmentDef[], now: number, writes: SegmentWrites): SegmentChange[] {
  const changes: SegmentChange[] = [];
  if (!which.length) return changes;
  const start = customer.profile;
  // One copy of the profile for the whole evaluation, its segments updated in place as they change
  // (so "is in segment" rules see each change at once); it replaces the customer's profile if anything changed.
  const segments = [...(start.segments ?? [])];
  const profile = { ...start, segments };
  const env = { now, customer: profile, trigger: null, events: customer.events, messageActivity: [], consentPolicy: customer.consentPolicy, explain: false };
  let at: string | undefined;
  let pending = which;
  // Segments of segments: at most as many rounds as there are segments (cycles are refused on save).
  for (let round = 0; pending.length && round <= all.length; round++) {
    const changed = new Set<string>();
    for (const segment of pending) {
      // Only segments time can change are checked again later (their verdict and next change found in one walk); the customer keeps the earliest instant.
      const { matched, next } = segment.reads.timed ? matchAndNextChange(segment.rules, env) : { matched: evaluateRules(segment.rules, env).matched, next: null };
      const index = segments.indexOf(segment.id);
      // A recheck already set at or before this instant covers it (rows keep the earlier instant): nothing to write.
      if (next !== null && next < (writes.rechecks.get(profile.id)?.dueAt ?? customer.recheckAt ?? Number.POSITIVE_INFINITY)) {
        writes.rechecks.set(profile.id, { customerId: profile.id, workspaceId: segment.workspaceId, dueAt: next });
      }
      if (matched === index >= 0) continue;
      if (matched) segments.push(segment.id);
      else segments.splice(index, 1);
      at ??= isoAt(now);
      const change: SegmentChange = {
        workspaceId: segment.workspaceId,
        segmentId: segment.id,
        segmentNumber: segment.number,
        segmentName: segment.name,
        customerId: profile.id,
        change: matched ? 'entered' : 'exited',
        at,
      };
      changes.push(change);
      writes.changes.push(change);
      changed.add(segment.id);
    }
    pending = changed.size ? all.filter((s) => refersToAny(s, changed)) : [];
  }
  if (changes.length) customer.profile = profile;
  return changes;
}

/** `now` as ISO text, kept for the instant last asked: every customer a batch changes asks for the batch's. */
const lastIso = { at: Number.NaN, text: '' };
function isoAt(now: number): string {
  if (lastIso.at !== now) {
    lastIso.at = now;
    lastIso.text = new Date(now).toISOString();
  }
  return lastIso.text;
}

/** Whether a segment's rules name one of `ids` ("is in segment"). */
function refersToAny(segment: SegmentDef, ids: Set<string>): boolean {
  for (const id of segment.reads.segments) if (ids.has(id)) return true;
  return false;
}

/** A membership change as the event journeys and the timeline see (`Segment Entered` / `Segment Exited`). */
export function changeEvent(change: SegmentChange): CustomerEvent {
  return {
    id: `segment:${change.segmentId}:${change.customerId}:${Date.parse(change.at)}:${change.change}`,
    name: segmentEventNames[change.change],
    properties: { segmentId: change.segmentId, segment: change.segmentName },
    timestamp: change.at,
  };
}

/**
 * What a batch changed for each customer, net: a segment entered and left again in one batch
 * (or left and entered) changed nothing.
 */
function netChanges(changes: SegmentChange[]): Map<string, Map<string, SegmentChange>> {
  const byCustomer = new Map<string, Map<string, SegmentChange>>();
  for (const change of changes) {
    const net = byCustomer.get(change.customerId) ?? new Map<string, SegmentChange>();
    byCustomer.set(change.customerId, net);
    // Changes of one segment alternate (entered, exited, entered…): a second undoes the first.
    if (net.has(change.segmentId)) net.delete(change.segmentId);
    else net.set(change.segmentId, change);
  }
  return byCustomer;
}

/**
 * Writes a batch's membership changes in the caller's transaction, one row per customer: the
 * segments left (a first statement, for customers who left any), then the segments entered with
 * when, and the recheck (the earlier instant wins: a recheck claimed at it checks every segment
 * time can change and sets the next one). Each statement applies its differences to the rows as
 * they are (an update, or an insert whose conflict updates, that meets a concurrent writer's row
 * waits for it and then applies to the row it left) and adds to `segment_counts` exactly what changed in them,
 * known from what each row held before (`old`, PostgreSQL 18's `returning old`; `addToCounts`): two
 * writers of one customer never undo each other, and counts never drift whatever the batch
 * believed. (Each statement read its rows locked first, `select … for update`, and then updated
 * them; the update alone takes about a sixth off the CPU upkeep adds in the benchmark's worst
 * case.) A membership that ended moves to `segment_exits` with its entry (the history); one that
 * began needs nothing more, its entry is in the row. Values go as arrays (one parameter per
 * column, far cheaper to parse than a JSON document); customers in id order, so in the usual plan
 * concurrent batches lock their rows in one order (a deadlock in another is retried with the batch).
 */
export async function persistSegments(tx: Tx, writes: SegmentWrites): Promise<void> {
  const net = netChanges(writes.changes);
  const ids = [...new Set([...[...net].filter(([, changes]) => changes.size).map(([id]) => id), ...writes.rechecks.keys()])].sort();
  const rows = ids.map((customerId) => {
    const changes = [...(net.get(customerId)?.values() ?? [])];
    const recheck = writes.rechecks.get(customerId);
    return {
      c: customerId,
      w: changes[0]?.workspaceId ?? recheck!.workspaceId,
      // One instant per batch: every change of a customer in it has the batch's time.
      at: changes[0]?.at ?? null,
      e: changes.filter((c) => c.change === 'entered').map((c) => c.segmentNumber),
      x: changes.filter((c) => c.change === 'exited').map((c) => c.segmentNumber),
      r: recheck ? new Date(recheck.dueAt).toISOString() : null,
    };
  });
  for (const page of chunk(rows, 5_000)) {
    const leaving = page.filter((r) => r.x.length);
    if (leaving.length) {
      // Each row loses what it holds of what it leaves; what it held (`old`) gives, in the order
      // left, the entries that move to the history and the members the counts lose.
      const at = positions(leaving.map((r) => r.at));
      await tx.execute(sql`
        with v as (
          select v.c, v.x::int4[] as x, (${textArray(at.distinct)}::timestamptz[])[v.at] as at
          from unnest(${textArray(leaving.map((r) => r.c))}::text[], ${textArray(leaving.map((r) => intArray(r.x)))}::text[], ${at.positions}::int4[]) as v(c, x, at)
          order by v.c
        ),
        kept as (
          update customer_segments m set
            segments = array(select s from unnest(m.segments) s where s <> all(v.x)),
            entered_at = array(select t from unnest(m.segments, m.entered_at) u(s, t) where s <> all(v.x))
          from v where m.customer_id = v.c and m.segments && v.x
          returning m.customer_id, m.workspace_id, v.at, v.x, old.segments, old.entered_at
        ),
        o as (
          select kept.customer_id, kept.workspace_id, kept.at, array_agg(u.s order by array_position(kept.x, u.s)) as left_, array_agg(u.t order by array_position(kept.x, u.s)) as left_at
          from kept cross join lateral unnest(kept.segments, kept.entered_at) u(s, t)
          where u.s = any(kept.x)
          group by kept.customer_id, kept.workspace_id, kept.at
        ),
        counted as (${addToCounts(sql`select s, -1 as d from o cross join unnest(o.left_) s`)})
        ${insertExits(sql`select customer_id, workspace_id, at, left_ as segments, left_at as entered_at from o`)}`);
    }
    const entering = page.filter((r) => r.r !== null || r.e.length);
    if (entering.length) await enterSegments(tx, entering);
  }
}

/**
 * Appends to each customer's row what they enter that it does not hold yet, with its time, and
 * counts what was appended (`old`, the row as the statement found it, tells); sets the earlier
 * recheck. A customer without a row gets one. One `insert … on conflict do update`: the update
 * applies to the row as it is when the statement reaches it (a row another writer created or
 * changed meanwhile included, after waiting for it), so nothing is held twice or counted twice and
 * no customer needs writing again. (It replaced an update followed by an insert of the customers
 * the update had not found: the planner looked for those by hashing every membership row of the
 * table, a third of the statement's time at 20,000 customers and growing with them.)
 */
async function enterSegments(tx: Tx, rows: { c: string; w: string; at: string | null; e: number[]; r: string | null }[]): Promise<void> {
  // The segments entered, each held (KEY SHARE) until commit: a deletion locks its segment first,
  // so it either waits for this batch and then finds these members, or has deleted it and this
  // statement enters nobody into it (no row keeps a number that is gone).
  const entered = [...new Set(rows.flatMap((r) => r.e))];
  /** What the row does not hold yet of what it enters (`excluded`, what the statement would have inserted). */
  const added = sql`array(select s from unnest(excluded.segments) s where s <> all(m.segments))`;
  const [spaces, at] = [positions(rows.map((r) => r.w)), positions(rows.map((r) => r.at))];
  await tx.execute(sql`
    with v as (
      select v.c, (${textArray(spaces.distinct)}::text[])[v.w] as w, v.e::int4[] as e, (${textArray(at.distinct)}::timestamptz[])[v.at] as at, v.r
      from unnest(${textArray(rows.map((r) => r.c))}::text[], ${spaces.positions}::int4[], ${textArray(rows.map((r) => intArray(r.e)))}::text[], ${at.positions}::int4[], ${textArray(rows.map((r) => r.r))}::timestamptz[]) as v(c, w, e, at, r)
    ),
    locked as (select number from segments where number = any(${intArray(entered)}::int4[]) order by number for key share),
    live as (select array(select number from locked) as n),
    -- Leaving out segments deleted since.
    f as (
      select v.c, v.w, v.at, v.r, case when cardinality(live.n) = ${entered.length} then v.e else array(select s from unnest(v.e) s where s = any(live.n)) end as e
      from v cross join live
    ),
    written as (
      insert into customer_segments as m (customer_id, workspace_id, segments, entered_at, recheck_at)
      -- (A customer whose segments were all deleted since, with no recheck, has nothing to write.)
      select f.c, f.w, f.e, array_fill(f.at, array[cardinality(f.e)]), f.r from f where cardinality(f.e) > 0 or f.r is not null order by f.c
      on conflict (customer_id) do update set
        segments = m.segments || ${added},
        entered_at = m.entered_at || excluded.entered_at[1:cardinality(${added})],
        recheck_at = least(m.recheck_at, excluded.recheck_at)
      where not excluded.segments <@ m.segments or excluded.recheck_at < m.recheck_at or (excluded.recheck_at is not null and m.recheck_at is null)
      returning new.segments[coalesce(cardinality(old.segments), 0) + 1:] as e
    )
    ${addToCounts(sql`select unnest(e) as s, 1 as d from written`)}`);
}

/**
 * Claims due rechecks of one share of the customers (SKIP LOCKED, so loops and processes share
 * them), clearing them: the batch that claims them evaluates every segment of those customers
 * and sets each one's next recheck in the same transaction.
 */
export async function claimDueRechecks(tx: Tx, now: number, share: SQL, limit: number): Promise<{ customerId: string; workspaceId: string }[]> {
  const rows = await tx.execute<{ customer_id: string; workspace_id: string }>(sql`
    update customer_segments r set recheck_at = null from (
      select customer_id from customer_segments
      where recheck_at <= ${new Date(now).toISOString()} and ${share} order by recheck_at limit ${limit} for update skip locked) d
    where r.customer_id = d.customer_id
    returning r.customer_id, r.workspace_id`);
  return rows.map((r) => ({ customerId: r.customer_id, workspaceId: r.workspace_id }));
}
