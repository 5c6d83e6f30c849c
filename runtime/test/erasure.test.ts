import { sql } from 'drizzle-orm';
import type { JourneyDocumentInput } from '@waymark/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audiencePending, customerIdentities } from '../src/db/schema.ts';
import { ingestCalls } from '../src/services/ingestion/ingest-calls.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/** Every table that holds rows of a customer, and how to count that customer's rows in it. */
const tables = [
  ['customers', 'id'],
  ['customer_identities', 'customer_id'],
  ['events', 'customer_id'],
  ['event_queue', 'customer_id'],
  ['progress', 'customer_id'],
  ['run_entries', 'customer_id'],
  ['messages', 'customer_id'],
  ['send_counts', 'customer_id'],
  ['audience_pending', 'customer_id'],
  ['dead_letters', 'customer_id'],
  ['entry_refusals', 'customer_id'],
] as const;

const welcome: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'erase-me',
  name: 'Erase me',
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Signed Up' } } },
      { id: 'hello', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Hello', html: '<p>Hi</p>' } } } },
      { id: 'wait', type: 'wait', position: { x: 0, y: 200 }, data: { wait: { kind: 'duration', duration: { amount: 3, unit: 'days' } } } },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'next', target: 'hello' },
      { id: 'b', source: 'hello', sourceHandle: 'next', target: 'wait' },
    ],
  },
};

describe('erasure (GDPR)', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    owner = await rt.signIn();
    await rt.publish(welcome);
  });
  afterAll(async () => rt?.stop());

  const customerOf = async (userId: string) => rt.eventually(async () => (await rt.db.select().from(customerIdentities).where(sql`kind = 'user_id' and value = ${userId}`))[0]?.customerId);
  const rowsOf = async (customerId: string) => {
    const counts: Record<string, number> = {};
    for (const [table, column] of tables) counts[table] = (await rt.sql.unsafe(`select count(*)::int as n from ${table} where ${column} = $1`, [customerId]))[0]!.n;
    const steps = await rt.sql.unsafe('select count(*)::int as n from steps s where not exists (select 1 from progress p where p.id = s.progress_id)');
    counts.orphanSteps = steps[0]!.n;
    const outcomes = await rt.sql.unsafe('select count(*)::int as n from send_outcomes s where not exists (select 1 from progress p where p.id = s.progress_id)');
    counts.orphanSendOutcomes = outcomes[0]!.n;
    const held = await rt.sql.unsafe('select count(*)::int as n from held_inputs h where not exists (select 1 from progress p where p.id = h.progress_id)');
    counts.orphanHeldInputs = held[0]!.n;
    return counts;
  };
  const none = Object.fromEntries([...tables.map(([t]) => [t, 0]), ['orphanSteps', 0], ['orphanSendOutcomes', 0], ['orphanHeldInputs', 0]]);

  it('removes every row of the customer, pending audience rows and set-aside items included, and audits it', async () => {
    await rt.ingest('identify', { userId: 'ines', traits: { email: 'ines@example.com' } });
    await rt.ingest('track', { userId: 'ines', event: 'Signed Up' });
    const id = await customerOf('ines');
    await rt.eventually(async () => (await rowsOf(id)).messages === 1);
    await rt.db.insert(audiencePending).values({ runId: 'run-1', customerId: id, dueAt: new Date(rt.clock.now() + 3_600_000).toISOString() });
    await rt.sql.unsafe(`insert into dead_letters (workspace_id, kind, ref, customer_id, error, attempts) values ($1, 'event', '999', $2, '{}', 3)`, [rt.workspaceId, id]);
    const [run] = await rt.sql`select id, journey_id from progress where customer_id = ${id}`;
    await rt.sql`insert into held_inputs (workspace_id, journey_id, progress_id, input, held_at) values (${rt.workspaceId}, ${run!.journey_id}, ${run!.id}, '{}', now())`;
    await rt.sql`insert into entry_refusals (workspace_id, journey_id, customer_id, reason, detail, version, first_at, last_at) values (${rt.workspaceId}, ${run!.journey_id}, ${id}, 'paused', 'paused', 1, now(), now())`;
    expect((await rt.sql`select count(*)::int as n from held_inputs where progress_id = ${run!.id}`)[0]!.n).toBe(1);
    expect((await owner('DELETE', `/api/workspaces/${rt.workspaceId}/customers/${id}`)).status).toBe(204);
    expect(await rowsOf(id)).toEqual(none);
    const audit = await owner('GET', `/api/workspaces/${rt.workspaceId}/audit?action=customer`);
    expect(audit.body.items[0]).toMatchObject({ action: 'customer.delete', target: id });
  });

  it('a worker in the middle of the customer’s batch finishes first and is erased with the rest; it cannot write them back', async () => {
    await rt.ingest('identify', { userId: 'omar', traits: { email: 'omar@example.com' } });
    const id = await customerOf('omar');
    // Hold the worker inside its transaction (after it took the customer's rows) for two seconds.
    await rt.sql.unsafe(`
      create function hold_worker() returns trigger language plpgsql as $$ begin perform pg_sleep(2); return new; end $$;
      create trigger hold_worker before insert on progress for each row when (new.customer_id = '${id}') execute function hold_worker();`);
    await rt.ingest('track', { userId: 'omar', event: 'Signed Up' });
    await rt.eventually(async () => (await rt.sql.unsafe(`select count(*)::int as n from pg_stat_activity where query like '%insert into progress%' and wait_event = 'PgSleep'`))[0]!.n > 0);
    expect((await owner('DELETE', `/api/workspaces/${rt.workspaceId}/customers/${id}`)).status).toBe(204);
    await rt.sql.unsafe('drop trigger hold_worker on progress');
    await new Promise((r) => setTimeout(r, 1_500)); // let any delivery or timer the worker queued come and go
    await rt.clock.tick(1_000);
    expect(await rowsOf(id)).toEqual(none);
  });

  it('events being stored for the customer at the moment of erasure are erased too, not left behind', async () => {
    await rt.ingest('identify', { userId: 'pia', traits: { email: 'pia@example.com' } });
    const id = await customerOf('pia');
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // An ingestion transaction that has stored an event for pia and has not committed yet.
    const storing = rt.db.transaction(async (tx) => {
      await ingestCalls(tx, [{ workspaceId: rt.workspaceId, call: { type: 'track', userId: 'pia', event: 'Secret', properties: { note: 'personal' } } as never, receivedAt: rt.clock.now() }]);
      await held;
    });
    await new Promise((r) => setTimeout(r, 200));
    const erasing = owner('DELETE', `/api/workspaces/${rt.workspaceId}/customers/${id}`);
    await new Promise((r) => setTimeout(r, 300));
    release();
    await storing;
    expect((await erasing).status).toBe(204);
    expect(await rowsOf(id)).toEqual(none);
  });
});
