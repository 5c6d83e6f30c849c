import { ConsentState, type RefusedEntry, splitTraits, type TimelineItem, type TimelineKind, type TimelinePage } from '@waymark/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { listRefusals } from '../journeys/entry-refusals.ts';
import { consentChangedEvent } from './change-consent.ts';
import { labelOf, nodeLabels } from './node-labels.ts';
import { anyOf } from '../../db/bulk-sql.ts';
import { membershipChanges } from '../segments/membership-sql.ts';

/** How the timeline shows a batch's membership changes: as this event, listing what was entered and left. */
export const segmentsChangedEvent = 'Segments Changed';

/*
 * The timeline merges six sources, each read newest first from its own index and cut at the same
 * cursor: events, membership changes, runs (entries and exits), messages (queued or sent, delivered,
 * opened, clicked), skipped sends and refused entries. An item's position is (time in microseconds, key); keys
 * compare bytewise (`collate "C"` in SQL, code units in JS) and their first letter orders items of
 * one instant as the story goes: event (a) < membership change (a~) < entry or refusal (b) < skip (c) < message (d) < exit (f).
 */

interface Entry {
  micros: bigint;
  key: string;
  item: TimelineItem;
}

/** Where the previous page ended: `micros:key`. */
interface Cursor {
  micros: bigint;
  key: string;
}

const parseCursor = (before: string | undefined): Cursor | null => {
  if (!before) return null;
  const colon = before.indexOf(':');
  return { micros: BigInt(before.slice(0, colon)), key: before.slice(colon + 1) };
};

const newerFirst = (a: Entry, b: Entry) => (a.micros !== b.micros ? (a.micros > b.micros ? -1 : 1) : a.key > b.key ? -1 : a.key < b.key ? 1 : 0);
const olderThan = (cursor: Cursor | null) => (entry: Entry) => !cursor || newerFirst(entry, { ...entry, ...cursor }) > 0;

/** Rows of one source older than the cursor, newest first, at most `limit`: `inner` yields `ts` (timestamptz) and `key`. */
async function read<T>(db: Db, inner: SQL, cursor: Cursor | null, limit: number) {
  const at = cursor && sql`(timestamptz 'epoch' + ${cursor.micros.toString()}::bigint * interval '1 microsecond')`;
  return db.execute<T & { key: string; at: string; micros: string }>(sql`
    select x.*, to_json(x.ts) #>> '{}' as at, (extract(epoch from x.ts) * 1000000)::bigint::text as micros
    from (${inner}) x
    where ${cursor ? sql`(x.ts < ${at} or (x.ts = ${at} and x.key collate "C" < ${cursor.key}))` : sql`true`}
    order by x.ts desc, x.key collate "C" desc limit ${limit}`);
}

const iso = (at: string) => new Date(at).toISOString();
const consentValues: ReadonlySet<string> = new Set(ConsentState.options);

type ConsentSource = Extract<TimelineItem, { kind: 'consent' }>['source'];
const changeSources = new Set<string>(['link', 'preference-page', 'sms-reply', 'api', 'push-subscription'] satisfies ConsentSource[]);

/** A `Consent Changed` event's properties, when they are what changeConsent writes (anything else stays a plain event). */
function consentChange(properties: Record<string, unknown>): { channel: string; consent: string; source: ConsentSource; topic?: string } | null {
  const { channel, consent, source, topic } = properties;
  if (typeof channel !== 'string' || typeof consent !== 'string' || !consentValues.has(consent) || typeof source !== 'string' || !changeSources.has(source)) return null;
  return { channel, consent, source: source as ConsentSource, ...(typeof topic === 'string' ? { topic } : {}) };
}

