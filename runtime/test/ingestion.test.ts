import { gzipSync } from 'node:zlib';
import { Analytics } from '@segment/analytics-node';
import { serve } from '@hono/node-server';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerIdentities, customers, events } from '../src/db/schema.ts';
import { createKey } from '../src/services/keys.ts';
import { createGroupCommit } from '../src/services/ingestion/group-commit.ts';
import { ingestCalls, type ReceivedCall } from '../src/services/ingestion/ingest-calls.ts';
import { IdentityRaceError, mergeCustomers } from '../src/services/ingestion/resolve-identities.ts';
import { startTestRuntime } from './support/test-runtime.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (response: Response) => (await response.json()) as any;

describe('ingestion API (Segment-compatible)', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(async () => rt?.stop());

  const countEvents = async () => (await rt.db.execute<{ n: number }>(sql`select count(*)::int as n from events`))[0]!.n;
  const customerOf = async (kind: string, value: string) =>
    (await rt.db.select().from(customerIdentities).where(sql`${customerIdentities.kind} = ${kind} and ${customerIdentities.value} = ${value}`))[0]?.customerId;

  it('refuses a missing or wrong write key with 401 and stores nothing', async () => {
    const before = await countEvents();
    const none = await rt.app.request('/v1/track', { method: 'POST', body: JSON.stringify({ userId: 'a', event: 'x' }) });
    expect(none.status).toBe(401);
    expect(await json(none)).toEqual({ error: { code: 'invalid-write-key', message: 'Send the write key as the user name of HTTP Basic auth.' } });
    const wrong = await rt.app.request('/v1/track', { method: 'POST', headers: { authorization: `Basic ${Buffer.from('wk_nope:').toString('base64')}` }, body: '{}' });
    expect(wrong.status).toBe(401);
    expect(await countEvents()).toBe(before);
  });

  it('refuses malformed JSON, a call without ids, a track without event, naming the index and field; nothing of the batch is kept', async () => {
    const before = await countEvents();
    const bad = await rt.app.request('/v1/track', { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${rt.writeKey}:`).toString('base64')}` }, body: '{"userId": ' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('invalid-json');
    const batch = await rt.ingest('batch', {
      batch: [
        { type: 'track', userId: 'u1', event: 'ok' },
        { type: 'track', userId: 'u1' },
        { type: 'track', event: 'x' },
      ],
    });
    expect(batch.status).toBe(400);
    expect(await json(batch)).toEqual({
      error: {
        code: 'invalid-call',
        message: 'Call 1 of the batch is invalid at "event": Invalid input: expected string, received undefined. Nothing in this request was stored.',
        details: { index: 1, field: 'event' },
      },
    });
    const noId = await rt.ingest('identify', { traits: { a: 1 } });
    expect((await json(noId)).error.details).toEqual({ index: null, field: 'userId' });
    const odd = await rt.ingest('batch', { batch: [{ type: 'teleport', userId: 'u' }] });
    expect((await json(odd)).error.details).toEqual({ index: 0, field: 'type' });
    expect(await countEvents()).toBe(before);
  });

  it('refuses oversized calls (32 KB) and batches (500 KB, 2,500 calls) with 413 and a sentence', async () => {
    const big = 'x'.repeat(33 * 1024);
    const call = await rt.ingest('track', { userId: 'u', event: 'big', properties: { big } });
    expect(call.status).toBe(413);
    const inBatch = await rt.ingest('batch', {
      batch: [
        { type: 'track', userId: 'u', event: 'ok' },
        { type: 'track', userId: 'u', event: 'big', properties: { big } },
      ],
    });
    expect(inBatch.status).toBe(413);
    expect((await json(inBatch)).error).toMatchObject({ code: 'call-too-large', details: { index: 1 } });
    const huge = await rt.ingest('batch', { batch: Array.from({ length: 20 }, () => ({ type: 'track', userId: 'u', event: 'e', properties: { pad: 'y'.repeat(30_000) } })) });
    expect(huge.status).toBe(413);
    expect((await json(huge)).error.code).toBe('payload-too-large');
    const many = await rt.ingest('batch', { batch: Array.from({ length: 2_501 }, () => ({ type: 'track', userId: 'u', event: 'e' })) });
    expect(many.status).toBe(413);
    expect((await json(many)).error.code).toBe('too-many-calls');
  });

  it('accepts gzip bodies and bounds decompression (a gzip bomb is 413, not memory)', async () => {
    const body = gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'gz', event: 'zipped', messageId: 'gz-1' }] }));
    const ok = await rt.app.request('/v1/batch', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${rt.writeKey}:`).toString('base64')}`, 'content-encoding': 'gzip', 'content-type': 'application/json' },
      body,
    });
    expect(ok.status).toBe(200);
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 32));
    const refused = await rt.app.request('/v1/batch', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${rt.writeKey}:`).toString('base64')}`, 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(refused.status).toBe(413);
  });

  it('deduplicates on messageId: a repeated call answers 200 and changes nothing', async () => {
    const call = { userId: 'dup', event: 'clicked', messageId: 'same-id', properties: { n: 1 } };
    expect((await rt.ingest('track', call)).status).toBe(200);
    const after = await countEvents();
    expect((await rt.ingest('track', { ...call, properties: { n: 2 } })).status).toBe(200);
    expect(await countEvents()).toBe(after);
    const [row] = await rt.db.select().from(events).where(eq(events.messageId, 'same-id'));
    expect(row!.properties).toEqual({ n: 1 });
  });

  it('an anonymous visitor who identifies keeps their history; alias links a previous id', async () => {
    await rt.ingest('track', { anonymousId: 'anon-1', event: 'viewed_pricing', messageId: 'a1' });
    const anonymous = await customerOf('anonymous_id', 'anon-1');
    await rt.ingest('identify', { anonymousId: 'anon-1', userId: 'user-1', messageId: 'a2', traits: { email: 'u1@example.com', first_name: 'Uma' } });
    const identified = await customerOf('user_id', 'user-1');
    expect(identified).toBe(anonymous);
    await rt.ingest('track', { userId: 'old-login', event: 'logged_in', messageId: 'a3' });
    const old = await customerOf('user_id', 'old-login');
    expect(old).not.toBe(identified);
    await rt.ingest('alias', { previousId: 'old-login', userId: 'user-1', messageId: 'a4' });
    expect(await customerOf('user_id', 'old-login')).toBe(identified);
    const history = await rt.db.select({ name: events.name, type: events.type }).from(events).where(eq(events.customerId, identified!)).orderBy(asc(events.id));
    expect(history.map((h) => h.name ?? h.type)).toEqual(['viewed_pricing', 'identify', 'logged_in', 'alias']);
    const [profile] = await rt.db.select().from(customers).where(eq(customers.id, identified!));
    expect(profile!.traits).toMatchObject({ first_name: 'Uma', email: 'u1@example.com' });
    expect(profile!.channels).toEqual({ email: { address: 'u1@example.com' } });
  });

  it('corrects the client clock skew using sentAt', async () => {
    const now = rt.clock.now();
    await rt.ingest('track', { userId: 'skew', event: 'e', messageId: 'skew-1', timestamp: new Date(now - 60_000 + 3_600_000).toISOString(), sentAt: new Date(now + 3_600_000).toISOString() });
    const [row] = await rt.db.select().from(events).where(eq(events.messageId, 'skew-1'));
    expect(new Date(row!.timestamp).toISOString()).toBe(new Date(now - 60_000).toISOString());
  });

  it('a key of one workspace only ever writes to that workspace', async () => {
    const other = crypto.randomUUID();
    await rt.db.execute(sql`insert into workspaces (id, name) values (${other}, 'Other')`);
    const { secret } = await createKey(rt.db, other, 'write', 'other');
    await rt.app.request('/v1/track', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${secret}:`).toString('base64')}` },
      body: JSON.stringify({ userId: 'dup', event: 'elsewhere', messageId: 'same-id' }),
    });
    const rows = await rt.db.select({ workspaceId: events.workspaceId }).from(events).where(eq(events.messageId, 'same-id'));
    expect(rows.map((r) => r.workspaceId).sort()).toEqual([rt.workspaceId, other].sort());
  });

  it('the real @segment/analytics-node client delivers to the runtime', async () => {
    const server = serve({ fetch: rt.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const analytics = new Analytics({ writeKey: rt.writeKey, host: `http://127.0.0.1:${port}`, flushAt: 3, flushInterval: 100, maxRetries: 1 });
    analytics.identify({ userId: 'sdk-user', traits: { plan: 'pro' } });
    analytics.track({ userId: 'sdk-user', event: 'sdk_event', properties: { n: 1 } });
    analytics.page({ userId: 'sdk-user', name: 'Pricing' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const id = await customerOf('user_id', 'sdk-user');
    const rows = await rt.db.select({ type: events.type, name: events.name }).from(events).where(eq(events.customerId, id!)).orderBy(asc(events.id));
    expect(rows).toEqual([
      { type: 'identify', name: null },
      { type: 'track', name: 'sdk_event' },
      { type: 'page', name: 'Pricing' },
    ]);
  });

  it('two concurrent writes that both meet a new customer make one customer: the later is written again and finds the first', async () => {
    const workspaceId = (await rt.db.execute<{ id: string }>(sql`select id from workspaces order by created_at limit 1`))[0]!.id;
    const call = (type: 'identify' | 'track', n: number) =>
      ({
        workspaceId,
        receivedAt: Date.now(),
        call: type === 'identify' ? { type, userId: 'race-1', messageId: `race-i${n}`, traits: { plan: 'pro' } } : { type, userId: 'race-1', event: 'raced', messageId: `race-t${n}` },
      }) as ReceivedCall;
    let commitFirst = () => {};
    const held = new Promise<void>((resolve) => {
      commitFirst = resolve;
    });
    // The first transaction creates race-1 and stays open; the second meets race-1 as new too.
    const first = rt.db.transaction(async (tx) => {
      await ingestCalls(tx, [call('identify', 1)]);
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = rt.db.transaction((tx) => ingestCalls(tx, [call('track', 2)]));
    // Expected before the first commits: the second may be refused while the test still awaits the first (an unhandled rejection otherwise).
    const refused = expect(second).rejects.toBeInstanceOf(IdentityRaceError);
    await new Promise((r) => setTimeout(r, 100));
    commitFirst();
    await first;
    await refused;
    // Written again (as the group commit does), the track finds the customer the first one made.
    await rt.db.transaction((tx) => ingestCalls(tx, [call('track', 2)]));
    const owner = await customerOf('user_id', 'race-1');
    const stored = await rt.db.select({ customerId: events.customerId }).from(events).where(sql`${events.messageId} in ('race-i1', 'race-t2')`);
    expect(stored.map((e) => e.customerId)).toEqual([owner, owner]);
    expect((await rt.db.execute<{ n: number }>(sql`select count(*)::int as n from customers where traits ->> 'plan' = 'pro' and id = ${owner}`))[0]!.n).toBe(1);
  });

  it('the group commit writes a colliding group again and splits only what fails on its own', async () => {
    let collisions = 1;
    const written: number[][] = [];
    const commit = createGroupCommit<number>(
      async (items) => {
        if (items.includes(2) && collisions-- > 0) throw new IdentityRaceError(1);
        if (items.includes(13)) throw new Error('cannot store 13');
        written.push(items);
      },
      { concurrency: 2, isConflict: (error) => error instanceof IdentityRaceError },
    );
    const results = await Promise.allSettled([1, 2, 13, 4].map((n) => commit.submit([n])));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(written.flat().sort((a, b) => a - b)).toEqual([1, 2, 4]);
  });

  it('a merge moves the runs’ entries with the runs, so "customers who entered" counts the surviving customer', async () => {
    const [from, into] = ['merge-from', 'merge-into'];
    await rt.sql`insert into customers (id, workspace_id) values (${from}, ${rt.workspaceId}), (${into}, ${rt.workspaceId})`;
    await rt.sql`insert into progress (id, workspace_id, journey_id, version, customer_id, status, state, entered_at) values ('merge-run', ${rt.workspaceId}, 'merge-journey', 1, ${from}, 'completed', '{}', '2026-11-25T10:00:00Z')`;
    await rt.sql`insert into run_entries (workspace_id, journey_id, version, entered_at, customer_id) values (${rt.workspaceId}, 'merge-journey', 1, '2026-11-25T10:00:00Z', ${from})`;
    await rt.db.transaction((tx) => mergeCustomers(tx, from, into));
    expect(await rt.sql`select customer_id from run_entries where journey_id = 'merge-journey'`).toEqual([{ customer_id: into }]);
    expect(await rt.sql`select customer_id from progress where id = 'merge-run'`).toEqual([{ customer_id: into }]);
  });

  it('a merge that ends a waiting run (the survivor has one in the same journey) takes it off the canvas\'s "waiting now"', async () => {
    const [from, into] = ['wait-from', 'wait-into'];
    await rt.sql`insert into customers (id, workspace_id) values (${from}, ${rt.workspaceId}), (${into}, ${rt.workspaceId})`;
    const parked = JSON.stringify({ status: 'active', position: { nodeId: 'a-day', timerId: 't1' } });
    await rt.sql`insert into progress (id, workspace_id, journey_id, version, customer_id, status, state, entered_at) values
      ('wait-run-from', ${rt.workspaceId}, 'wait-journey', 1, ${from}, 'active', ${parked}::jsonb, '2026-11-25T10:00:00Z'),
      ('wait-run-into', ${rt.workspaceId}, 'wait-journey', 1, ${into}, 'active', ${parked}::jsonb, '2026-11-25T10:00:00Z')`;
    await rt.sql`insert into node_stats (workspace_id, journey_id, version, node_id, metric, count, day) values (${rt.workspaceId}, 'wait-journey', 1, 'a-day', 'waiting', 2, '2026-11-25')`;
    await rt.db.transaction((tx) => mergeCustomers(tx, from, into));
    expect(await rt.sql`select status, state ->> 'endReason' as reason from progress where id = 'wait-run-from'`).toEqual([{ status: 'exited', reason: 'merged' }]);
    expect(await rt.sql`select sum(count)::int as waiting from node_stats where journey_id = 'wait-journey' and node_id = 'a-day' and metric = 'waiting'`).toEqual([{ waiting: 1 }]);
  });
});
