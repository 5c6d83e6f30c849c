import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDocumentInput, JourneyReport, JourneyStats, NodeCustomersPage, SegmentComparison } from '@waymark/shared';
import { messages, progress, steps, workspaces } from '../src/db/schema.ts';
import { startTestRuntime } from './support/test-runtime.ts';
import { sumStats } from './support/sum-stats.ts';

/*
 * A scripted population with known outcomes through the real runtime, read back through the API:
 * two versions, a day boundary in the workspace's zone (New York), a condition, an A/B split,
 * skips, opens and clicks, conversions inside and outside the goal window, a wait left after 2 days.
 */
const promo = (subject: string): JourneyDocumentInput => ({
  schemaVersion: 1,
  id: 'promo',
  name: 'Promo',
  settings: { reEntry: { mode: 'never' }, goal: { event: 'purchased', window: { amount: 1, unit: 'days' } } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'signed_up' } } },
      { id: 'is-pro', type: 'condition', position: { x: 0, y: 100 }, data: { rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } } },
      { id: 'pro-mail', type: 'send', position: { x: -200, y: 200 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject, html: '<p>Pro</p>' } } } },
      {
        id: 'test',
        type: 'split',
        position: { x: 200, y: 200 },
        data: {
          arms: [
            { id: 'a', weight: 50 },
            { id: 'b', weight: 50 },
          ],
        },
      },
      { id: 'mail-a', type: 'send', position: { x: 100, y: 300 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'A', html: '<p>A</p>' } } } },
      { id: 'mail-b', type: 'send', position: { x: 300, y: 300 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'B', html: '<p>B</p>' } } } },
      { id: 'pause', type: 'wait', position: { x: 0, y: 400 }, data: { wait: { kind: 'duration', duration: { amount: 2, unit: 'days' } } } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'is-pro' },
      { id: 'e2', source: 'is-pro', sourceHandle: 'yes', target: 'pro-mail' },
      { id: 'e3', source: 'is-pro', sourceHandle: 'no', target: 'test' },
      { id: 'e4', source: 'test', sourceHandle: 'a', target: 'mail-a' },
      { id: 'e5', source: 'test', sourceHandle: 'b', target: 'mail-b' },
      { id: 'e6', source: 'pro-mail', sourceHandle: 'next', target: 'pause' },
      { id: 'e7', source: 'mail-a', sourceHandle: 'next', target: 'pause' },
      { id: 'e8', source: 'mail-b', sourceHandle: 'next', target: 'pause' },
    ],
  },
});

const hour = 3_600_000;

