import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDocumentInput } from '@waymark/shared';
import { audiencePending } from '../src/db/schema.ts';
import { startTestRuntime } from './support/test-runtime.ts';

const hour = 3_600_000;

/** A scheduled journey: audience → in-app message. */
const scheduled = (id: string, entry: object, timeZone = 'America/New_York'): JourneyDocumentInput => ({
  schemaVersion: 1,
  id,
  name: id,
  settings: { reEntry: { mode: 'always' }, timeZone },
  graph: {
    nodes: [
      { id: 'audience', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'schedule', ...entry } as never } },
      { id: 'note', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'in-app' }, content: { 'in-app': { title: 'Hello', body: 'Hi {{ customer.id }}' } } } },
    ],
    edges: [{ id: 'a', source: 'audience', sourceHandle: 'next', target: 'note' }],
  },
});

describe('scheduled audience triggers', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  let ws: string;
  const customers = 2_500; // three pages of 1,000

  beforeAll(async () => {
    rt = await startTestRuntime('2026-11-25T10:00:00Z');
    owner = await rt.signIn();
    ws = `/api/workspaces/${rt.workspaceId}`;
    const zones = ['Europe/Paris', 'America/Los_Angeles'];
    for (let i = 0; i < customers; i += 500) {
      const batch = Array.from({ length: 500 }, (_, j) => ({
        type: 'identify',
        userId: `c${i + j}`,
        messageId: `seed-${i + j}`,
        traits: { plan: (i + j) % 2 ? 'pro' : 'free', timezone: zones[(i + j) % 2] },
      }));
      expect((await rt.ingest('batch', { batch })).status).toBe(200);
    }
    await rt.eventually(async () => (await rt.pendingEvents()) === 0);
  }, 60_000);
  afterAll(async () => rt?.stop());

  const publish = async (document: JourneyDocumentInput) => {
    const created = await owner('POST', `${ws}/journeys`, { name: document.name, document });
    expect((await owner('POST', `${ws}/journeys/${created.body.id}/publish`)).status).toBe(200);
    return created.body.id as string;
  };
  const runsOf = async (id: string) =>
    (await owner('GET', `${ws}/journeys/${id}/audience-runs`)).body as { occurrence: string; status: string; dueAt: string; total: number; scanned: number; enrolled: number; deferred: number }[];

  it('a one-off at 09:00 in the journey zone enrolls everyone matching the rules, once, in pages, with progress to watch', async () => {
    const id = await publish(
      scheduled('pro-announcement', {
        schedule: { kind: 'once', date: '2026-11-26', time: '09:00' },
        rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] },
      }),
    );
    const [planned] = await runsOf(id);
    expect(planned).toMatchObject({ occurrence: '2026-11-26', status: 'scheduled', enrolled: 0 });
    expect(new Date(planned!.dueAt).toISOString()).toBe('2026-11-26T14:00:00.000Z');

    await rt.advance(27 * hour); // 2026-11-26T13:00Z: an hour early, nothing happens
    expect((await runsOf(id))[0]!.status).toBe('scheduled');
    await rt.advance(hour);
    const [done] = await rt.eventually(async () => {
      const list = await runsOf(id);
      return list[0]?.status === 'done' && list;
    }, 60_000);
    expect(done).toMatchObject({ total: customers, scanned: customers, enrolled: customers / 2, deferred: 0 });
    const messages = await rt.eventually(async () => {
      const list = await rt.messagesOf(id);
      return list.length === customers / 2 && list;
    });
    expect(new Set(messages.map((m) => m.customerId)).size).toBe(customers / 2);
    const stats = (await owner('GET', `${ws}/journeys/${id}/stats`)).body.nodes;
    expect(stats.audience).toMatchObject({ entered: customers / 2 });

    // Planning again (every minute, and after each run) finds no next occurrence of a one-off.
    expect(await rt.planAudiences()).toBe(0);
    expect(await runsOf(id)).toHaveLength(1);
  }, 120_000);

  it("customer-local: each customer enters at 08:00 on their own clock; the run waits for the last zone, then plans tomorrow's", async () => {
    // The clock now reads 2026-11-26T14:00Z: 15:00 in Paris, 06:00 in Los Angeles.
    const id = await publish(scheduled('morning-digest', { schedule: { kind: 'recurring', frequency: 'daily', time: '08:00' }, timing: 'customer-local' }));
    const [planned] = await runsOf(id);
    // The 2026-11-27 occurrence starts where 08:00 comes first (UTC+14), on the 26th at 18:00Z.
    expect(planned).toMatchObject({ occurrence: '2026-11-27', status: 'scheduled' });
    expect(new Date(planned!.dueAt).toISOString()).toBe('2026-11-26T18:00:00.000Z');

    await rt.advance(4 * hour); // 18:00Z: nobody's 08:00 yet; all set aside for their local time
    const waiting = await rt.eventually(async () => (await runsOf(id)).find((r) => r.status === 'waiting-local-time'), 60_000);
    expect(waiting).toMatchObject({ scanned: customers, enrolled: 0, deferred: customers });

    await rt.advance(13 * hour + 60_000); // 2026-11-27T07:01Z = 08:01 in Paris
    const paris = await rt.eventually(async () => (await runsOf(id)).find((r) => r.occurrence === '2026-11-27' && r.enrolled === customers / 2), 60_000);
    expect(paris).toMatchObject({ status: 'waiting-local-time', deferred: customers / 2 });
    const pending = await rt.db.select().from(audiencePending);
    expect(pending).toHaveLength(customers / 2);
    expect(new Set(pending.map((p) => new Date(p.dueAt).toISOString()))).toEqual(new Set(['2026-11-27T16:00:00.000Z']));

    await rt.advance(9 * hour); // 16:01Z = 08:01 in Los Angeles
    const done = await rt.eventually(async () => (await runsOf(id)).find((r) => r.occurrence === '2026-11-27' && r.status === 'done'), 60_000);
    expect(done).toMatchObject({ enrolled: customers, deferred: 0 });
    expect(await rt.db.select().from(audiencePending).where(eq(audiencePending.customerId, pending[0]!.customerId))).toEqual([]);
    const next = (await runsOf(id)).find((r) => r.occurrence === '2026-11-28');
    expect(next).toMatchObject({ status: 'scheduled' });
  }, 180_000);

  it('pausing cancels the planned occurrence when it comes; resuming plans the next one', async () => {
    const id = await publish(scheduled('weekly-tips', { schedule: { kind: 'recurring', frequency: 'weekly', time: '10:00', weekdays: ['mon'] } }, 'UTC'));
    const [planned] = await runsOf(id);
    expect(planned).toMatchObject({ occurrence: '2026-11-30', status: 'scheduled' });
    expect((await owner('POST', `${ws}/journeys/${id}/pause`)).status).toBe(200);
    await rt.advance(3 * 24 * hour);
    await rt.eventually(async () => (await runsOf(id))[0]?.status === 'cancelled', 60_000);
    expect(await rt.messagesOf(id)).toEqual([]);
    expect((await owner('POST', `${ws}/journeys/${id}/resume`)).status).toBe(200);
    expect((await runsOf(id)).map((r) => [r.occurrence, r.status])).toEqual([
      ['2026-12-07', 'scheduled'],
      ['2026-11-30', 'cancelled'],
    ]);
  }, 120_000);

  it('everyone in a segment: only its members are scanned (the total is the segment), and the rules still apply', async () => {
    const digest = (await runsOf((await owner('GET', `${ws}/journeys`)).body.find((j: { name: string }) => j.name === 'morning-digest').id)).length;
    expect(digest).toBeGreaterThan(0);
    for (const j of (await owner('GET', `${ws}/journeys`)).body as { id: string; status: string }[]) if (j.status === 'live') await owner('POST', `${ws}/journeys/${j.id}/pause`);
    const skip = ['c1', 'c3', 'c2'].map((userId) => ({ type: 'identify', userId, messageId: `skip-${userId}`, traits: { skipDigest: true } }));
    expect((await rt.ingest('batch', { batch: skip })).status).toBe(200);
    await rt.eventually(async () => (await rt.pendingEvents()) === 0);
    const created = await owner('POST', `${ws}/segments`, { name: 'Pro', rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } });
    expect(created.status).toBe(201);
    await rt.eventually(async () => (await owner('GET', `${ws}/segments/${created.body.id}`)).body.status === 'ready', 60_000);
    const id = await publish(
      scheduled(
        'pro-in-paris',
        {
          schedule: { kind: 'once', date: '2026-12-01', time: '09:00' },
          segmentId: created.body.id,
          rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'skipDigest', operator: 'not-exists' }] },
        },
        'UTC',
      ),
    );
    await rt.clock.setTime(Date.parse('2026-12-01T09:00:30Z'));
    const [done] = await rt.eventually(async () => {
      const list = await runsOf(id);
      return list[0]?.status === 'done' && list;
    }, 60_000);
    // Pro customers are the odd ones: 1,250 members scanned of 2,500 customers, all enrolled but the two the rules leave out.
    expect(done).toMatchObject({ total: customers / 2, scanned: customers / 2, enrolled: customers / 2 - 2 });
    const plans = await rt.sql`select distinct c.traits ->> 'plan' as plan from progress p join customers c on c.id = p.customer_id where p.journey_id = ${id}`;
    expect(plans.map((p) => p.plan)).toEqual(['pro']);
  }, 120_000);
});