async function eventEntries(db: Db, customerId: string, kinds: Set<TimelineKind>, cursor: Cursor | null, limit: number): Promise<Entry[]> {
  const engagement = sql`(e.message_id like 'opened:%' or e.message_id like 'clicked:%' or e.message_id like 'unsubscribed:%' or (e.message_id like 'consent:%' and e.name = 'Consent Changed'))`;
  const unsubscribe = sql`((e.message_id like 'unsubscribed:%' and e.name = 'Unsubscribed') or (e.message_id like 'consent:%' and e.name = 'Consent Changed'))`;
  const consentTraits = sql`(e.type = 'identify' and (e.properties -> 'unsubscribed' = 'true'::jsonb or exists (select 1 from jsonb_each_text(case when jsonb_typeof(e.properties -> 'consent') = 'object' then e.properties -> 'consent' else '{}'::jsonb end) c where c.value in ('opted-in', 'subscribed', 'unsubscribed'))))`;
  // The Consent Changed an identify's consent trait made (for journeys to hear): the identify itself shows that change.
  const echo = sql`(e.name = 'Consent Changed' and e.message_id like 'consent:identify:%' and e.properties ->> 'source' = 'identify')`;
  // Opens and clicks are shown as the message's news; an unsubscribe and a Consent Changed as a consent change.
  const shown = kinds.has('event') && kinds.has('consent') ? sql`(not ${engagement} or ${unsubscribe})` : kinds.has('event') ? sql`not ${engagement}` : sql`(${unsubscribe} or ${consentTraits})`;
  const which = sql`${shown} and not ${echo}`;
  const rows = await read<{ id: number; type: string; name: string | null; properties: Record<string, unknown> }>(
    db,
    sql`select e.id, e.type, e.name, e.properties, e.timestamp as ts, 'a' || lpad(e.id::text, 19, '0') as key from events e where e.customer_id = ${customerId} and ${which}`,
    cursor,
    limit,
  );
  return rows.flatMap((row) => {
    const base = { micros: BigInt(row.micros), at: iso(row.at) };
    const entries: Entry[] = [];
    const consent = (channel: string, state: string, source: ConsentSource, topic?: string) =>
      entries.push({ ...base, key: `${row.key}:c:${channel}`, item: { kind: 'consent', id: `${row.key}:c:${channel}`, at: base.at, channel, consent: state, source, ...(topic ? { topic } : {}) } });
    if (row.name === 'Unsubscribed' && typeof row.properties.channel === 'string') {
      consent(row.properties.channel, 'unsubscribed', 'link');
      return entries;
    }
    // Written by changeConsent: the preference page, STOP / START, the API, a push subscription.
    const changed = row.name === consentChangedEvent ? consentChange(row.properties) : null;
    if (changed) {
      consent(changed.channel, changed.consent, changed.source, changed.topic);
      return entries;
    }
    if (row.type === 'identify') {
      // What the call set, as ingestion applied it (`consent.email` over `unsubscribed`; nothing for a channel consent is not kept for).
      for (const [channel, fields] of Object.entries(splitTraits(row.properties).channels)) if (typeof fields.consent === 'string') consent(channel, fields.consent, 'identify');
    }
    entries.push({ ...base, key: row.key, item: { kind: 'event', id: row.key, at: base.at, type: row.type, name: row.name, properties: row.properties } });
    return entries;
  });
}

/**
 * Membership changes (one row per instant that changed any), shown as the `Segments Changed` event
 * they stand for, with each segment's name as it is now (a deleted one as such).
 */
async function segmentEntries(db: Db, customerId: string, cursor: Cursor | null, limit: number): Promise<Entry[]> {
  const rows = await read<{ entered: string[]; exited: string[] }>(db, sql`select c.entered, c.exited, c.at as ts, 'a~' as key from (${membershipChanges(customerId)}) c`, cursor, limit);
  const nameOf = await segmentNames(
    db,
    rows.flatMap((r) => [...r.entered, ...r.exited]),
  );
  return rows.map((row) => {
    const list = (ids: string[]) => ids.map((segmentId) => ({ segmentId, segment: nameOf(segmentId) }));
    const at = iso(row.at);
    return {
      micros: BigInt(row.micros),
      key: row.key,
      item: { kind: 'event', id: `${row.key}${row.micros}`, at, type: 'track', name: segmentsChangedEvent, properties: { entered: list(row.entered), exited: list(row.exited) } },
    };
  });
}

/** The names of these segments as they are now, by id; one deleted since is "a deleted segment". */
export async function segmentNames(db: Db, ids: string[]): Promise<(id: string) => string> {
  const rows = ids.length ? await db.execute<{ id: string; name: string }>(sql`select id, name from segments where ${anyOf(sql`id`, [...new Set(ids)])}`) : [];
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return (id) => names.get(id) ?? 'a deleted segment';
}

async function runEntries(db: Db, customerId: string, cursor: Cursor | null, limit: number): Promise<Entry[]> {
  const columns = sql`p.id as run_id, p.journey_id, coalesce(j.name, 'a deleted journey') as journey_name, p.version, p.status, p.state ->> 'endReason' as end_reason`;
  const rows = await read<{ run_id: string; journey_id: string; journey_name: string; version: number; status: string; end_reason: string | null }>(
    db,
    sql`select ${columns}, p.entered_at as ts, 'b' || p.id as key from progress p left join journeys j on j.id = p.journey_id where p.customer_id = ${customerId}
      union all
      select ${columns}, p.ended_at as ts, 'f' || p.id as key from progress p left join journeys j on j.id = p.journey_id where p.customer_id = ${customerId} and p.ended_at is not null`,
    cursor,
    limit,
  );
  return rows.map((row) => ({
    micros: BigInt(row.micros),
    key: row.key,
    item: {
      kind: 'journey',
      id: row.key,
      at: iso(row.at),
      action: row.key.startsWith('b') ? 'entered' : 'exited',
      runId: row.run_id,
      journeyId: row.journey_id,
      journeyName: row.journey_name,
      version: row.version,
      status: row.status,
      endReason: row.end_reason,
    },
  }));
}

