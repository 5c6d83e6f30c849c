import { and, eq, sql } from 'drizzle-orm';
import type { JourneyDocumentInput } from '@waymark/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryRefusals, heldInputs, messages, steps } from '../src/db/schema.ts';
import { startTestRuntime } from './support/test-runtime.ts';

const day = 86_400_000;

/** Signed Up → wait a day → email "Welcome back": who is waiting when the journey is paused. */
const welcome = (afterPause: 'send-missed' | 'skip-missed'): JourneyDocumentInput => ({
  schemaVersion: 1,
  id: `welcome-${afterPause}`,
  name: `Welcome (${afterPause})`,
  settings: { afterPause },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: `Signed Up ${afterPause}` } } },
      { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
      {
        id: 'hello',
        type: 'send',
        position: { x: 0, y: 200 },
        data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Welcome back', html: '<p>Coupon: SAVE10</p>' } } },
      },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'next', target: 'wait' },
      { id: 'b', source: 'wait', sourceHandle: 'next', target: 'hello' },
    ],
  },
});

describe('pause holds everyone where they are; resume releases them (SPEC P1, P2)', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    owner = await rt.signIn();
  });
  afterAll(async () => rt?.stop());
  const ws = () => `/api/workspaces/${rt.workspaceId}`;

  async function fiftyWaiting(afterPause: 'send-missed' | 'skip-missed') {
    const { id } = await rt.publish(welcome(afterPause));
    const batch = Array.from({ length: 50 }, (_, i) => [
      { type: 'identify', userId: `${afterPause}-${i}`, traits: { email: `${afterPause}-${i}@example.com` } },
      { type: 'track', userId: `${afterPause}-${i}`, event: `Signed Up ${afterPause}` },
    ]).flat();
    expect((await rt.ingest('batch', { batch })).status).toBe(200);
    await rt.eventually(async () => (await rt.runsOf(id)).filter((r) => r.nodeId === 'wait').length === 50);
    return id;
  }

  it('50 customers waiting when the journey is paused get nothing while it is paused, however long; new entries are refused with the reason; resume sends all 50', async () => {
    const journeyId = await fiftyWaiting('send-missed');
    expect((await owner('POST', `${ws()}/journeys/${journeyId}/pause`)).status).toBe(200);

    await rt.advance(2 * day);
    await rt.eventually(async () => (await rt.db.select().from(heldInputs).where(eq(heldInputs.journeyId, journeyId))).length === 50);
    await rt.advance(60_000);
    expect(await rt.messagesOf(journeyId)).toEqual([]);
    expect((await rt.runsOf(journeyId)).every((r) => r.status === 'active' && r.nodeId === 'wait')).toBe(true);

    await rt.ingest('track', { userId: 'latecomer', event: 'Signed Up send-missed' });
    const refusal = await rt.eventually(async () => (await rt.db.select().from(entryRefusals).where(eq(entryRefusals.journeyId, journeyId)))[0]);
    expect(refusal).toMatchObject({ reason: 'paused', detail: 'the journey was paused', count: 1 });
    expect((await owner('GET', `${ws()}/journeys/${journeyId}/stats`)).body.nodes._journey['refused:paused']).toBe(1);

    expect((await owner('POST', `${ws()}/journeys/${journeyId}/resume`)).status).toBe(200);
    const sent = await rt.eventually(async () => {
      const list = await rt.messagesOf(journeyId);
      return list.length === 50 && list.every((m) => m.status === 'sent') && list;
    });
    expect(new Set(sent.map((m) => m.customerId)).size).toBe(50);
    expect(await rt.db.select().from(heldInputs).where(eq(heldInputs.journeyId, journeyId))).toEqual([]);
    const audit = await owner('GET', `${ws()}/audit?action=journey.`);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['journey.pause', 'journey.resume']));
  });

  it('with "skip-missed", the customers whose wait ended during the pause move on at resume without the stale message', async () => {
    const journeyId = await fiftyWaiting('skip-missed');
    await owner('POST', `${ws()}/journeys/${journeyId}/pause`);
    await rt.advance(2 * day);
    await rt.eventually(async () => (await rt.db.select().from(heldInputs).where(eq(heldInputs.journeyId, journeyId))).length === 50);
    await owner('POST', `${ws()}/journeys/${journeyId}/resume`);
    await rt.eventually(async () => (await rt.runsOf(journeyId)).every((r) => r.status === 'completed'));
    expect(await rt.messagesOf(journeyId)).toEqual([]);
    const skipped = await rt.db
      .select()
      .from(steps)
      .where(and(eq(steps.journeyId, journeyId), eq(steps.reason, 'skipped:paused')));
    expect(skipped).toHaveLength(50);
    expect(skipped[0]!.detail).toBe('the journey was paused when this was due');
  });

  it('a message already in the outbox when the journey is paused is held, not sent, and goes out at resume', async () => {
    const journeyId = await fiftyWaiting('send-missed');
    const [run] = await rt.runsOf(journeyId);
    await owner('POST', `${ws()}/journeys/${journeyId}/pause`);
    // As if a batch had written it just before the pause: queued, with its delivery job.
    const id = crypto.randomUUID();
    await rt.db.insert(messages).values({
      id,
      workspaceId: rt.workspaceId,
      idempotencyKey: `held-${id}`,
      progressId: run!.id,
      journeyId,
      version: 1,
      nodeId: 'hello',
      customerId: run!.customerId,
      channel: 'email',
      to: 'x@example.com',
      content: { subject: 'Welcome back', html: '<p>x</p>' },
      createdAt: new Date(rt.clock.now()).toISOString(),
    });
    await rt.boss.send('deliver-email', { messageIds: [id] });
    await rt.eventually(async () => (await rt.db.select().from(messages).where(eq(messages.id, id)))[0]?.status === 'held');
    await owner('POST', `${ws()}/journeys/${journeyId}/resume`);
    await rt.eventually(async () => (await rt.db.select().from(messages).where(eq(messages.id, id)))[0]?.status === 'sent');
    expect(Number((await rt.db.execute<{ n: number }>(sql`select count(*)::int as n from messages where journey_id = ${journeyId}`))[0]!.n)).toBe(1);
  });
});
