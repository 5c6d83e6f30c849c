import { type CustomerImportRequest, type CustomerImportResponse, type ImportedProfile, type ImportRowResult, readImportRow } from '@waymark/shared';
import { type SQL, sql } from 'drizzle-orm';
import { anyOf, storableJsonText } from '../../db/bulk-sql.ts';
import type { Db, Tx } from '../../db/database.ts';
import { isCollision } from '../../db/database-errors.ts';
import { audit } from '../audit.ts';
import { ingestCalls } from '../ingestion/ingest-calls.ts';
import type { SegmentCall } from '../ingestion/segment-calls.ts';

/** Transactions that collided with a concurrent one (an identify creating the same user id) are tried this often. */
const attempts = 4;

/** One person of the batch: an existing customer, or one this import creates, and what its rows say. */
interface Person {
  /** The customer found before the import, if any. */
  existing: string | null;
  /** User ids it is known by, found or given by a row. */
  userIds: Set<string>;
  /** A user id a row gives a person who had none. */
  newUserId: string | null;
  /** The anonymous id an existing customer without a user id is resolved by. */
  anonymousId: string | null;
  rows: number[];
  traits: Record<string, unknown>;
  email: string | null;
  phone: string | null;
  consent: ImportedProfile['consent'];
}

/** Customers the rows' user ids, emails and phones already belong to. */
interface Found {
  byUserId: Map<string, string>;
  byEmail: Map<string, string>;
  byPhone: Map<string, string>;
  /** Identities of customers found by an address, to resolve them as an identify call would. */
  handles: Map<string, { userIds: string[]; anonymousId: string | null }>;
}

/**
 * Imports up to 1,000 rows: each row is checked on its own (a bad one is
 * rejected naming its field), rows are matched to customers by user id, then email, then phone —
 * rows of one person in the batch become one customer — and each person is written as one
 * identify call through `ingestCalls`, so traits merge, email and phone become addresses, consent
 * is set, and the workers keep segments and identify-started journeys current exactly as for an
 * identify. One transaction per call; imports of a workspace take turns, so two imports cannot
 * both create the same new email.
 */
export async function importCustomers(db: Db, now: number, workspaceId: string, request: CustomerImportRequest, actor: string): Promise<CustomerImportResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => importIn(tx, now, workspaceId, request, actor));
    } catch (error) {
      // A concurrent identify created one of these user ids: done again, the import finds it.
      if (!isCollision(error) || attempt >= attempts) throw error;
    }
  }
}

