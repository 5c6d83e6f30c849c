import { TestClock } from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import type { JourneyDocumentInput } from '@waymark/shared';
import { createRuntime } from '../src/runtime.ts';
import { bootstrapWorkspace } from '../src/services/bootstrap.ts';
import { createJourney, publishJourney } from '../src/services/journeys/journey-service.ts';
import { createTestDatabase, eventually } from './support/test-database.ts';

/**
 * Timers are data (SPEC T5): a parked run's due time is its `due_at`, written with the run; pg-boss
 * only wakes a worker at each due second, a sweep every minute catches a lost wake-up, and a
 * worker starting fires whatever came due while none ran. Never one job per waiting customer.
 */
const day = 86_400_000;
const waitADay: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'wait-a-day',
  name: 'Wait a day',
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Joined' } } },
      { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
      { id: 'hello', type: 'send', position: { x: 0, y: 200 }, data: { delivery: { mode: 'channel', channel: 'in-app' }, content: { 'in-app': { title: 'A day in', body: 'Hello' } } } },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'next', target: 'wait' },
      { id: 'b', source: 'wait', sourceHandle: 'next', target: 'hello' },
    ],
  },
};

describe('timers as data', () => {
  const stops: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it('a crowd waiting out the same day is one wake-up, not one job each; a lost wake-up is caught by the sweep; a restart fires what came due meanwhile', async () => {
    const url = await createTestDatabase();
    const clock = new TestClock('2026-11-25T10:00:00Z');
    const start = () => createRuntime({ databaseUrl: url, clock, pollingIntervalSeconds: 0.5 });
    let rt = await start();
    stops.push(() => rt.stop());
    const first = (await bootstrapWorkspace(rt.db))!;
    const journey = await createJourney(rt.db, first.workspaceId, { name: waitADay.name, document: waitADay });
    await publishJourney(rt.db, first.workspaceId, journey.id, 'test');
    const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
    const join = async (from: number, count: number) => {
      const batch = Array.from({ length: count }, (_, i) => ({ type: 'track', userId: `c${from + i}`, event: 'Joined', messageId: `j${from + i}` }));
      const response = await rt.app.request('/v1/batch', { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
      expect(response.status).toBe(200);
    };
    const advance = async (ms: number) => {
      await clock.setTime(clock.now() + ms);
      await clock.tick(1_000);
    };
    const count = async (query: string) => Number((await rt.sql.unsafe(query))[0]!.n);
    const waiting = () => count(`select count(*) as n from progress where status = 'active' and node_id = 'wait'`);
    const completed = () => count(`select count(*) as n from progress where status = 'completed'`);
    const wakeUps = () => count(`select count(*) as n from pgboss.job where name = 'timer-wake' and state = 'created'`);

    // Three batches of customers, all due at the same second (the clock stands still).
    for (const from of [0, 40, 80]) await join(from, 40);
    await eventually(async () => (await waiting()) === 120);
    expect(await count(`select count(*) as n from progress where due_at = entered_at + interval '1 day'`)).toBe(120);
    expect(await count(`select count(*) as n from pgboss.job where name = 'timers'`)).toBe(0);
    expect(await wakeUps()).toBe(1);

    await advance(day + 1_000);
    await eventually(async () => (await completed()) === 120);
    expect(await count(`select count(*) as n from progress where due_at is not null`)).toBe(0);
    expect(await count(`select count(*) as n from steps where reason = 'wait-elapsed'`)).toBe(120);

    // A wake-up lost (deleted, as a crash between commit and job could lose it): the minute's sweep fires the timers.
    await join(200, 10);
    await eventually(async () => (await waiting()) === 10);
    await rt.sql.unsafe(`delete from pgboss.job where name = 'timer-wake'`);
    await advance(day + 1_000);
    await rt.boss.send('timer-sweep', {});
    await eventually(async () => (await completed()) === 130);

    // Due while no worker ran: the next worker to start fires them, wake-up or not.
    await join(300, 10);
    await eventually(async () => (await waiting()) === 10);
    await rt.sql.unsafe(`delete from pgboss.job where name = 'timer-wake'`);
    await rt.stop();
    stops.pop();
    // The day passes with no worker running (an API-only process moves the test clock).
    const api = await createRuntime({ databaseUrl: url, clock, role: 'api' });
    await advance(day + 1_000);
    await api.stop();
    rt = await start();
    stops.push(() => rt.stop());
    await eventually(async () => (await completed()) === 140);
    // Each fired once: one wait-elapsed step and one message per run.
    expect(await count(`select count(*) as n from steps where reason = 'wait-elapsed'`)).toBe(140);
    expect(await count(`select count(*) as n from messages`)).toBe(140);
  }, 120_000);
});
