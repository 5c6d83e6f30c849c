import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { insertJson, storableJsonText } from '../../db/bulk-sql.ts';
import { ConcurrentUpdateError } from '../../db/database-errors.ts';
import { addToCounts, insertExits } from '../segments/membership-sql.ts';
import { addToNodeStats } from '../execution/node-stats.ts';
import { mergeChannels } from './merge-channels.ts';

export interface IdentityRef {
  kind: 'user_id' | 'anonymous_id';
  value: string;
}

/** What a call says about identity: the ids it carries, and for alias which id it links. */
export interface IdentityClaim {
  workspaceId: string;
  ids: IdentityRef[];
  /** `alias`: the previous id (either kind) now belongs with `ids`. */
  previousId?: string;
}

const keyOf = (workspaceId: string, ref: { kind: string; value: string }) => `${workspaceId}|${ref.kind}|${ref.value}`;

/**
 * Identities this transaction meant to create were created by a concurrent one: the work must be
 * done again (a concurrent update, so if it still fails after the retries the caller gets a 503).
 */
export class IdentityRaceError extends ConcurrentUpdateError {
  constructor(count: number) {
    super(`${count} identities were created by a concurrent transaction`);
  }
}

/**
 * Finds or creates the customer of each claim, in order, and merges customers when a call ties
 * two together (an anonymous visitor who identifies, or an alias): the later history moves to the
 * identified customer and both histories are kept. Returns each claim's customer id. The customers
 * found are held (`FOR KEY SHARE`) until the caller commits, so an erasure waits for the events
 * being stored for them and erases those too; a customer erased meanwhile is not found, and the
 * call makes a new one.
 */
export async function resolveIdentities(tx: Tx, claims: IdentityClaim[]): Promise<string[]> {
  const { owners, created } = await resolveCustomers(tx, claims);
  if (created.length) await tx.execute(insertJson('customers', created));
  return owners;
}

/**
 * `resolveIdentities`, leaving the new customers' rows to the caller (`created`), who inserts them
 * in the same transaction with their first profile instead of inserting and then updating them.
 * When the claims merge customers, the new ones are inserted here (the merge writes to them).
 */