async function importIn(tx: Tx, now: number, workspaceId: string, request: CustomerImportRequest, actor: string): Promise<CustomerImportResponse> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('customer-import'), hashtext(${workspaceId}))`);
  const checked = request.rows.map((row) => readImportRow(row));
  const valid = checked.flatMap((check, index) => ('profile' in check ? [{ index, profile: check.profile }] : []));
  const found = await findExisting(
    tx,
    workspaceId,
    valid.map((v) => v.profile),
  );
  const people = groupPeople(valid, found);
  const calls = people.map((person): SegmentCall => {
    // A user id the customer already had resolves it; one a row gives it is added to it.
    const known = person.newUserId ? null : ([...person.userIds][0] ?? null);
    const userId = person.newUserId ?? known;
    // A row with only an email or a phone that matches no one becomes a customer without a user
    // id, found again by that address (as Braze's email-only profiles): it needs an identity to be
    // resolved by like any identify, so it gets a new anonymous id — random, never derived from the
    // address, since anonymous ids read the in-app inbox with the public write key. An existing
    // customer without a user id is resolved by its own anonymous id.
    const anonymousId = known ? null : person.existing ? person.anonymousId : userId ? null : crypto.randomUUID();
    const traits: Record<string, unknown> = { ...person.traits };
    if (person.email) traits.email = person.email;
    if (person.phone) traits.phone = person.phone;
    if (Object.keys(person.consent).length) traits.consent = person.consent;
    return {
      type: 'identify',
      messageId: request.idempotencyKey ? `import:${request.idempotencyKey}:${person.rows[0]}` : `import:${crypto.randomUUID()}`,
      ...(userId ? { userId } : {}),
      ...(anonymousId ? { anonymousId } : {}),
      traits,
    };
  });
  const { stored, duplicates } = await ingestCalls(
    tx,
    calls.map((call) => ({ workspaceId, call, receivedAt: now })),
  );
  const owners = await ownersOf(tx, workspaceId, calls);

  const results: ImportRowResult[] = checked.map((check, index) =>
    'problem' in check
      ? { index, status: 'rejected', customerId: null, field: check.problem.field, reason: `${check.problem.field}: ${check.problem.message}` }
      : { index, status: 'updated', customerId: null },
  );
  people.forEach((person, i) => {
    const call = calls[i]!;
    const customerId = owners.get(call.userId ? `user_id|${call.userId}` : `anonymous_id|${call.anonymousId}`)!;
    // A person no customer matched was created by this call (a concurrent identify of the same user id fails it, and it is done again).
    person.rows.forEach((index, n) => {
      results[index] = { index, status: !person.existing && n === 0 ? 'created' : 'updated', customerId };
    });
  });
  const count = (status: ImportRowResult['status']) => results.filter((r) => r.status === status).length;
  const response: CustomerImportResponse = { created: count('created'), updated: count('updated'), rejected: count('rejected'), results, replayed: calls.length > 0 && stored === 0 && duplicates > 0 };
  await audit(tx, { workspaceId, actor, action: 'import.customers', target: 'customers', details: { created: response.created, updated: response.updated, rejected: response.rejected } });
  return response;
}

/**
 * Groups the rows into people: a row's user id names its customer; without a known one, its email
 * and then its phone do — among the batch's earlier rows first, then the workspace's customers —
 * unless the row's user id tells the two apart (a customer with another user id is another person).
 */
function groupPeople(rows: { index: number; profile: ImportedProfile }[], found: Found): Person[] {
  const people: Person[] = [];
  const byKey = new Map<string, Person>();
  const ofCustomer = new Map<string, Person>();
  const person = (existing: string | null, userIds: string[], anonymousId: string | null): Person => {
    const made: Person = { existing, userIds: new Set(userIds), newUserId: null, anonymousId, rows: [], traits: {}, email: null, phone: null, consent: {} };
    people.push(made);
    if (existing) ofCustomer.set(existing, made);
    return made;
  };
  const customer = (id: string | undefined, userId?: string) => {
    if (!id) return undefined;
    const known = ofCustomer.get(id);
    if (known) return known;
    if (userId) return person(id, [userId], null);
    const handle = found.handles.get(id);
    // A customer with neither id cannot be resolved as an identify resolves: the row makes a new one.
    return handle && (handle.userIds.length || handle.anonymousId) ? person(id, handle.userIds, handle.anonymousId) : undefined;
  };
  for (const { index, profile } of rows) {
    const email = profile.email?.toLowerCase();
    const keys = [profile.userId && `u:${profile.userId}`, email && `e:${email}`, profile.phone && `p:${profile.phone}`].filter((key): key is string => Boolean(key));
    let match = profile.userId ? (byKey.get(`u:${profile.userId}`) ?? customer(found.byUserId.get(profile.userId), profile.userId)) : undefined;
    if (!match) {
      const addresses: [string | undefined, string | undefined][] = [
        [email && `e:${email}`, email && found.byEmail.get(email)],
        [profile.phone ? `p:${profile.phone}` : undefined, profile.phone ? found.byPhone.get(profile.phone) : undefined],
      ];
      for (const [key, id] of addresses) {
        if (!key) continue;
        const candidate = byKey.get(key) ?? customer(id);
        if (candidate && (!profile.userId || candidate.userIds.size === 0)) {
          match = candidate;
          break;
        }
      }
    }
    const target = match ?? person(null, [], null);
    if (profile.userId && !target.userIds.has(profile.userId)) {
      target.userIds.add(profile.userId);
      target.newUserId = profile.userId;
    }
    for (const key of keys) if (!byKey.has(key)) byKey.set(key, target);
    target.rows.push(index);
    target.traits = { ...target.traits, ...profile.traits };
    target.email = profile.email ?? target.email;
    target.phone = profile.phone ?? target.phone;
    target.consent = { ...target.consent, ...profile.consent };
  }
  return people;
}

/** Customers of the workspace the rows' user ids, emails (case-insensitive) and phones belong to; of two with one address, the one seen most recently. */
async function findExisting(tx: Tx, workspaceId: string, profiles: ImportedProfile[]): Promise<Found> {
  const distinct = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => Boolean(v)))];
  const byUserId = await pairs(
    tx,
    distinct(profiles.map((p) => p.userId)),
    (values) => sql`select value as key, customer_id as id from customer_identities where workspace_id = ${workspaceId} and kind = 'user_id' and ${anyOf(sql`value`, values)}`,
  );
  // The email through the customers_email expression index.
  const email = sql`lower(channels -> 'email' ->> 'address')`;
  const byEmail = await pairs(
    tx,
    distinct(profiles.map((p) => p.email?.toLowerCase())),
    (values) => sql`
      select distinct on (${email}) ${email} as key, id from customers
      where workspace_id = ${workspaceId} and ${anyOf(email, values)} order by ${email}, updated_at desc`,
  );
  // Phones only where they can decide (no known user id, and no email that settles it), through
  // the customers_phone expression index.
  const undecided = profiles.filter((p) => !(p.userId && byUserId.has(p.userId)) && !(!p.userId && p.email && byEmail.has(p.email.toLowerCase())));
  const phone = sql`(channels -> 'sms' ->> 'address')`;
  const byPhone = await pairs(
    tx,
    distinct(undecided.map((p) => p.phone)),
    (values) => sql`
      select distinct on (${phone}) ${phone} as key, id from customers
      where workspace_id = ${workspaceId} and ${anyOf(phone, values)} order by ${phone}, updated_at desc`,
  );
  const matched = distinct([...byEmail.values(), ...byPhone.values()]);
  const handles = new Map<string, { userIds: string[]; anonymousId: string | null }>();
  if (matched.length) {
    const rows = await tx.execute<{ customer_id: string; kind: string; value: string }>(sql`
      select customer_id, kind, value from customer_identities
      where ${anyOf(sql`customer_id`, matched)} and kind in ('user_id', 'anonymous_id') order by customer_id, kind, value`);
    for (const row of rows) {
      const handle = handles.get(row.customer_id) ?? { userIds: [], anonymousId: null };
      if (row.kind === 'user_id') handle.userIds.push(row.value);
      else handle.anonymousId ??= row.value;
      handles.set(row.customer_id, handle);
    }
  }
  return { byUserId, byEmail, byPhone, handles };
}

/** `key → id` pairs a query finds for some values; no query for none. */
async function pairs(tx: Tx, values: string[], query: (values: string[]) => SQL): Promise<Map<string, string>> {
  if (!values.length) return new Map();
  return new Map((await tx.execute<{ key: string; id: string }>(query(values))).map((row) => [row.key, row.id]));
}

/** The customer each call resolved to, by `kind|value` of its user id, else of its anonymous id. */
async function ownersOf(tx: Tx, workspaceId: string, calls: SegmentCall[]): Promise<Map<string, string>> {
  if (!calls.length) return new Map();
  const refs = calls.map((call) => (call.userId ? { kind: 'user_id', value: call.userId } : { kind: 'anonymous_id', value: call.anonymousId }));
  const rows = await tx.execute<{ kind: string; value: string; customer_id: string }>(sql`
    select i.kind, i.value, i.customer_id from jsonb_to_recordset(${storableJsonText(refs)}::jsonb) as r(kind text, value text)
    join customer_identities i on i.workspace_id = ${workspaceId} and i.kind = r.kind and i.value = r.value`);
  return new Map(rows.map((row) => [`${row.kind}|${row.value}`, row.customer_id]));
}