async function messageEntries(db: Db, customerId: string, cursor: Cursor | null, limit: number): Promise<Entry[]> {
  const rows = await read<{ message_id: string; action: string; channel: string; journey_id: string; journey_name: string; summary: string | null; error: string | null }>(
    db,
    sql`select m.id as message_id, v.action, m.channel, m.journey_id, coalesce(j.name, 'a deleted journey') as journey_name,
        left(coalesce(m.content ->> 'subject', m.content ->> 'title', m.content ->> 'text', m.content ->> 'url'), 200) as summary, m.error, v.ts, 'd' || m.id || v.suffix as key
      from messages m left join journeys j on j.id = m.journey_id
      cross join lateral (values
        (':0', coalesce(m.sent_at, m.created_at), case when m.status = 'failed' then 'failed' when m.status in ('sent', 'delivered') then 'sent' else 'queued' end),
        (':1', m.delivered_at, 'delivered'), (':2', m.opened_at, 'opened'), (':3', m.clicked_at, 'clicked')) v(suffix, ts, action)
      where m.customer_id = ${customerId} and v.ts is not null`,
    cursor,
    limit,
  );
  return rows.map((row) => ({
    micros: BigInt(row.micros),
    key: row.key,
    item: {
      kind: 'message',
      id: row.key,
      at: iso(row.at),
      action: row.action as 'sent',
      messageId: row.message_id,
      channel: row.channel,
      journeyId: row.journey_id,
      journeyName: row.journey_name,
      summary: row.summary,
      reason: row.action === 'failed' ? 'delivery-failed' : null,
      detail: row.action === 'failed' || row.action === 'queued' ? row.error : null,
    },
  }));
}

async function skipEntries(db: Db, customerId: string, cursor: Cursor | null, limit: number): Promise<Entry[]> {
  // Only sends: an update-profile step also records `skipped:template-error`.
  const rows = await read<{ reason: string; detail: string; node_id: string; journey_id: string; version: number; journey_name: string }>(
    db,
    sql`select s.reason, s.detail, s.node_id, s.journey_id, s.version, coalesce(j.name, 'a deleted journey') as journey_name, s.at as ts, 'c' || lpad(s.id::text, 19, '0') as key
      from steps s join progress p on p.id = s.progress_id left join journeys j on j.id = s.journey_id
      where p.customer_id = ${customerId} and s.reason like 'skipped:%'
        and exists (select 1 from journey_versions v cross join lateral jsonb_array_elements(v.document -> 'graph' -> 'nodes') n
                    where v.journey_id = s.journey_id and v.version = s.version and n ->> 'id' = s.node_id and n ->> 'type' = 'send')`,
    cursor,
    limit,
  );
  const labels = await nodeLabels(
    db,
    rows.map((r) => ({ journeyId: r.journey_id, version: r.version })),
  );
  return rows.map((row) => {
    const node = labelOf(labels, row.journey_id, row.version, row.node_id);
    return {
      micros: BigInt(row.micros),
      key: row.key,
      item: {
        kind: 'message',
        id: row.key,
        at: iso(row.at),
        action: 'skipped',
        messageId: null,
        channel: node?.channel ?? null,
        journeyId: row.journey_id,
        journeyName: row.journey_name,
        summary: node?.label ?? null,
        reason: row.reason,
        detail: row.detail,
      },
    };
  });
}

function refusalEntries(refusals: readonly RefusedEntry[]): Entry[] {
  return refusals.map((refusal) => {
    const key = `b~${refusal.journeyId}:${refusal.reason}`;
    return { micros: BigInt(Date.parse(refusal.lastAt)) * 1000n, key, item: { kind: 'refusal', id: key, at: refusal.lastAt, refusal } };
  });
}

/** Fetches the refusals only when the caller has not already (the customer view has). */
export interface TimelineOptions {
  before?: string;
  kinds: readonly TimelineKind[];
  limit: number;
  refusals?: readonly RefusedEntry[];
}

/**
 * One page of a customer's timeline, newest first, of the kinds asked for: events, journey entries
 * and exits, messages (queued or sent, delivered, opened, clicked, failed, skipped), consent changes
 * and refused entries. `next` continues after the page's last item.
 */
export async function customerTimeline(db: Db, customerId: string, { before, kinds, limit, refusals }: TimelineOptions): Promise<TimelinePage> {
  const cursor = parseCursor(before);
  const wanted = new Set(kinds);
  const more = limit + 1;
  const sources = await Promise.all([
    wanted.has('event') || wanted.has('consent') ? eventEntries(db, customerId, wanted, cursor, more) : [],
    wanted.has('event') ? segmentEntries(db, customerId, cursor, more) : [],
    wanted.has('journey') ? runEntries(db, customerId, cursor, more) : [],
    wanted.has('message') ? messageEntries(db, customerId, cursor, more) : [],
    wanted.has('message') ? skipEntries(db, customerId, cursor, more) : [],
    wanted.has('refusal') ? refusalEntries(refusals ?? (await listRefusals(db, customerId))) : [],
  ]);
  const merged = sources
    .flat()
    .filter((entry) => wanted.has(entry.item.kind) && olderThan(cursor)(entry))
    .sort(newerFirst);
  const page = merged.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map((entry) => entry.item), next: merged.length > limit && last ? `${last.micros}:${last.key}` : null };
}