export async function resolveCustomers(tx: Tx, claims: IdentityClaim[], { failOnRace = false } = {}): Promise<{ owners: string[]; created: { id: string; workspaceId: string }[] }> {
  const refs = new Map<string, { workspaceId: string; kind: string; value: string }>();
  for (const claim of claims) {
    const all = [...claim.ids];
    if (claim.previousId) all.push({ kind: 'user_id', value: claim.previousId }, { kind: 'anonymous_id', value: claim.previousId });
    for (const ref of all) refs.set(keyOf(claim.workspaceId, ref), { workspaceId: claim.workspaceId, ...ref });
  }
  const found = refs.size
    ? await tx.execute<{ workspace_id: string; kind: string; value: string; customer_id: string }>(sql`
        select i.workspace_id, i.kind, i.value, i.customer_id from customer_identities i
        join jsonb_to_recordset(${storableJsonText([...refs.values()])}::jsonb) as r("workspaceId" text, kind text, value text)
          on i.workspace_id = r."workspaceId" and i.kind = r.kind and i.value = r.value
        join customers c on c.id = i.customer_id
        for key share of c`)
    : [];
  const owner = new Map<string, string>();
  for (const row of found) owner.set(`${row.workspace_id}|${row.kind}|${row.value}`, row.customer_id);

  const created: { id: string; workspaceId: string }[] = [];
  const newIdentities: { workspaceId: string; kind: string; value: string; customerId: string }[] = [];
  const merges: { workspaceId: string; from: string; into: string }[] = [];
  const redirect = new Map<string, string>();
  const current = (id: string | undefined) => {
    let at = id;
    while (at && redirect.has(at)) at = redirect.get(at);
    return at;
  };

  const result = claims.map((claim) => {
    const user = claim.ids.find((r) => r.kind === 'user_id');
    const anon = claim.ids.find((r) => r.kind === 'anonymous_id');
    const userOwner = current(user && owner.get(keyOf(claim.workspaceId, user)));
    const linked = [
      anon && owner.get(keyOf(claim.workspaceId, anon)),
      ...(claim.previousId
        ? [owner.get(keyOf(claim.workspaceId, { kind: 'user_id', value: claim.previousId })), owner.get(keyOf(claim.workspaceId, { kind: 'anonymous_id', value: claim.previousId }))]
        : []),
    ]
      .map(current)
      .filter((id): id is string => Boolean(id));
    let customerId = userOwner ?? linked[0];
    if (!customerId) {
      customerId = crypto.randomUUID();
      created.push({ id: customerId, workspaceId: claim.workspaceId });
    }
    for (const other of linked) {
      if (other === customerId) continue;
      merges.push({ workspaceId: claim.workspaceId, from: other, into: customerId });
      redirect.set(other, customerId);
    }
    for (const ref of claim.ids) {
      const key = keyOf(claim.workspaceId, ref);
      if (current(owner.get(key)) !== customerId) {
        if (!owner.has(key)) newIdentities.push({ workspaceId: claim.workspaceId, ...ref, customerId });
        owner.set(key, customerId);
      }
    }
    return customerId;
  });

  if (newIdentities.length) {
    // In key order, so two transactions claiming the same new identities wait on each other instead of deadlocking.
    newIdentities.sort((a, b) => (keyOf(a.workspaceId, a) < keyOf(b.workspaceId, b) ? -1 : 1));
    const inserted = await tx.execute(insertJson('customer_identities', newIdentities, sql`on conflict do nothing returning 1`));
    // Another transaction gave one of these identities a customer since they were looked up: this
    // one would split that customer in two. The caller writes the whole group again, and finds it.
    if (failOnRace && inserted.length < newIdentities.length) throw new IdentityRaceError(newIdentities.length - inserted.length);
  }
  if (merges.length && created.length) await tx.execute(insertJson('customers', created.splice(0)));
  for (const merge of merges) await mergeCustomers(tx, merge.from, merge.into);
  return { owners: result.map((id) => current(id)!), created };
}

/**
 * Moves everything of one customer onto another: identities, events, messages, push subscriptions, runs (a run that
 * would clash with an active run of the same journey ends as merged), traits and channels (field by
 * field per channel; the surviving customer's values win). The merged-away customer row is deleted.
 */
