import { type CustomerEvent, evaluateRules, nextRuleChange, RuleGroup, type SegmentReads, segmentEventNames, segmentReads } from '@waymark/shared';
import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { anyOf, chunk, insertJson, storableJsonText } from '../../db/bulk-sql.ts';
import type { Tx } from '../../db/database.ts';
import type { CustomerRecord } from '../execution/run-batch.ts';

/** A segment as membership upkeep needs it. */
export interface SegmentDef {
  id: string;
  workspaceId: string;
  name: string;
  rules: RuleGroup;
  reads: SegmentReads;
}

/** A membership that changed, to write and to show on the customer's timeline. */
export interface SegmentChange {
  workspaceId: string;
  segmentId: string;
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

/** The timeline keeps one event per customer and batch listing the changes. */
export const segmentsChangedEvent = 'Segments Changed';

/** Track events that change what profile rules read (consent, a bounced address) besides identify. */
const profileEvents = new Set(['Consent Changed', 'Message Bounced']);

const parsed = new Map<string, SegmentDef>();

/** The workspaces' segments (rules parsed once per revision). */
export async function loadSegments(tx: Tx, workspaceIds: string[]): Promise<Map<string, SegmentDef[]>> {
  const bySpace = new Map<string, SegmentDef[]>();
  if (!workspaceIds.length) return bySpace;
  const rows = await tx.execute<{ id: string; workspace_id: string; name: string; rules: unknown; revision: number }>(
    sql`select id, workspace_id, name, rules, revision from segments where ${anyOf(sql`workspace_id`, workspaceIds)}`,
  );
  for (const row of rows) {
    const key = `${row.id}@${row.revision}`;
    let def = parsed.get(key);
    if (!def || def.name !== row.name) {
      const rules = RuleGroup.parse(row.rules);
      def = { id: row.id, workspaceId: row.workspace_id, name: row.name, rules, reads: segmentReads(rules) };
      parsed.set(key, def);
    }
    const list = bySpace.get(row.workspace_id);
    if (list) list.push(def);
    else bySpace.set(row.workspace_id, [def]);
  }
  return bySpace;
}

/** Which segments each customer is in now, and when each is due to be checked again (when a recheck is set): one round trip. */
export async function loadMemberships(tx: Tx, customerIds: string[]): Promise<{ segments: Map<string, string[]>; rechecks: Map<string, number> }> {
  if (!customerIds.length) return { segments: new Map(), rechecks: new Map() };
  const ids = anyOf(sql`customer_id`, customerIds);
  const rows = await tx.execute<{ customer_id: string; segment_id: string | null; due_at: string | null }>(sql`
    select customer_id, segment_id, null::timestamptz as due_at from segment_members where ${ids}
    union all
    select customer_id, null, due_at from segment_rechecks where ${ids}`);
  const segments = new Map<string, string[]>();
  const rechecks = new Map<string, number>();
  for (const row of rows) {
    if (row.due_at !== null) rechecks.set(row.customer_id, new Date(row.due_at).getTime());
    else if (row.segment_id !== null) {
      const list = segments.get(row.customer_id);
      if (list) list.push(row.segment_id);
      else segments.set(row.customer_id, [row.segment_id]);
    }
  }
  return { segments, rechecks };
}

/** The segments an input can change for a customer: an identify those reading the profile; a track those counting its event. */
export function touchedBy(segments: SegmentDef[], input: { type: 'identify' } | { type: 'track'; name: string }): SegmentDef[] {
  return segments.filter((s) => (input.type === 'identify' ? s.reads.profile : s.reads.events.has(input.name) || (s.reads.profile && profileEvents.has(input.name))));
}

/**
 * Evaluates `which` of the workspace's segments for the customer at `now` — and then every segment
 * that refers to one whose membership changed, until nothing changes — updating the profile's
 * `segments` in memory, recording each change and when each evaluated membership must be checked
 * again. Returns the changes, in order, for the caller to feed to journeys as events.
 */
export function reevaluate(customer: CustomerRecord, all: SegmentDef[], which: SegmentDef[], now: number, writes: SegmentWrites): SegmentChange[] {
  const changes: SegmentChange[] = [];
  const at = new Date(now).toISOString();
  let pending = which;
  // Segments of segments: at most as many rounds as there are segments (cycles are refused on save).
  for (let round = 0; pending.length && round <= all.length; round++) {
    const changed = new Set<string>();
    for (const segment of pending) {
      const profile = customer.profile;
      const env = { now, customer: profile, trigger: null, events: customer.events, messageActivity: [], consentPolicy: customer.consentPolicy, explain: false };
      const matched = evaluateRules(segment.rules, env).matched;
      const member = profile.segments?.includes(segment.id) ?? false;
      // Only segments time can change are checked again later; the customer keeps the earliest instant.
      if (segment.reads.timed) {
        const next = nextRuleChange(segment.rules, env);
        const known = writes.rechecks.get(profile.id)?.dueAt ?? customer.recheckAt ?? Number.POSITIVE_INFINITY;
        // A recheck already set at or before this instant covers it (rows keep the earlier instant): nothing to write.
        if (next !== null && next < known) writes.rechecks.set(profile.id, { customerId: profile.id, workspaceId: segment.workspaceId, dueAt: next });
      }
      if (matched === member) continue;
      customer.profile = { ...profile, segments: matched ? [...(profile.segments ?? []), segment.id] : (profile.segments ?? []).filter((id) => id !== segment.id) };
      const change: SegmentChange = { workspaceId: segment.workspaceId, segmentId: segment.id, segmentName: segment.name, customerId: profile.id, change: matched ? 'entered' : 'exited', at };
      changes.push(change);
      writes.changes.push(change);
      changed.add(segment.id);
    }
    pending = all.filter((s) => [...s.reads.segments].some((id) => changed.has(id)));
  }
  return changes;
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
 * Writes a batch's membership changes in the caller's transaction: members added and removed,
 * the changes as one `Segments Changed` event per customer on the timeline (not queued: journeys
 * already saw each change in the batch), and the rechecks set or cleared.
 */
export async function persistSegments(tx: Tx, writes: SegmentWrites): Promise<void> {
  const entered = writes.changes.filter((c) => c.change === 'entered');
  const exited = writes.changes.filter((c) => c.change === 'exited');
  for (const rows of chunk(entered, 5_000)) {
    await tx.execute(
      insertJson(
        'segment_members',
        rows.map((c) => ({ segmentId: c.segmentId, customerId: c.customerId, workspaceId: c.workspaceId, enteredAt: c.at })),
        sql`on conflict do nothing`,
      ),
    );
  }
  for (const rows of chunk(exited, 5_000)) {
    await tx.execute(sql`
      delete from segment_members m using jsonb_to_recordset(${storableJsonText(rows.map((c) => ({ s: c.segmentId, c: c.customerId })))}::jsonb) as v(s text, c text)
      where m.segment_id = v.s and m.customer_id = v.c`);
  }
  // On the timeline, one event per customer and batch lists what changed (journeys saw each change as its own event already).
  const byCustomer = [...Map.groupBy(writes.changes, (c) => c.customerId)].map(([customerId, list]) => timelineEvent(customerId, list));
  for (const rows of chunk(byCustomer, 5_000)) await tx.execute(insertJson('events', rows, sql`on conflict do nothing`));
  // Sorted, so concurrent batches lock recheck rows in one order. The earlier instant wins: a
  // recheck claimed at it checks every segment time can change and sets the next one.
  const rechecks = [...writes.rechecks.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : 1)).map((r) => ({ ...r, dueAt: new Date(r.dueAt).toISOString() }));
  for (const rows of chunk(rechecks, 5_000)) {
    await tx.execute(insertJson('segment_rechecks', rows, sql`on conflict (customer_id) do update set due_at = least(segment_rechecks.due_at, excluded.due_at)`));
  }
}

/** The timeline's record of a customer's membership changes in one batch: `Segments Changed`, with what was entered and left. */
function timelineEvent(customerId: string, changes: SegmentChange[]) {
  const at = changes[0]!.at;
  const list = (change: SegmentChange['change']) => changes.filter((c) => c.change === change).map((c) => ({ segmentId: c.segmentId, segment: c.segmentName }));
  return {
    workspaceId: changes[0]!.workspaceId,
    // Short and unique per batch's changes (a long id would make a wide entry in the events' unique index).
    messageId: `segments:${customerId}:${Date.parse(at)}:${createHash('sha1')
      .update(changes.map((c) => `${c.change}:${c.segmentId}`).join(','))
      .digest('base64url')
      .slice(0, 16)}`,
    customerId,
    type: 'track',
    name: segmentsChangedEvent,
    properties: { entered: list('entered'), exited: list('exited') },
    timestamp: at,
    receivedAt: at,
  };
}

/**
 * Claims due rechecks of one share of the customers (SKIP LOCKED, so loops and processes share
 * them), deleting them: the batch that claims them evaluates every segment of those customers
 * and sets each one's next recheck in the same transaction.
 */
export async function claimDueRechecks(tx: Tx, now: number, share: SQL, limit: number): Promise<{ customerId: string; workspaceId: string }[]> {
  const rows = await tx.execute<{ customer_id: string; workspace_id: string }>(sql`
    delete from segment_rechecks r using (
      select customer_id from segment_rechecks
      where due_at <= ${new Date(now).toISOString()} and ${share} order by due_at limit ${limit} for update skip locked) d
    where r.customer_id = d.customer_id
    returning r.customer_id, r.workspace_id`);
  return rows.map((r) => ({ customerId: r.customer_id, workspaceId: r.workspace_id }));
}
