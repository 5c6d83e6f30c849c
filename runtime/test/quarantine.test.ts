import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import type { JourneyDocumentInput } from '@waymark/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetters, eventQueue, messages } from '../src/db/schema.ts';
import { deliverMessages } from '../src/services/delivery/deliver-message.ts';
import { requeueExpiredLeases } from '../src/services/delivery/requeue-expired-leases.ts';
import { webhookChannel } from '../src/channels/webhook-channel.ts';
import { startTestRuntime } from './support/test-runtime.ts';

const day = 86_400_000;

/** trigger `Poke` → wait a day → exit: every entry writes a run, every timer updates one. */
const waitADay: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'wait-a-day',
  name: 'Wait a day',
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Poke' } } },
      { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
    ],
    edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'wait' }],
  },
};

describe('poison work is set aside; everyone else moves on', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  let journeyId: string;
  const ws = () => `/api/workspaces/${rt.workspaceId}`;
  beforeAll(async () => {
    rt = await startTestRuntime();
    owner = await rt.signIn();
    journeyId = (await rt.publish(waitADay)).id;
  });
  afterAll(async () => rt?.stop());

  it('an event that fails on its own is split from its batch, tried three times, set aside with its error, listed, and retried after the fix', async () => {
    // A real PostgreSQL error for one event only: its run is refused by a trigger.
    await rt.sql.unsafe(`
      create function refuse_poison() returns trigger language plpgsql as $$ begin raise exception 'poisoned run'; end $$;
      create trigger refuse_poison before insert on progress for each row when (new.state::text like '%POISON%') execute function refuse_poison();`);
    const calls = Array.from({ length: 40 }, (_, i) => ({ type: 'track', userId: `u${i}`, event: 'Poke', messageId: `poke-${i}`, properties: { note: i === 17 ? 'POISON' : 'fine' } }));
    expect((await rt.ingest('batch', { batch: calls })).status).toBe(200);
    const dead = await rt.eventually(async () => (await owner('GET', `${ws()}/dead-letters`)).body.total === 1 && (await owner('GET', `${ws()}/dead-letters`)).body);
    expect(dead.open).toEqual({ event: 1 });
    expect(dead.items[0]).toMatchObject({ kind: 'event', attempts: 3, error: { type: 'DatabaseError', sqlState: 'P0001', message: 'poisoned run' } });
    expect(JSON.stringify(dead.items[0].error)).not.toContain('POISON'); // no parameters in the recorded error
    // The other halves of the split batch may still be committing when the poison is set aside.
    await rt.eventually(async () => (await rt.runsOf(journeyId)).length >= 39 && (await rt.pendingEvents()) === 0);
    expect(await rt.runsOf(journeyId)).toHaveLength(39);

    await rt.sql.unsafe('drop trigger refuse_poison on progress');
    const retried = await owner('POST', `${ws()}/dead-letters/retry`, { ids: [dead.items[0].id] });
    expect(retried.body).toEqual({ retried: 1 });
    await rt.eventually(async () => (await rt.runsOf(journeyId)).length === 40);
    expect((await owner('GET', `${ws()}/dead-letters`)).body.total).toBe(0);
    expect((await owner('GET', `${ws()}/dead-letters?status=all`)).body.items[0].retriedAt).not.toBeNull();
    const audit = await owner('GET', `${ws()}/audit?action=dead-letters`);
    expect(audit.body.items[0]).toMatchObject({ action: 'dead-letters.retry', details: { retried: 1 } });
  });

  it('a timer whose run fails on its own is set aside; the other runs due with it fire', async () => {
    const runs = await rt.runsOf(journeyId);
    const victim = runs.find((r) => r.status === 'active')!;
    await rt.sql.unsafe(`
      create function refuse_timer() returns trigger language plpgsql as $$ begin raise exception 'this run cannot move'; end $$;
      create trigger refuse_timer before update on progress for each row when (new.id = '${victim.id}') execute function refuse_timer();`);
    await rt.advance(day + 60_000);
    await rt.eventually(async () => (await rt.runsOf(journeyId)).filter((r) => r.status === 'completed').length === 39);
    const dead = await rt.eventually(async () => (await owner('GET', `${ws()}/dead-letters?kind=timer`)).body.items[0]);
    expect(dead).toMatchObject({ kind: 'timer', customerId: victim.customerId, payload: { progressId: victim.id, label: 'wait in Wait a day' }, error: { message: 'this run cannot move' } });

    await rt.sql.unsafe('drop trigger refuse_timer on progress');
    expect((await owner('POST', `${ws()}/dead-letters/retry`, { ids: 'all' })).body).toEqual({ retried: 1 });
    await rt.eventually(async () => (await rt.runsOf(journeyId)).every((r) => r.status === 'completed'));
  });

  it('lists with paging and a total, refuses a bad kind, and viewers cannot retry', async () => {
    expect((await owner('GET', `${ws()}/dead-letters?kind=cake`)).status).toBe(400);
    expect((await owner('GET', `${ws()}/dead-letters?status=all&limit=1`)).body).toMatchObject({ total: 2, items: [{ kind: 'timer' }] });
    expect((await owner('POST', `${ws()}/dead-letters/retry`, { ids: [999_999] })).status).toBe(404);
  });
});