describe('analytics: counters by day, version and range, through the API', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let api: Awaited<ReturnType<typeof rt.signIn>>;
  let journeyId: string;
  const ws = () => `/api/workspaces/${rt.workspaceId}`;
  const stats = async (query: string): Promise<JourneyStats> => {
    const response = await api('GET', `${ws()}/journeys/${journeyId}/stats?${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const runs = () => rt.db.select().from(progress).where(eq(progress.journeyId, journeyId));
  const settle = (check: () => Promise<boolean>) => rt.eventually(async () => (await check()) || null);
  const engage = (id: string, kind: string) => api('POST', `${ws()}/messages/${id}/engagement`, { kind });
  /** The first message sent to a user, found through their run. */
  const messageOf = async (userId: string) => {
    const all = await rt.db.select().from(messages).where(eq(messages.journeyId, journeyId));
    return all.find((m) => m.to === `${userId}@example.com`)!;
  };
  const armOf = new Map<string, string>();

  beforeAll(async () => {
    // 22:00 on Tuesday 24 November in New York, the workspace's zone: 03:00 UTC on the 25th.
    rt = await startTestRuntime('2026-11-25T03:00:00Z');
    await rt.db
      .update(workspaces)
      .set({ settings: { allowPrivateNetworks: true, timeZone: 'America/New_York' } })
      .where(eq(workspaces.id, rt.workspaceId));
    api = await rt.signIn();
    journeyId = (await rt.publish(promo('Pro v1'))).id;

    // Version 1, on the 24th (New York): 10 pro (4 without an email address) and 20 free customers.
    const batch = [];
    for (let i = 0; i < 30; i++) {
      const userId = `u${i}`;
      const traits = { plan: i < 10 ? 'pro' : 'free', ...(i < 10 && i >= 6 ? {} : { email: `${userId}@example.com` }) };
      batch.push({ type: 'identify', userId, messageId: `id-${userId}`, traits });
      batch.push({ type: 'track', userId, event: 'signed_up', messageId: `su-${userId}` });
    }
    expect((await rt.ingest('batch', { batch })).status).toBe(200);
    await settle(async () => (await runs()).length === 30 && (await rt.messagesOf(journeyId)).every((m) => m.status === 'sent') && (await rt.messagesOf(journeyId)).length === 26);

    // Opens and clicks: u0–u4 open (the day of the send), u0 and u1 also click; a click on u5 implies its open.
    for (const user of ['u0', 'u1', 'u2', 'u3', 'u4']) expect((await engage((await messageOf(user)).id, 'opened')).status).toBe(200);
    for (const user of ['u0', 'u1', 'u5']) expect((await engage((await messageOf(user)).id, 'clicked')).status).toBe(200);

    // Three hours later it is the 25th in New York: version 2, and 10 more free customers enter it.
    await rt.advance(3 * hour);
    expect((await api('POST', `${ws()}/journeys/${journeyId}/publish`)).status).toBe(200);
    const second = [];
    for (let i = 30; i < 40; i++) {
      second.push({ type: 'identify', userId: `u${i}`, messageId: `id-u${i}`, traits: { plan: 'free', email: `u${i}@example.com` } });
      second.push({ type: 'track', userId: `u${i}`, event: 'signed_up', messageId: `su-u${i}` });
    }
    expect((await rt.ingest('batch', { batch: second })).status).toBe(200);
    await settle(async () => (await runs()).length === 40);

    // Purchases: six free customers of version 1 inside the 1-day window (+4 h), two after it (+30 h).
    const buy = (users: string[], tag: string) => rt.ingest('batch', { batch: users.map((u) => ({ type: 'track', userId: u, event: 'purchased', messageId: `buy-${tag}-${u}` })) });
    await buy(['u10', 'u11', 'u12', 'u13', 'u14', 'u15'], 'in');
    await settle(async () => (await runs()).filter((r) => r.status === 'converted').length === 6);
    await rt.advance(24 * hour);
    await buy(['u16', 'u17'], 'late');
    await rt.advance(hour);
    // A little over two days after the first entries their wait has ended: version 1's runs complete.
    await rt.advance(21 * hour);
    await settle(async () => (await runs()).filter((r) => r.version === 1 && r.status === 'active').length === 0);

    // Each split customer's arm, from their steps.
    for (const step of await rt.db.select().from(steps).where(eq(steps.nodeId, 'test'))) {
      const run = (await runs()).find((r) => r.id === step.progressId)!;
      armOf.set(`${run.version}:${run.customerId}`, step.handle!);
    }
  }, 120_000);
  afterAll(async () => rt?.stop());

  it('counts each version on the day of the workspace zone it happened in; a range is the sum of its days', async () => {
    const v1 = await stats('version=1');
    expect(v1.nodes._journey).toMatchObject({ entered: 30, converted: 6 });
    expect(v1.customers).toBe(30);
    expect(v1.nodes['is-pro']).toMatchObject({ entered: 30, 'left:yes': 10, 'left:no': 20 });
    expect(v1.nodes['pro-mail']).toMatchObject({ entered: 10, queued: 6, sent: 6, 'sent@email': 6, 'skipped:no-address': 4 });
    // Day by day: everything of version 1 entered on the 24th, nothing on the 25th.
    expect((await stats('version=1&from=2026-11-24&to=2026-11-24')).nodes._journey).toMatchObject({ entered: 30 });
    expect((await stats('version=1&from=2026-11-25&to=2026-11-30')).nodes._journey?.entered ?? 0).toBe(0);
    // Conversions happened on the 25th (04:00 New York), after the entries of the 24th.
    expect((await stats('version=1&from=2026-11-25&to=2026-11-25')).nodes._journey).toMatchObject({ converted: 6 });
    const v2 = await stats('version=2');
    expect(v2.nodes._journey).toMatchObject({ entered: 10 });
    expect(v2.customers).toBe(10);
    const all = await stats('version=all');
    expect(all.version).toBeNull();
    expect(all.versions).toEqual([1, 2]);
    expect(all.nodes._journey).toMatchObject({ entered: 40 });
    expect(all.customers).toBe(40);
    expect((await stats('')).version).toBe(2);
  });

  it('opens and clicks count once per message, on the send step and per channel; the late purchases do not convert', async () => {
    const v1 = await stats('version=1');
    const opened = (node: string) => v1.nodes[node]?.opened ?? 0;
    const clicked = (node: string) => v1.nodes[node]?.clicked ?? 0;
    expect(opened('pro-mail') + opened('mail-a') + opened('mail-b')).toBe(6); // u0–u4 and u5 (implied by its click)
    expect(clicked('pro-mail') + clicked('mail-a') + clicked('mail-b')).toBe(3);
    expect(opened('pro-mail')).toBe(6);
    expect(v1.nodes['pro-mail']?.['opened@email']).toBe(6);
    expect(v1.nodes._journey?.converted).toBe(6);
  });

  it('the A/B readout counts each arm by the customers assigned and converted, with the z-test of their rates', async () => {
    const v1 = await stats('version=1');
    const assigned = (arm: string) => [...armOf].filter(([key, a]) => key.startsWith('1:') && a === arm).length;
    const converted = new Set((await runs()).filter((r) => r.version === 1 && r.status === 'converted').map((r) => r.customerId));
    const convertedIn = (arm: string) => [...armOf].filter(([key, a]) => key.startsWith('1:') && a === arm && converted.has(key.slice(2))).length;
    const [na, nb, ca, cb] = [assigned('a'), assigned('b'), convertedIn('a'), convertedIn('b')];
    expect(na + nb).toBe(20);
    expect(ca + cb).toBe(6);
    const readout = v1.splits.test!;
    expect(readout.controlId).toBe('a');
    expect(readout.arms.map((a) => [a.id, a.entered, a.converted])).toEqual([
      ['a', na, ca],
      ['b', nb, cb],
    ]);
    // The two-proportion z-test, computed here from the counts.
    const pooled = (ca + cb) / (na + nb);
    const z = (cb / nb - ca / na) / Math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
    expect(readout.arms[1]!.comparison!.z).toBeCloseTo(z, 9);
    expect(readout.enoughData).toBe(false);
    expect(readout.sentence).toMatch(/^Not enough data yet/);
  });

  it('a wait reports time spent (converted after 3 h, the rest after 2 days and a bit → 2–3 d) and nobody waiting once it has passed', async () => {
    const v1 = await stats('version=1');
    expect(v1.nodes.pause).toMatchObject({ 'waited:6': 6, 'waited:11': 24 });
    expect(v1.waits.pause).toEqual({ count: 30, median: { from: 2 * 86_400_000, to: 3 * 86_400_000 }, p90: { from: 2 * 86_400_000, to: 3 * 86_400_000 } });
    expect(v1.nodes.pause?.waiting ?? 0).toBe(0);
    expect((await stats('version=2')).nodes.pause?.waiting).toBe(10);
  });

  it('who is here: the customers waiting at a step, paged with the total and searchable; a send step lists whom it skipped and why', async () => {
    const waiting: NodeCustomersPage = (await api('GET', `${ws()}/journeys/${journeyId}/nodes/pause/customers?version=2&pageSize=4`)).body;
    expect(waiting.total).toBe(10);
    expect(waiting.items).toHaveLength(4);
    expect(waiting.items[0]).toMatchObject({ version: 2, dueAt: expect.any(String) });
    const page3: NodeCustomersPage = (await api('GET', `${ws()}/journeys/${journeyId}/nodes/pause/customers?version=2&pageSize=4&page=3`)).body;
    expect(page3.items).toHaveLength(2);
    const found: NodeCustomersPage = (await api('GET', `${ws()}/journeys/${journeyId}/nodes/pause/customers?version=2&q=u33@example`)).body;
    expect(found.total).toBe(1);
    expect(found.items[0]!.label).toBe('u33@example.com');
    const skipped: NodeCustomersPage = (await api('GET', `${ws()}/journeys/${journeyId}/nodes/pro-mail/customers?version=1&state=skipped`)).body;
    expect(skipped.total).toBe(4);
    expect(skipped.items.every((c) => c.reason === 'skipped:no-address')).toBe(true);
    const sent: NodeCustomersPage = (await api('GET', `${ws()}/journeys/${journeyId}/nodes/pro-mail/customers?version=1&state=sent`)).body;
    expect(sent.total).toBe(6);
  });

  it('the report: entries, sends, opens and conversions per day, the email row, exits by reason', async () => {
    const report: JourneyReport = (await api('GET', `${ws()}/journeys/${journeyId}/report?version=1&from=2026-11-23&to=2026-11-27`)).body;
    expect(report.days.map((d) => d.day)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    expect(report.days[1]).toMatchObject({ entered: 30, sent: 26, opened: 6, clicked: 3 });
    expect(report.days[2]).toMatchObject({ entered: 0, converted: 6 });
    // An open implies the message was delivered, so the six opened ones count as delivered.
    expect(report.channels).toEqual([{ channel: 'email', queued: 26, sent: 26, delivered: 6, failed: 0, opened: 6, clicked: 3, unsubscribed: 0, skipped: 4 }]);
    expect(report.exits).toEqual({ converted: 6, completed: 24 });
  });

  it('the journeys list shows the live version over the range, with entries per day', async () => {
    const list = (await api('GET', `${ws()}/journeys?from=2026-11-24&to=2026-11-25`)).body;
    expect(list[0].live).toEqual({
      version: 2,
      entered: 10,
      converted: 0,
      entriesByDay: [
        { day: '2026-11-24', count: 0 },
        { day: '2026-11-25', count: 10 },
      ],
    });
  });

  it('test traffic never counts: a preview of a real customer and a send test change no number', async () => {
    const before = await stats('version=all');
    const customerId = (await runs()).find((r) => r.version === 2)!.customerId;
    const preview = await api('POST', `${ws()}/journeys/${journeyId}/preview`, {
      customer: { customerId },
      story: { entry: { kind: 'event', at: new Date(rt.clock.now()).toISOString() }, items: [{ kind: 'track', after: { amount: 2, unit: 'hours' }, name: 'purchased' }] },
    });
    expect(preview.status).toBe(200);
    expect((await api('POST', `${ws()}/channels/email/test`, { to: 'qa@example.com', content: { subject: 'Test', html: '<p>Test</p>' } })).status).toBe(200);
    const after = await stats('version=all');
    expect({ ...after, generatedAt: '' }).toEqual({ ...before, generatedAt: '' });
  });

  describe('by segment: only customers in a saved segment now, counted from their steps at read time', () => {
    const segmentIds: Record<string, string> = {};
    const plan = (value: object) => ({ kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', ...value }] });
    const sum = sumStats;
    const numbers = (s: JourneyStats) => ({ nodes: s.nodes, customers: s.customers, splits: s.splits, waits: s.waits, version: s.version, range: s.range });
    const queries = ['version=1', 'version=2', 'version=all', 'version=all&from=2026-11-24&to=2026-11-24', 'version=all&from=2026-11-25&to=2026-11-27', 'version=1&from=2026-11-26&to=2026-11-30'];

    beforeAll(async () => {
      for (const [name, rules] of [
        ['Pro buyers', plan({ operator: 'equals', value: 'pro' })],
        ['Free plan', plan({ operator: 'equals', value: 'free' })],
        ['Everyone', plan({ operator: 'exists' })],
      ] as const) {
        const created = await api('POST', `${ws()}/segments`, { name, rules });
        expect(created.status).toBe(201);
        segmentIds[name] = created.body.id;
        await rt.eventually(async () => (await api('GET', `${ws()}/segments/${created.body.id}`)).body.status === 'ready');
      }
    });

    it('a segment of every customer reads exactly the counters, for every version and range', async () => {
      for (const query of queries) {
        const counters = await stats(query);
        const everyone = await stats(`${query}&segment=${segmentIds.Everyone}`);
        expect(everyone.segment).toEqual({ id: segmentIds.Everyone, name: 'Everyone', members: 40, building: false });
        expect(counters.segment).toBeUndefined();
        expect(numbers(everyone), query).toEqual(numbers(counters));
      }
    });

    it("two segments that split the customers add up to the counters; each counts exactly its members' runs, messages and engagement", async () => {
      for (const query of queries) {
        const [counters, pro, free] = await Promise.all([stats(query), stats(`${query}&segment=${segmentIds['Pro buyers']}`), stats(`${query}&segment=${segmentIds['Free plan']}`)]);
        expect(sum(pro.nodes, free.nodes), query).toEqual(counters.nodes);
        expect(pro.customers + free.customers).toBe(counters.customers);
      }
      // u0–u9 are pro (version 1): all took the yes branch; six had an email (u0–u5: six opens, three clicks), four were skipped; none bought.
      const pro = await stats(`version=all&segment=${segmentIds['Pro buyers']}`);
      expect(pro.segment).toMatchObject({ name: 'Pro buyers', members: 10 });
      expect(pro.customers).toBe(10);
      expect(pro.nodes._journey).toEqual({ entered: 10, 'exit:completed': 10 });
      expect(pro.nodes['is-pro']).toEqual({ entered: 10, 'left:yes': 10 });
      expect(pro.nodes['pro-mail']).toMatchObject({ entered: 10, queued: 6, sent: 6, opened: 6, clicked: 3, delivered: 6, 'skipped:no-address': 4, 'opened@email': 6 });
      expect(pro.nodes.test).toBeUndefined();
      expect(pro.waits.pause).toMatchObject({ count: 10 });
      expect(pro.splits.test!.arms.map((a) => [a.entered, a.converted])).toEqual([
        [0, 0],
        [0, 0],
      ]);
      // u10–u39 are free: the twenty of version 1 split, six of them converted inside the window; the ten of version 2 wait.
      const free = await stats(`version=all&segment=${segmentIds['Free plan']}`);
      expect(free.customers).toBe(30);
      expect(free.nodes._journey).toMatchObject({ entered: 30, converted: 6, 'exit:converted': 6, 'exit:completed': 14 });
      expect((free.nodes.test?.['left:a'] ?? 0) + (free.nodes.test?.['left:b'] ?? 0)).toBe(30);
      expect(free.nodes.pause?.waiting).toBe(10);
      const v1 = await stats(`version=1&segment=${segmentIds['Free plan']}`);
      const arms = v1.splits.test!.arms.map((a) => [a.id, a.entered, a.converted]);
      const counted = (await stats('version=1')).splits.test!.arms.map((a) => [a.id, a.entered, a.converted]);
      expect(arms).toEqual(counted);
    });

    it('the report and who is here follow the segment: days, channels and endings of its members only', async () => {
      const report = async (segment: string): Promise<JourneyReport> =>
        (await api('GET', `${ws()}/journeys/${journeyId}/report?version=1&from=2026-11-23&to=2026-11-27${segment ? `&segment=${segmentIds[segment]}` : ''}`)).body;
      const [all, pro, free] = await Promise.all([report(''), report('Pro buyers'), report('Free plan')]);
      expect(pro.stats.segment?.name).toBe('Pro buyers');
      expect(pro.days.map((d) => d.day)).toEqual(all.days.map((d) => d.day));
      expect(pro.days[1]).toEqual({ day: '2026-11-24', entered: 10, sent: 6, opened: 6, clicked: 3, converted: 0 });
      expect(free.days[1]).toEqual({ day: '2026-11-24', entered: 20, sent: 20, opened: 0, clicked: 0, converted: 0 });
      expect(free.days[2]).toMatchObject({ converted: 6 });
      expect(pro.channels).toEqual([{ channel: 'email', queued: 6, sent: 6, delivered: 6, failed: 0, opened: 6, clicked: 3, unsubscribed: 0, skipped: 4 }]);
      expect(pro.exits).toEqual({ completed: 10 });
      expect(free.exits).toEqual({ converted: 6, completed: 14 });
      const who = async (segment: string) => ((await api('GET', `${ws()}/journeys/${journeyId}/nodes/pause/customers?version=2&segment=${segmentIds[segment]}`)).body as NodeCustomersPage).total;
      expect([await who('Pro buyers'), await who('Free plan')]).toEqual([0, 10]);
      const skipped: NodeCustomersPage = (await api('GET', `${ws()}/journeys/${journeyId}/nodes/pro-mail/customers?version=1&state=skipped&segment=${segmentIds['Free plan']}`)).body;
      expect(skipped.total).toBe(0);
    });

    it('compares segments side by side with all customers: entries, conversions, sends, opens and clicks', async () => {
      const compare = await api('GET', `${ws()}/journeys/${journeyId}/report/segments?version=all&from=2026-11-20&to=2026-11-30`);
      expect(compare.status).toBe(200);
      const body = compare.body as SegmentComparison;
      expect(body.available).toBe(3);
      // The first ten by name when none are chosen.
      expect(body.rows.map((r) => r.segment?.name)).toEqual(['Everyone', 'Free plan', 'Pro buyers']);
      expect(body.all).toEqual({ segment: null, entered: 40, converted: 6, sent: 36, opened: 6, clicked: 3 });
      expect(body.rows[0]).toMatchObject({ entered: 40, converted: 6, sent: 36, opened: 6, clicked: 3 });
      expect(body.rows[1]).toMatchObject({ entered: 30, converted: 6, sent: 30, opened: 0, clicked: 0 });
      expect(body.rows[2]).toMatchObject({ segment: { name: 'Pro buyers', members: 10, building: false }, entered: 10, converted: 0, sent: 6, opened: 6, clicked: 3 });
      // Chosen ones, in the order asked; each row agrees with that segment's report.
      const chosen = (await api('GET', `${ws()}/journeys/${journeyId}/report/segments?version=1&segments=${segmentIds['Pro buyers']},${segmentIds['Free plan']}`)).body as SegmentComparison;
      expect(chosen.rows.map((r) => r.segment?.name)).toEqual(['Pro buyers', 'Free plan']);
      for (const row of chosen.rows) {
        const { stats: s, channels } = (await api('GET', `${ws()}/journeys/${journeyId}/report?version=1&segment=${row.segment!.id}`)).body as JourneyReport;
        expect(row).toMatchObject({
          entered: s.nodes._journey?.entered ?? 0,
          converted: s.nodes._journey?.converted ?? 0,
          sent: channels.reduce((n, c) => n + c.sent, 0),
          opened: channels.reduce((n, c) => n + c.opened, 0),
          clicked: channels.reduce((n, c) => n + c.clicked, 0),
        });
      }
    });

    it('a segment is read as its members are now: a customer who joins it is counted with everything they did', async () => {
      const before = await stats(`version=1&segment=${segmentIds['Pro buyers']}`);
      expect(before.nodes._journey?.converted ?? 0).toBe(0);
      // u10 (free, converted in version 1) upgrades: from now on Pro buyers counts their run, conversion included.
      expect((await rt.ingest('identify', { userId: 'u10', messageId: 'up-u10', traits: { plan: 'pro' } })).status).toBe(200);
      const after = await rt.eventually(async () => {
        const s = await stats(`version=1&segment=${segmentIds['Pro buyers']}`);
        return s.segment?.members === 11 && s;
      });
      expect(after.nodes._journey).toMatchObject({ entered: 11, converted: 1 });
      expect(after.customers).toBe(11);
      // The counters for all customers do not move.
      expect((await stats('version=1')).nodes._journey).toMatchObject({ entered: 30, converted: 6 });
    });

    it('refuses a segment the workspace does not have with 404 naming the field, a bad list with 400 — never 500', async () => {
      for (const path of [`stats?segment=nope`, `report?segment=nope`, `nodes/pause/customers?segment=nope`]) {
        const response = await api('GET', `${ws()}/journeys/${journeyId}/${path}`);
        expect(response.status, path).toBe(404);
        expect(response.body.error).toMatchObject({ code: 'segment-not-found', details: { field: 'segment' } });
        expect(response.body.error.message).toContain('"nope"');
      }
      const unknown = await api('GET', `${ws()}/journeys/${journeyId}/report/segments?segments=${segmentIds.Everyone},nope`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.details).toEqual({ field: 'segments' });
      const eleven = Array.from({ length: 11 }, (_, i) => `s${i}`).join(',');
      expect((await api('GET', `${ws()}/journeys/${journeyId}/report/segments?segments=${eleven}`)).status).toBe(400);
      expect((await api('GET', `${ws()}/journeys/${journeyId}/stats?segment=`)).status).toBe(400);
      expect((await api('GET', `${ws()}/journeys/${journeyId}/stats?segment=${'x'.repeat(500)}`)).status).toBe(400);
      // Another workspace's segment is unknown here.
      const other = await api('POST', '/api/workspaces', { name: 'Other' });
      const theirs = await api('POST', `/api/workspaces/${other.body.id}/segments`, { name: 'Theirs', rules: plan({ operator: 'exists' }) });
      expect(theirs.status).toBe(201);
      expect((await api('GET', `${ws()}/journeys/${journeyId}/stats?segment=${theirs.body.id}`)).status).toBe(404);
    });
  });

  it('refuses a bad range or version with 400 naming the field, an unknown version with 404', async () => {
    const bad = await api('GET', `${ws()}/journeys/${journeyId}/stats?from=2026-11-30&to=2026-11-01`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('to');
    expect((await api('GET', `${ws()}/journeys/${journeyId}/stats?version=abc`)).status).toBe(400);
    expect((await api('GET', `${ws()}/journeys/${journeyId}/stats?version=9`)).status).toBe(404);
    expect((await api('GET', `${ws()}/journeys/${journeyId}/nodes/pause/customers?pageSize=5000`)).status).toBe(400);
  });
});
