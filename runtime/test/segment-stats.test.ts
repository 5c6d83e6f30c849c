import { createServer, type Server } from 'node:http';
import type { JourneyDocumentInput, JourneyReport, JourneyStats } from '@waymark/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ApiError } from '../src/http/api-error.ts';
import { boundedRead } from '../src/services/analytics/bounded-read.ts';
import { segmentCounters, smallerSide } from '../src/services/analytics/segment-counters.ts';
import { statsScope } from '../src/services/analytics/stats-scope.ts';
import { startTestRuntime } from './support/test-runtime.ts';
import { sumStats } from './support/sum-stats.ts';

/*
 * The read-time numbers of a segment against the exact counters, on a journey that exercises
 * what the counters count outside plain passes: a webhook that fails for good, a wait for an event
 * (matched, timed out, ended by an exit criterion while waiting), quiet hours deferring sends, a
 * conversion that does not end the run (in a wait, and later on), a holdout arm that waits out the
 * goal window, a refused entry, opens and clicks. A segment holding every customer must read
 * exactly the counters, for any range of days; two segments that split the customers add up to them.
 */

const hour = 3_600_000;

const onboarding = (hooks: string): JourneyDocumentInput => ({
  schemaVersion: 1,
  id: 'onboarding',
  name: 'Onboarding',
  settings: {
    reEntry: { mode: 'never' },
    goal: { event: 'bought', window: { amount: 3, unit: 'days' }, exitOnConversion: false },
    exitCriteria: { events: [{ event: 'cancelled' }] },
    quietHours: { start: '21:00', end: '08:00', behavior: 'defer' },
    timeZone: 'UTC',
  },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'started' } } },
      {
        id: 'hook',
        type: 'send',
        position: { x: 0, y: 100 },
        data: { delivery: { mode: 'channel', channel: 'webhook' }, content: { webhook: { method: 'POST', url: `${hooks}/hook/{{ event.hook }}`, body: '{}' } } },
      },
      { id: 'click', type: 'wait-for-event', position: { x: 0, y: 200 }, data: { event: 'clicked_link', timeout: { amount: 1, unit: 'days' } } },
      {
        id: 'test',
        type: 'split',
        position: { x: 200, y: 300 },
        data: {
          arms: [
            { id: 'a', weight: 50 },
            { id: 'holdout', weight: 50, holdout: true },
          ],
        },
      },
      { id: 'mail', type: 'send', position: { x: 0, y: 400 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Hi', html: '<p>Hi</p>' } } } },
      { id: 'pause', type: 'wait', position: { x: 0, y: 500 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
      { id: 'end', type: 'exit', position: { x: 0, y: 600 }, data: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hook' },
      { id: 'e2', source: 'hook', sourceHandle: 'next', target: 'click' },
      { id: 'e3', source: 'click', sourceHandle: 'event', target: 'mail' },
      { id: 'e4', source: 'click', sourceHandle: 'timeout', target: 'test' },
      { id: 'e5', source: 'test', sourceHandle: 'a', target: 'mail' },
      { id: 'e6', source: 'mail', sourceHandle: 'next', target: 'pause' },
      { id: 'e7', source: 'pause', sourceHandle: 'next', target: 'end' },
    ],
  },
});

describe('segment numbers read at read time agree with the counters (issue 15)', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let api: Awaited<ReturnType<typeof rt.signIn>>;
  let server: Server;
  let journeyId: string;
  const segmentIds: Record<string, string> = {};
  const ws = () => `/api/workspaces/${rt.workspaceId}`;
  const get = async <T>(path: string): Promise<T> => {
    const response = await api('GET', `${ws()}/journeys/${journeyId}/${path}`);
    expect(response.status, path).toBe(200);
    return response.body;
  };
  const track = (userId: string, event: string, properties: Record<string, unknown> = {}) => rt.ingest('track', { userId, event, messageId: `${event}-${userId}-${rt.clock.now()}`, properties });
  const settle = () => rt.eventually(async () => (await rt.pendingEvents()) === 0);
  const messagesOf = (channel: string) => rt.messagesOf(journeyId).then((all) => all.filter((m) => m.channel === channel));
  const numbers = (s: JourneyStats) => ({ nodes: s.nodes, customers: s.customers, splits: s.splits, waits: s.waits });
  const sum = sumStats;
  const ranges = ['', 'from=2026-11-25&to=2026-11-25', 'from=2026-11-26&to=2026-11-26', 'from=2026-11-27&to=2026-12-31', 'from=2026-11-20&to=2026-12-31'];
  /** Every range: the Everyone segment reads the counters; Pro and Free add up to them. */
  const agree = async () => {
    for (const range of ranges) {
      const [counters, everyone, pro, free] = await Promise.all(
        ['', segmentIds.Everyone, segmentIds.Pro, segmentIds.Free].map((segment) => get<JourneyStats>(`stats?${range}${segment ? `&segment=${segment}` : ''}`)),
      );
      expect(numbers(everyone!), range).toEqual(numbers(counters!));
      expect(sum(pro!.nodes, free!.nodes), range).toEqual(counters!.nodes);
      expect(pro!.customers + free!.customers).toBe(counters!.customers);
    }
    return get<JourneyStats>('stats');
  };

  beforeAll(async () => {
    // 22:00 UTC: inside the quiet hours (21:00–08:00), so emails wait for the morning.
    rt = await startTestRuntime('2026-11-25T22:00:00Z');
    api = await rt.signIn();
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = req.url === '/hook/bad' ? 404 : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    journeyId = (await rt.publish(onboarding(`http://127.0.0.1:${(server.address() as { port: number }).port}`))).id;
    const plan = (value: object) => ({ kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', ...value }] });
    for (const [name, rules] of [
      ['Pro', plan({ operator: 'equals', value: 'pro' })],
      ['Free', plan({ operator: 'equals', value: 'free' })],
      ['Everyone', plan({ operator: 'exists' })],
    ] as const) {
      const created = await api('POST', `${ws()}/segments`, { name, rules });
      segmentIds[name] = created.body.id;
      await rt.eventually(async () => (await api('GET', `${ws()}/segments/${created.body.id}`)).body.status === 'ready');
    }
    const batch = [];
    for (let i = 0; i < 12; i++) {
      batch.push({ type: 'identify', userId: `c${i}`, messageId: `id-c${i}`, traits: { plan: i % 2 ? 'free' : 'pro', email: `c${i}@example.com` } });
      batch.push({ type: 'track', userId: `c${i}`, event: 'started', messageId: `start-c${i}`, properties: { hook: i < 3 ? 'bad' : 'ok' } });
    }
    expect((await rt.ingest('batch', { batch })).status).toBe(200);
    await rt.eventually(async () => (await messagesOf('webhook')).filter((m) => m.status === 'sent' || m.status === 'failed').length === 12);
    await rt.advance(hour / 2);
    for (const user of ['c0', 'c1', 'c2', 'c3', 'c4', 'c5']) await track(user, 'clicked_link');
    await rt.advance(hour / 2);
    await track('c6', 'cancelled');
    await rt.advance(hour);
    await track('c7', 'bought');
    await rt.advance(hour);
    await track('c8', 'started', { hook: 'ok' });
    await settle();
  }, 120_000);
  afterAll(async () => {
    await rt?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('while customers wait, are deferred by quiet hours and held out: the same numbers either way', async () => {
    const now = await agree();
    expect(now.nodes.hook).toMatchObject({ failed: 3, 'failed@webhook': 3, sent: 9 });
    expect(now.nodes.mail).toMatchObject({ entered: 6, waiting: 6 });
    expect(now.nodes._journey).toMatchObject({ 'exit:exited-early': 1, converted: 1, 'refused:already-in-journey': 1 });
  });

  it('after the morning sends, engagement, a late conversion, timeouts, the holdout and the exits: still the same', async () => {
    // 08:00: the deferred emails go; two are opened, one of them clicked; c0 buys while waiting after its email.
    await rt.advance(7 * hour);
    await rt.eventually(async () => (await messagesOf('email')).filter((m) => m.status === 'sent').length === 6);
    const emails = await messagesOf('email');
    for (const [i, kind] of [
      [1, 'opened'],
      [2, 'clicked'],
    ] as const)
      expect((await api('POST', `${ws()}/messages/${emails[i]!.id}/engagement`, { kind })).status).toBe(200);
    await rt.advance(3 * hour);
    await track('c0', 'bought');
    await settle();
    await agree();
    // 22:00: the others time out into the split; arm a's emails wait for the morning again.
    await rt.advance(11 * hour);
    await rt.eventually(async () => (await rt.runsOf(journeyId)).every((r) => r.nodeId !== 'click'));
    await settle();
    const split = await agree();
    expect((split.nodes.test?.['left:a'] ?? 0) + (split.nodes.test?.['left:holdout'] ?? 0)).toBe(5);
    // Then every wait and the holdout's goal window pass.
    for (const step of [10 * hour, 24 * hour, 24 * hour, 48 * hour]) {
      await rt.advance(step);
      await settle();
    }
    await rt.eventually(async () => (await rt.runsOf(journeyId)).every((r) => r.status !== 'active'));
    const end = await agree();
    expect(end.nodes._journey).toMatchObject({ entered: 12, converted: 2, 'exit:exit-node': expect.any(Number) });
    // Every run left the wait for the click: matched, timed out, or ended in it by the exit criterion.
    expect(end.waits.click?.count).toBe(12);
    const reports = await Promise.all(['', `&segment=${segmentIds.Everyone}`].map((segment) => get<JourneyReport>(`report?from=2026-11-24&to=2026-12-02${segment}`)));
    expect({ ...reports[1]!, stats: null }).toEqual({ ...reports[0]!, stats: null });
  });

  it("the numbers are the same whether the segment's members or the journey's customers drive the read (the smaller side does)", async () => {
    // Two customers who never enter: Everyone then counts more members than the journey has entries.
    expect(
      (
        await rt.ingest('batch', {
          batch: ['n1', 'n2'].map((user) => ({ type: 'identify', userId: user, messageId: `id-${user}`, traits: { plan: 'pro', email: `${user}@example.com` } })),
        })
      ).status,
    ).toBe(200);
    await settle();
    await rt.eventually(async () => (await api('GET', `${ws()}/segments/${segmentIds.Everyone}`)).body.members === 14);
    const sorted = (rows: { day: string | null; nodeId: string; metric: string; count: number }[]) =>
      [...rows].sort((a, b) => `${a.day}|${a.nodeId}|${a.metric}`.localeCompare(`${b.day}|${b.nodeId}|${b.metric}`));
    for (const name of ['Pro', 'Free', 'Everyone'] as const) {
      for (const range of [{}, { from: '2026-11-26', to: '2026-11-27' }]) {
        const scope = await statsScope(rt.db, rt.workspaceId, journeyId, { version: 'all', segment: segmentIds[name], ...range });
        const segment = { ...scope, segment: scope.segment! };
        const [bySegment, byJourney, chosen] = await Promise.all([
          segmentCounters(rt.db, segment, { driver: 'segment' }),
          segmentCounters(rt.db, segment, { driver: 'journey' }),
          segmentCounters(rt.db, segment),
        ]);
        expect(bySegment.rows.length, name).toBeGreaterThan(0);
        // Everyone's 14 members against the journey's 12 entries: the journey's side; Pro's 8 and Free's 6, their own.
        expect(await smallerSide(rt.db, segment), name).toBe(name === 'Everyone' ? 'journey' : 'segment');
        expect({ ...byJourney, rows: sorted(byJourney.rows) }, `${name} ${JSON.stringify(range)}`).toEqual({ ...bySegment, rows: sorted(bySegment.rows) });
        expect({ ...chosen, rows: sorted(chosen.rows) }).toEqual({ ...bySegment, rows: sorted(bySegment.rows) });
      }
    }
  });

  it('a read that runs past its limit is stopped by PostgreSQL and answered 422 in words, not 500', async () => {
    const slow = boundedRead(rt.db, 'the customers in Pro', (tx) => tx.execute(sql`select pg_sleep(10)`), 100);
    await expect(slow).rejects.toBeInstanceOf(ApiError);
    await expect(slow).rejects.toMatchObject({ status: 422, code: 'segment-too-large', message: expect.stringMatching(/^Counting the customers in Pro took longer than 0\.1 s, so it was stopped\./) });
  });
});