export async function mergeCustomers(tx: Tx, from: string, into: string): Promise<void> {
  await tx.execute(sql`update customer_identities set customer_id = ${into} where customer_id = ${from}`);
  await tx.execute(sql`update events set customer_id = ${into} where customer_id = ${from}`);
  await tx.execute(sql`update event_queue set customer_id = ${into} where customer_id = ${from}`);
  await tx.execute(sql`update messages set customer_id = ${into} where customer_id = ${from}`);
  await tx.execute(sql`update push_subscriptions set customer_id = ${into} where customer_id = ${from}`);
  const ended = await tx.execute<{ workspace_id: string; journey_id: string; version: number; node_id: string | null }>(sql`
    update progress p set status = 'exited', ended_at = now(), state = jsonb_set(jsonb_set(state, '{status}', '"exited"'), '{endReason}', '"merged"')
    where p.customer_id = ${from} and p.status = 'active' and exists (
      select 1 from progress q where q.customer_id = ${into} and q.journey_id = p.journey_id and coalesce(q.key, '') = coalesce(p.key, '') and q.status = 'active')
    returning p.workspace_id, p.journey_id, p.version, p.state -> 'position' ->> 'nodeId' as node_id`);
  // A run ended here no longer waits where it was parked: the canvas's "waiting now" loses it.
  await addToNodeStats(
    tx,
    ended.flatMap((run) => (run.node_id ? [{ workspaceId: run.workspace_id, journeyId: run.journey_id, version: run.version, nodeId: run.node_id, metric: 'waiting', count: -1 }] : [])),
    Date.now(),
  );
  await tx.execute(sql`
    update run_entries e set customer_id = ${into} from progress p
    where p.customer_id = ${from} and e.journey_id = p.journey_id and e.version = p.version and e.entered_at = p.entered_at and e.customer_id = p.customer_id`);
  await tx.execute(sql`update progress set customer_id = ${into}, state = jsonb_set(state, '{customerId}', to_jsonb(${into}::text)) where customer_id = ${from}`);
  // Traits: the survivor's win. Channels as an identify merges them, the survivor's fields winning:
  // the merged-away customer's SMS consent stays with the survivor's SMS address (replacing whole
  // channels, the survivor's address alone dropped the consent given before identifying).
  await tx.execute(sql`
    update customers c set traits = f.traits || c.traits, channels = ${mergeChannels(sql`f.channels`, sql`c.channels`)}, updated_at = now()
    from customers f where c.id = ${into} and f.id = ${from}`);
  // Their memberships go with their events, as one person's: memberships that ended move as they
  // were; those going on join the survivor's — one both are in keeps the earlier entry, one only
  // the merged-away customer was in continues for the survivor (no exit and no new entry, so no
  // "enters segment" journey greets the person twice). Then the survivor's are checked again at
  // once (a due recheck now), with the merged events and traits, which records any real exit.
  // A change at the same instant as one of the survivor's is merged into it. Their row is locked
  // first, so a batch writing their memberships finishes before (and what it wrote moves too) or
  // finds them gone.
  await tx.execute(sql`select 1 from customer_segments where customer_id = ${from} for update`);
  await tx.execute(insertExits(sql`select ${into}::text as customer_id, workspace_id, at, segments, entered_at from segment_exits where customer_id = ${from}`));
  await tx.execute(sql`delete from segment_exits where customer_id = ${from}`);
  await tx.execute(sql`
    with f as (delete from customer_segments where customer_id = ${from} returning workspace_id, segments, entered_at),
    cur as (select segments, entered_at from customer_segments where customer_id = ${into} for update),
    merged as (
      select f.workspace_id, coalesce(m.segments, '{}') as segments, coalesce(m.entered_at, '{}') as entered_at,
        array(select s from unnest(f.segments) s where cur.segments is null or s <> all(cur.segments)) as gained
      from f left join cur on true cross join lateral (
        select array_agg(x.s order by x.o) as segments, array_agg(x.t order by x.o) as entered_at from (
          select u.s, least(u.t, (select v.t from unnest(f.segments, f.entered_at) v(s, t) where v.s = u.s limit 1)) as t, u.o
          from unnest(cur.segments, cur.entered_at) with ordinality u(s, t, o)
          union all
          select v.s, v.t, 1000000 + v.o from unnest(f.segments, f.entered_at) with ordinality v(s, t, o) where cur.segments is null or v.s <> all(cur.segments)
        ) x
      ) m
    ),
    written as (
      insert into customer_segments (customer_id, workspace_id, segments, entered_at, recheck_at)
      select ${into}, workspace_id, segments, entered_at, now() from merged
      on conflict (customer_id) do update set segments = excluded.segments, entered_at = excluded.entered_at, recheck_at = excluded.recheck_at
    )
    ${addToCounts(sql`select s, -1 as d from f cross join unnest(f.segments) s union all select s, 1 from merged cross join unnest(merged.gained) s`)}`);
  await tx.execute(sql`
    insert into customer_segments (customer_id, workspace_id, recheck_at)
    select c.id, c.workspace_id, now() from customers c where c.id = ${into} and exists (select 1 from segments s where s.workspace_id = c.workspace_id)
    on conflict (customer_id) do update set recheck_at = excluded.recheck_at`);
  await tx.execute(sql`delete from customers where id = ${from}`);
}