describe('delivery is claimed with a lease', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let server: Server;
  let received: string[];
  let url: string;
  beforeAll(async () => {
    received = [];
    server = createServer((req, res) => {
      received.push(String(req.headers['waymark-message-id']));
      setTimeout(() => res.end('ok'), 400); // slow enough for the handlers to overlap
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    rt = await startTestRuntime();
  });
  afterAll(async () => {
    await rt?.stop();
    await new Promise((r) => server.close(r));
  });

  it('a job handed out three times at once sends each message once', async () => {
    const hook: JourneyDocumentInput = {
      schemaVersion: 1,
      id: 'hook',
      name: 'Hook',
      graph: {
        nodes: [
          { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Ping' } } },
          { id: 'call', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'webhook' }, content: { webhook: { method: 'POST', url, body: '{"n": 1}' } } } },
        ],
        edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'call' }],
      },
    };
    const { id: journeyId } = await rt.publish(hook);
    await rt.ingest('batch', { batch: Array.from({ length: 5 }, (_, i) => ({ type: 'track', userId: `w${i}`, event: 'Ping', messageId: `ping-${i}` })) });
    const ids = (await rt.eventually(async () => (await rt.messagesOf(journeyId)).length === 5 && rt.messagesOf(journeyId))).map((m) => m.id);
    // Two more handlers for the same messages while the worker's own job runs.
    const channel = webhookChannel({ policyFor: async () => ({ allowPrivateNetworks: true, signingSecrets: [] }) });
    const deps = { channels: { webhook: channel }, clock: rt.clock, publicUrl: 'http://localhost' };
    await Promise.all([deliverMessages(rt.db, deps, 'webhook', ids), deliverMessages(rt.db, deps, 'webhook', ids)]);
    await rt.eventually(async () => (await rt.messagesOf(journeyId)).every((m) => m.status === 'sent'));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(received.sort()).toEqual(ids.sort());
    const leases = await rt.db.select({ leaseUntil: messages.leaseUntil }).from(messages).where(eq(messages.journeyId, journeyId));
    expect(leases.every((m) => m.leaseUntil === null)).toBe(true);
  });

  it('a message whose handler died is taken over once its lease expires, not before', async () => {
    const [message] = await rt.db.select().from(messages).limit(1);
    const now = rt.clock.now();
    await rt.db
      .update(messages)
      .set({ status: 'sending', leaseUntil: new Date(now + 60_000).toISOString() })
      .where(eq(messages.id, message!.id));
    const channel = webhookChannel({ policyFor: async () => ({ allowPrivateNetworks: true, signingSecrets: [] }) });
    const deps = { channels: { webhook: channel }, clock: rt.clock, publicUrl: 'http://localhost' };
    const before = received.length;
    await deliverMessages(rt.db, deps, 'webhook', [message!.id]);
    expect(received.length).toBe(before);
    await rt.clock.setTime(now + 61_000);
    await deliverMessages(rt.db, deps, 'webhook', [message!.id]);
    expect(received.length).toBe(before + 1);

    // A handler that died with nobody to call deliverMessages again: the minute's sweep gives the message a new job.
    await rt.db
      .update(messages)
      .set({ status: 'sending', leaseUntil: new Date(rt.clock.now() - 1).toISOString() })
      .where(eq(messages.id, message!.id));
    expect(await requeueExpiredLeases(rt.db, rt.boss, rt.clock.now())).toBe(1);
    await rt.eventually(async () => (await rt.db.select().from(messages).where(eq(messages.id, message!.id)))[0]?.status === 'sent');
    expect(received.length).toBe(before + 2);
    expect(
      await rt.db
        .select()
        .from(deadLetters)
        .where(and(eq(deadLetters.kind, 'delivery'), sql`true`)),
    ).toEqual([]);
    expect(await rt.db.select().from(eventQueue)).toEqual([]);
  });

  it('a message that fails every retry because its receiver is down is set aside, and sent once the receiver is back', async () => {
    let down = true;
    const flaky = createServer((req, res) => {
      req.resume();
      res.statusCode = down ? 503 : 200;
      res.end();
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    const flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/hook`;
    try {
      const { id: journeyId } = await rt.publish({
        schemaVersion: 1,
        id: 'flaky',
        name: 'Flaky receiver',
        graph: {
          nodes: [
            { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Flaky' } } },
            { id: 'call', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'webhook' }, content: { webhook: { method: 'POST', url: flakyUrl, body: '{}' } } } },
          ],
          edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'call' }],
        },
      });
      await rt.ingest('track', { userId: 'fay', event: 'Flaky', messageId: 'flaky-1' });
      // Ten attempts, 2 s doubling to 5 minutes apart (±20 %) on the runtime's clock: over ten minutes in all.
      const [failed] = await rt.eventually(async () => {
        await rt.advance(60_000);
        const list = await rt.messagesOf(journeyId);
        return list[0]?.status === 'failed' && list;
      }, 60_000);
      expect(failed).toMatchObject({ attempts: 10, error: 'webhook answered 503 Service Unavailable' });
      const owner = await rt.signIn();
      const dead = (await owner('GET', `/api/workspaces/${rt.workspaceId}/dead-letters?kind=delivery`)).body;
      expect(dead.items[0]).toMatchObject({ kind: 'delivery', ref: failed!.id, payload: { label: 'webhook of Flaky receiver' }, error: { message: 'webhook answered 503 Service Unavailable' } });

      down = false;
      expect((await owner('POST', `/api/workspaces/${rt.workspaceId}/dead-letters/retry`, { ids: [dead.items[0].id] })).body).toEqual({ retried: 1 });
      await rt.eventually(async () => (await rt.messagesOf(journeyId))[0]?.status === 'sent');
    } finally {
      await new Promise((r) => flaky.close(r));
    }
  });
});
