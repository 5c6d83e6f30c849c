import { createServer, type IncomingMessage, type Server } from 'node:http';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '@waymark/examples';
import { bucketOf, Progress, type JourneyDocumentInput } from '@waymark/shared';
import { customerIdentities, customers, messages, progress, steps, workspaces } from '../src/db/schema.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/*
 * End-to-end runs of the example journeys (abandoned-cart has its own file): each journey is
 * published on its own runtime and database, customers arrive through the Segment-compatible
 * ingestion API, time moves only with the test clock, and the outcomes are read back as steps,
 * messages, runs and the management API's per-node stats.
 */

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

type TestRuntime = Awaited<ReturnType<typeof startTestRuntime>>;
type Journey = Awaited<ReturnType<typeof startJourney>>;
type Call = Record<string, unknown>;

/** A fresh copy of an example document (so a test may change it before publishing). */
const exampleDocument = (id: string): JourneyDocumentInput => structuredClone(examples.find((e) => e.id === id)!.document);

let sequence = 0;
/** Segment calls; every one gets a unique messageId unless the test gives one. */
const call = {
  identify: (userId: string, traits: Record<string, unknown>, extra: Call = {}): Call => ({ type: 'identify', userId, traits, messageId: `identify-${userId}-${++sequence}`, ...extra }),
  track: (userId: string, event: string, properties: Record<string, unknown> = {}, extra: Call = {}): Call => ({
    type: 'track',
    userId,
    event,
    properties,
    messageId: `${event}-${userId}-${++sequence}`,
    ...extra,
  }),
};

/** Drops counters that went back to zero (a wait's `waiting` after everyone left it). */
/** The counters back at zero left out, and the per-channel (`sent@email`) and wait-time (`waited:3`) ones, which analytics.test.ts checks. */
function nonZero(nodes: Record<string, Record<string, number>>) {
  return Object.fromEntries(
    Object.entries(nodes)
      .map(([node, metrics]) => [node, Object.fromEntries(Object.entries(metrics).filter(([metric, n]) => n !== 0 && !metric.includes('@') && !metric.startsWith('waited:')))] as const)
      .filter(([, metrics]) => Object.keys(metrics).length > 0),
  );
}

/**
 * Starts a runtime at `start`, publishes `document`, and returns what the tests drive and read:
 * ingestion, the clock, and the journey's runs, steps, messages and stats keyed by Segment userId.
 */
async function startJourney(start: string, document: JourneyDocumentInput) {
  const rt: TestRuntime = await startTestRuntime(start);
  const { id: journeyId, version } = await rt.publish(document);

  const post = async (path: string, body: unknown) => {
    const response = await rt.ingest(path, body);
    expect(response.status, await response.clone().text()).toBe(200);
  };

  const runs = async () => {
    const rows = await rt.db
      .select({ row: progress, userId: customerIdentities.value })
      .from(progress)
      .innerJoin(customerIdentities, and(eq(customerIdentities.customerId, progress.customerId), eq(customerIdentities.kind, 'user_id')))
      .where(eq(progress.journeyId, journeyId))
      .orderBy(asc(progress.enteredAt));
    return rows.map(({ row, userId }) => ({ ...Progress.parse(row.state), userId, version: row.version }));
  };

  const j = {
    rt,
    journeyId,
    version,
    send: (calls: Call | Call[]) => (Array.isArray(calls) ? post('batch', { batch: calls }) : post(String(calls.type), calls)),
    identify: (userId: string, traits: Record<string, unknown>, extra?: Call) => j.send(call.identify(userId, traits, extra)),
    track: (userId: string, event: string, properties?: Record<string, unknown>, extra?: Call) => j.send(call.track(userId, event, properties, extra)),
    now: () => new Date(rt.clock.now()).toISOString(),
    /** Moves the test clock forward to an instant (and lets pg-boss poll there). */
    async advanceTo(iso: string) {
      const ms = Date.parse(iso) - rt.clock.now();
      if (ms <= 0) throw new Error(`the clock is already at ${j.now()}, past ${iso}`);
      await rt.advance(ms);
    },
    advance: (ms: number) => rt.advance(ms),
    /** Polls (ticking the clock) until `check` returns something truthy. */
    until: <T>(check: () => Promise<T | null | undefined | false>) => rt.eventually(check),
    /** Every stored event has been through the journeys: for asserting that something did not happen. */
    settled: () => rt.eventually(async () => (await rt.pendingEvents()) === 0),
    runs,
    async runsOf(userId: string) {
      return (await runs()).filter((r) => r.userId === userId);
    },
    /** The customer's one run of this journey. */
    async run(userId: string) {
      const list = await j.runsOf(userId);
      expect(list, `runs of ${userId}`).toHaveLength(1);
      return list[0]!;
    },
    /** Waits until every listed customer's run satisfies `done`. */
    async runsUntil(userIds: string[], done: (run: Awaited<ReturnType<typeof runs>>[number]) => boolean) {
      const mine = async () => (await runs()).filter((r) => userIds.includes(r.userId));
      try {
        return await j.until(async () => {
          const list = await mine();
          return list.length === userIds.length && list.every(done) && list;
        });
      } catch (error) {
        const state = (await mine()).map((r) => `${r.userId}: ${r.status}${r.endReason ? ` (${r.endReason})` : ''} at ${r.position ? `${r.position.nodeId} until ${r.position.until}` : '-'}`);
        throw new Error(`${(error as Error).message} at ${j.now()}; runs: ${state.join('; ')}`);
      }
    },
    /** [nodeId, handle, reason] of each step of the customer's run. */
    async stepsOf(userId: string) {
      return rt.stepsOf((await j.run(userId)).id);
    },
    /** The sentence a step was recorded with. */
    async stepDetail(userId: string, nodeId: string, reason: string) {
      const { id } = await j.run(userId);
      const rows = await rt.db
        .select()
        .from(steps)
        .where(and(eq(steps.progressId, id), eq(steps.nodeId, nodeId), eq(steps.reason, reason)));
      expect(rows, `${nodeId} ${reason} step of ${userId}`).toHaveLength(1);
      return rows[0]!.detail;
    },
    /** Messages of this journey with the recipient's userId, by the hour they were made (then by userId and node: batches made in the same moment may differ by a tick). */
    async messages() {
      const rows = await rt.db
        .select({ message: messages, userId: customerIdentities.value })
        .from(messages)
        .innerJoin(customerIdentities, and(eq(customerIdentities.customerId, messages.customerId), eq(customerIdentities.kind, 'user_id')))
        .where(eq(messages.journeyId, journeyId))
        .orderBy(sql`date_trunc('hour', ${messages.createdAt})`, asc(customerIdentities.value), asc(messages.nodeId));
      return rows.map(({ message, userId }) => ({ ...message, userId }));
    },
    async messagesTo(userId: string) {
      return (await j.messages()).filter((m) => m.userId === userId);
    },
    /** Waits until no message of the journey is still queued or being sent. */
    async delivered(count: number) {
      return j.until(async () => {
        const list = await j.messages();
        return list.length === count && list.every((m) => !['queued', 'sending', 'retrying'].includes(m.status)) && list;
      });
    },
    async traitsOf(userId: string) {
      const [row] = await rt.db
        .select({ traits: customers.traits })
        .from(customers)
        .innerJoin(customerIdentities, eq(customerIdentities.customerId, customers.id))
        .where(and(eq(customerIdentities.kind, 'user_id'), eq(customerIdentities.value, userId)));
      return row!.traits;
    },
    /** Per-node counters from the management API, without the ones back at zero. */
    async stats() {
      const api = await rt.signIn(); // a session made months ago on the test clock has expired
      const response = await api('GET', `/api/workspaces/${rt.workspaceId}/journeys/${journeyId}/stats`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ journeyId, version });
      return nonZero(response.body.nodes);
    },
  };
  return j;
}

/** A real HTTP server on loopback that records what it receives and answers 200. */
async function webhookReceiver() {
  const received: { method: string; path: string; headers: IncomingMessage['headers']; body: unknown }[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body: data ? JSON.parse(data) : null });
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────

describe('welcome series', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney('2026-11-25T15:00:00Z', exampleDocument('welcome-series')); // 10:00 in New York
  });
  afterAll(async () => j?.rt.stop());

  const welcome = (name: string) => ({
    subject: `Welcome to Acme, ${name}!`,
    preheader: 'Three things to try in your first week',
    fromName: 'Maya at Acme',
    html: `<h1>Welcome, ${name}!</h1><p>Start by creating your first project: it takes two minutes.</p><p><a href="https://app.acme.test/projects/new">Create a project</a></p>`,
    text: `Welcome, ${name}! Start by creating your first project: https://app.acme.test/projects/new`,
    links: ['https://app.acme.test/projects/new'],
  });
  const start = [
    ['signed-up', 'next', 'entered'],
    ['welcome-email', 'next', 'sent'],
    ['two-days', null, 'waiting'],
  ];

  it('emails each sign-up at once; two days later a push to who opened it, an SMS to who did not, skipped with the reason when there is no phone or no SMS consent', async () => {
    await j.send([
      call.identify('ana', { first_name: 'Ana', email: 'ana@example.com', push_token: 'tok-ana', phone: '+15550000001', consent: { sms: 'opted-in', push: 'subscribed' } }),
      call.identify('ben', { first_name: 'Ben', email: 'ben@example.com', phone: '+15550000002', consent: { sms: 'opted-in' } }),
      call.identify('cat', { email: 'cat@example.com', consent: { sms: 'opted-in' } }),
      call.identify('dan', { first_name: 'Dan', email: 'dan@example.com', phone: '+15550000004' }),
      ...['ana', 'ben', 'cat', 'dan'].map((u) => call.track(u, 'signed_up')),
    ]);
    const sent = await j.delivered(4);
    expect(sent.map((m) => [m.userId, m.nodeId, m.channel, m.to, m.status])).toEqual([
      ['ana', 'welcome-email', 'email', 'ana@example.com', 'sent'],
      ['ben', 'welcome-email', 'email', 'ben@example.com', 'sent'],
      ['cat', 'welcome-email', 'email', 'cat@example.com', 'sent'],
      ['dan', 'welcome-email', 'email', 'dan@example.com', 'sent'],
    ]);
    expect(sent.find((m) => m.userId === 'ana')!.content).toEqual(welcome('Ana'));
    expect(sent.find((m) => m.userId === 'cat')!.content).toEqual(welcome('friend'));

    // Ana opens hers: the open pixel records it.
    const anaWelcome = sent.find((m) => m.userId === 'ana')!;
    expect((await j.rt.app.request(`/t/o/${anaWelcome.id}`)).status).toBe(200);
    expect((await j.messagesTo('ana'))[0]).toMatchObject({ openedAt: expect.any(String), status: 'delivered' });

    await j.advance(2 * day);
    await j.runsUntil(['ana', 'ben', 'cat', 'dan'], (r) => r.status !== 'active');
    const all = await j.delivered(6);

    expect(await j.stepsOf('ana')).toEqual([...start, ['two-days', 'next', 'wait-elapsed'], ['opened-welcome', 'yes', 'rules-matched'], ['tips-push', 'next', 'sent']]);
    expect(await j.stepsOf('ben')).toEqual([...start, ['two-days', 'next', 'wait-elapsed'], ['opened-welcome', 'no', 'rules-not-matched'], ['nudge-sms', 'next', 'sent']]);
    expect(await j.stepsOf('cat')).toEqual([...start, ['two-days', 'next', 'wait-elapsed'], ['opened-welcome', 'no', 'rules-not-matched'], ['nudge-sms', 'next', 'skipped:no-address']]);
    expect(await j.stepsOf('dan')).toEqual([...start, ['two-days', 'next', 'wait-elapsed'], ['opened-welcome', 'no', 'rules-not-matched'], ['nudge-sms', 'next', 'skipped:no-consent']]);
    expect(await j.stepDetail('cat', 'nudge-sms', 'skipped:no-address')).toBe('sms: no address');
    expect(await j.stepDetail('dan', 'nudge-sms', 'skipped:no-consent')).toBe('sms: no SMS consent (the workspace requires opt-in)');
    expect(await j.stepDetail('ana', 'opened-welcome', 'rules-matched')).toBe('message of welcome-email was opened');

    for (const u of ['ana', 'ben', 'cat', 'dan']) expect(await j.run(u), u).toMatchObject({ status: 'completed', endReason: 'completed', position: null });

    const later = all.filter((m) => m.nodeId !== 'welcome-email');
    expect(later.map((m) => [m.userId, m.nodeId, m.channel, m.to, m.status, m.content])).toEqual([
      ['ana', 'tips-push', 'push', 'tok-ana', 'sent', { title: 'Your first project awaits', body: "Ana, pick a template and you're done in 2 minutes.", deepLink: 'acme://projects/new' }],
      ['ben', 'nudge-sms', 'sms', '+15550000002', 'sent', { text: 'Acme: Ben, your welcome guide is waiting: https://acme.test/start Reply STOP to opt out.' }],
    ]);
  });

  it('creating a first project is the goal: the run converts and ends, and nothing more is sent', async () => {
    await j.identify('eve', { first_name: 'Eve', email: 'eve@example.com', phone: '+15550000005', consent: { sms: 'opted-in' } });
    await j.track('eve', 'signed_up');
    await j.runsUntil(['eve'], (r) => r.position?.nodeId === 'two-days');
    await j.advance(day);
    await j.track('eve', 'first_project_created', { template: 'kanban' });
    await j.runsUntil(['eve'], (r) => r.status !== 'active');
    await j.advance(2 * day);
    await j.settled();

    expect(await j.run('eve')).toMatchObject({ status: 'converted', endReason: 'converted', convertedAt: expect.any(String), position: null });
    expect(await j.stepsOf('eve')).toEqual(start);
    expect((await j.messagesTo('eve')).map((m) => m.nodeId)).toEqual(['welcome-email']);
  });

  it('a sign-up at night in New York (the journey zone) is emailed when quiet hours end at 08:00 there; one in Tokyo, at noon, at once', async () => {
    await j.advanceTo('2026-12-01T03:00:00Z'); // 22:00 in New York, 12:00 in Tokyo
    await j.send([
      call.identify('fay', { first_name: 'Fay', email: 'fay@example.com' }),
      call.identify('gil', { first_name: 'Gil', email: 'gil@example.com', timezone: 'Asia/Tokyo' }),
      call.track('fay', 'signed_up'),
      call.track('gil', 'signed_up'),
    ]);
    await j.runsUntil(['fay', 'gil'], (r) => r.position !== null);
    await j.until(async () => (await j.messagesTo('gil'))[0]?.status === 'sent');

    const fay = await j.run('fay');
    expect(fay.position).toMatchObject({ nodeId: 'welcome-email', waiting: 'quiet-hours', until: '2026-12-01T13:00:00.000Z' });
    expect(await j.stepsOf('fay')).toEqual([
      ['signed-up', 'next', 'entered'],
      ['welcome-email', null, 'deferred:quiet-hours'],
    ]);
    expect(await j.stepDetail('fay', 'welcome-email', 'deferred:quiet-hours')).toBe('quiet hours (21:00–08:00 America/New_York); email waits until they end');
    expect(await j.messagesTo('fay')).toEqual([]);
    expect(await j.stepsOf('gil')).toEqual(start);

    await j.advanceTo('2026-12-01T13:00:00Z');
    const [email] = await j.until(async () => {
      const list = await j.messagesTo('fay');
      return list[0]?.status === 'sent' && list;
    });
    expect(email).toMatchObject({ nodeId: 'welcome-email', to: 'fay@example.com', idempotencyKey: `${fay.id}:welcome-email:1`, content: welcome('Fay') });
    expect(Date.parse(email!.createdAt)).toBeGreaterThanOrEqual(Date.parse('2026-12-01T13:00:00Z'));
    expect(await j.stepsOf('fay')).toEqual([
      ['signed-up', 'next', 'entered'],
      ['welcome-email', null, 'deferred:quiet-hours'],
      ['welcome-email', 'next', 'sent'],
      ['two-days', null, 'waiting'],
    ]);
  });

  it('re-entry is "never": signing up again starts nothing', async () => {
    const before = (await j.messages()).length;
    await j.send([call.track('ana', 'signed_up'), call.track('eve', 'signed_up')]);
    await j.settled();
    expect(await j.runsOf('ana')).toHaveLength(1);
    expect(await j.runsOf('eve')).toHaveLength(1);
    expect(await j.messages()).toHaveLength(before);
  });

  it('per-node stats count every customer above', async () => {
    // ana, ben, cat, dan completed; eve converted while waiting; fay and gil are in the two-day wait;
    // the two sign-ups again were refused by the re-entry rule, and counted.
    expect(await j.stats()).toEqual({
      _journey: { entered: 7, 'exit:completed': 4, converted: 1, 'exit:converted': 1, 'refused:re-entry-never': 2 },
      // eve's conversion counts on each node she passed, up to the wait she was in.
      'signed-up': { entered: 7, 'left:next': 7, converted: 1 },
      'welcome-email': { entered: 7, 'left:next': 7, queued: 7, sent: 7, delivered: 1, opened: 1, converted: 1 },
      'two-days': { entered: 7, 'left:next': 4, exited: 1, waiting: 2, converted: 1 },
      'opened-welcome': { entered: 4, 'left:yes': 1, 'left:no': 3 },
      'tips-push': { entered: 1, 'left:next': 1, queued: 1, sent: 1 },
      'nudge-sms': { entered: 3, 'left:next': 3, queued: 1, sent: 1, 'skipped:no-address': 1, 'skipped:no-consent': 1 },
    });
  });
});

// ────────────────────────────────────────────────────────────────────────────────────────────────

describe('trial ending', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney('2026-11-25T15:00:00Z', exampleDocument('trial-ending'));
  });
  afterAll(async () => j?.rt.stop());

  // The HTML body is HTML-escaped (SPEC L3): the company "team's" prints as team&#39;s.
  const email = (name: string, company: string, date: string) => ({
    subject: 'Your trial ends in 3 days',
    html: `<p>Hi ${name}, your ${company.replaceAll("'", '&#39;')} trial ends on ${date}.</p><p><a href="https://app.acme.test/billing">Choose a plan</a></p>`,
    text: `Your trial ends on ${date}. Choose a plan: https://app.acme.test/billing`,
    links: ['https://app.acme.test/billing'],
  });
  const banner = (date: string) => ({
    title: '3 days left in your trial',
    body: `Keep your projects and history: pick a plan before ${date}.`,
    cta: { label: 'See plans', url: 'https://app.acme.test/billing' },
  });
  const reminded = [
    ['trial-started', 'next', 'entered'],
    ['three-days-before', null, 'waiting'],
    ['three-days-before', 'next', 'wait-elapsed'],
    ['still-trial', 'yes', 'rules-matched'],
    ['reminder-email', 'next', 'sent'],
    ['reminder-in-app', 'next', 'sent'],
  ];

  it("waits until 3 days before trial_ends_at at 10:00 in the customer's zone (New York by default), then reminds those still on the trial by email and in-app", async () => {
    const trial = { plan: 'trial' };
    await j.send([
      call.identify('tia', { ...trial, first_name: 'Tia', company: 'Tia Co', email: 'tia@example.com', trial_ends_at: '2026-12-10' }),
      call.identify('tom', { ...trial, first_name: 'Tom', email: 'tom@example.com', trial_ends_at: '2026-12-10T12:00:00Z', timezone: 'Europe/Berlin' }),
      call.identify('val', { ...trial, email: 'val@example.com', trial_ends_at: '2026-12-10' }),
      call.identify('wes', { ...trial, email: 'wes@example.com', trial_ends_at: '2026-12-10' }),
      call.identify('xia', { ...trial, email: 'xia@example.com' }),
      call.identify('yan', { ...trial, first_name: 'Yan', email: 'yan@example.com', trial_ends_at: '2026-11-27' }),
      call.identify('zoe', { ...trial, first_name: 'Zoe', email: 'zoe@example.com', trial_ends_at: '2026-12-10', unsubscribed: true }),
      call.identify('uma', { ...trial, first_name: 'Uma', email: 'uma@example.com', trial_ends_at: '2026-12-11T02:00:00Z' }), // 21:00 on Dec 10 in New York
      call.identify('ned', { ...trial, first_name: 'Ned', email: 'ned@example.com', trial_ends_at: '2027-03-17' }),
      ...['tia', 'tom', 'val', 'wes', 'xia', 'yan', 'zoe', 'uma', 'ned'].map((u) => call.track(u, 'trial_started')),
    ]);
    const entered = await j.runsUntil(['tia', 'tom', 'val', 'wes', 'xia', 'yan', 'zoe', 'uma', 'ned'], (r) => r.position !== null || r.status !== 'active');
    const until = Object.fromEntries(entered.map((r) => [r.userId, r.position?.until ?? null]));
    expect(until).toEqual({
      tia: '2026-12-07T15:00:00.000Z', // 10:00 EST
      tom: '2026-12-07T09:00:00.000Z', // 10:00 in Berlin, the customer's own zone
      val: '2026-12-07T15:00:00.000Z',
      wes: '2026-12-07T15:00:00.000Z',
      xia: null,
      yan: null,
      zoe: '2026-12-07T15:00:00.000Z',
      uma: '2026-12-07T15:00:00.000Z', // Dec 10 is her local date
      ned: '2027-03-14T14:00:00.000Z', // 10:00 EDT: the calendar moved 3 days across the DST change
    });
    expect(await j.stepDetail('tia', 'three-days-before', 'waiting')).toBe('until 2026-12-07T15:00:00.000Z (America/New_York)');

    // Without the date the run ends at once; with a date already past, the reminder goes now.
    expect(await j.run('xia')).toMatchObject({ status: 'exited', endReason: 'date-missing' });
    expect(await j.stepsOf('xia')).toEqual([
      ['trial-started', 'next', 'entered'],
      ['three-days-before', null, 'wait-date-missing'],
    ]);
    expect(await j.stepDetail('xia', 'three-days-before', 'wait-date-missing')).toBe('trial_ends_at is missing or not a date');
    await j.runsUntil(['yan'], (r) => r.status === 'completed');
    expect(await j.stepsOf('yan')).toEqual([['trial-started', 'next', 'entered'], ['three-days-before', 'next', 'wait-already-due'], ...reminded.slice(3)]);
    await j.delivered(2);
    expect((await j.messagesTo('yan')).map((m) => [m.channel, m.to, m.content])).toEqual([
      ['email', 'yan@example.com', email('Yan', "team's", 'November 27')],
      ['in-app', null, banner('November 27')],
    ]);

    // Val subscribes (an exit criterion), Wes's plan changes on his profile only.
    await j.advanceTo('2026-12-01T15:00:00Z');
    await j.track('val', 'subscription_started', { plan: 'pro' });
    await j.identify('wes', { plan: 'pro' });
    await j.runsUntil(['val'], (r) => r.status !== 'active');
    expect(await j.run('val')).toMatchObject({ status: 'exited', endReason: 'exited-early', position: null });

    await j.advanceTo('2026-12-07T09:00:00Z');
    await j.runsUntil(['tom'], (r) => r.status === 'completed');
    expect((await j.runsOf('tia'))[0]!.status).toBe('active');

    await j.advanceTo('2026-12-07T15:00:00Z');
    await j.runsUntil(['tia', 'wes', 'zoe', 'uma'], (r) => r.status === 'completed');
    const sent = await j.delivered(9);

    expect(await j.stepsOf('tia')).toEqual(reminded);
    expect(await j.stepsOf('tom')).toEqual(reminded);
    expect(await j.stepsOf('val')).toEqual(reminded.slice(0, 2));
    expect(await j.stepsOf('wes')).toEqual([...reminded.slice(0, 3), ['still-trial', 'no', 'rules-not-matched'], ['converted', null, 'exit-node']]);
    expect(await j.run('wes')).toMatchObject({ status: 'completed', endReason: 'exit-node' });
    expect(await j.stepsOf('zoe')).toEqual([...reminded.slice(0, 4), ['reminder-email', 'next', 'skipped:no-consent'], ['reminder-in-app', 'next', 'sent']]);
    expect(await j.stepDetail('zoe', 'reminder-email', 'skipped:no-consent')).toBe('email: unsubscribed');
    for (const u of ['tia', 'tom', 'zoe']) expect(await j.run(u), u).toMatchObject({ status: 'completed', endReason: 'completed' });

    const byUser = (u: string) => sent.filter((m) => m.userId === u).map((m) => [m.nodeId, m.channel, m.to, m.status, m.content]);
    expect(byUser('tia')).toEqual([
      ['reminder-email', 'email', 'tia@example.com', 'sent', email('Tia', 'Tia Co', 'December 10')],
      ['reminder-in-app', 'in-app', null, 'sent', banner('December 10')],
    ]);
    expect(byUser('tom')).toEqual([
      ['reminder-email', 'email', 'tom@example.com', 'sent', email('Tom', "team's", 'December 10')],
      ['reminder-in-app', 'in-app', null, 'sent', banner('December 10')],
    ]);
    expect(byUser('zoe')).toEqual([['reminder-in-app', 'in-app', null, 'sent', banner('December 10')]]);
    expect(byUser('val')).toEqual([]);
    expect(byUser('wes')).toEqual([]);
    expect(byUser('xia')).toEqual([]);
    expect(Date.parse(sent.find((m) => m.userId === 'tia')!.createdAt)).toBeGreaterThanOrEqual(Date.parse('2026-12-07T15:00:00Z'));
  });

  it("the reminder names the day the trial ends in the customer's zone, the day the wait counted back from", async () => {
    // Uma's trial ends at 2026-12-11T02:00Z, 21:00 on December 10 in New York; the wait used Dec 10.
    const [mail] = await j.messagesTo('uma');
    expect(mail?.content).toEqual(email('Uma', "team's", 'December 10'));
  });

  it('re-entry is "never": a second trial_started starts nothing', async () => {
    await j.send([call.track('tia', 'trial_started'), call.track('val', 'trial_started')]);
    await j.settled();
    expect(await j.runsOf('tia')).toHaveLength(1);
    expect(await j.runsOf('val')).toHaveLength(1);
  });

  it('across the spring DST change the reminder is still at 10:00 New York time', async () => {
    await j.advanceTo('2027-03-14T13:59:00Z');
    await j.settled();
    expect((await j.run('ned')).status).toBe('active');
    await j.advanceTo('2027-03-14T14:00:00Z');
    await j.runsUntil(['ned'], (r) => r.status === 'completed');
    expect(await j.stepsOf('ned')).toEqual(reminded);
    await j.delivered(11);
    expect((await j.messagesTo('ned')).map((m) => m.content)).toEqual([email('Ned', "team's", 'March 17'), banner('March 17')]);
  });

  it('per-node stats count every customer above', async () => {
    // tia, tom, yan, zoe, uma, ned reminded; val exited early; wes left by the exit node; xia had no date;
    // two trials started again were refused by the re-entry rule.
    expect(await j.stats()).toEqual({
      _journey: { entered: 9, 'exit:completed': 6, 'exit:exited-early': 1, 'exit:exit-node': 1, 'exit:date-missing': 1, 'refused:re-entry-never': 2 },
      'trial-started': { entered: 9, 'left:next': 9 },
      'three-days-before': { entered: 9, 'left:next': 7, exited: 2 },
      'still-trial': { entered: 7, 'left:yes': 6, 'left:no': 1 },
      converted: { entered: 1, exited: 1 },
      'reminder-email': { entered: 6, 'left:next': 6, queued: 5, sent: 5, 'skipped:no-consent': 1 },
      'reminder-in-app': { entered: 6, 'left:next': 6, queued: 6, sent: 6 },
    });
  });
});

// ────────────────────────────────────────────────────────────────────────────────────────────────

describe('re-engagement on the preferred channel', () => {
  // One runtime per scenario: a run stuck in one scenario must not hold up the timers of another.
  let j: Journey;
  const open = async (start = '2026-11-25T11:00:00Z') => (j = await startJourney(start, exampleDocument('re-engagement'))); // 12:00 in Paris
  afterEach(async () => j?.rt.stop());

  const sentThenWait = [
    ['went-inactive', 'next', 'entered'],
    ['come-back', 'next', 'sent'],
    ['one-week', null, 'waiting'],
  ];
  const cameBack = [...sentThenWait, ['one-week', 'next', 'wait-elapsed'], ['came-back', 'yes', 'rules-matched'], ['welcome-back', null, 'exit-node']];
  const dormant = [...sentThenWait, ['one-week', 'next', 'wait-elapsed'], ['came-back', 'no', 'rules-not-matched'], ['mark-dormant', 'next', 'profile-updated']];
  const push = { title: 'We saved your spot', body: 'Hey, there are 0 new updates waiting for you.', deepLink: 'acme://inbox' };

  it('sends one message on the preferred channel, else the first consented and reachable of push → email → sms; none reachable is skipped with each refusal', async () => {
    await open();
    await j.send([
      call.identify('fay', { first_name: 'Fay', unread_count: 4, email: 'fay@example.com', push_token: 'tok-fay', consent: { push: 'subscribed' }, preferred_channel: 'email' }),
      call.identify('gus', { email: 'gus@example.com', unsubscribed: true, phone: '+33600000000', consent: { sms: 'opted-in' }, preferred_channel: 'push' }),
      call.identify('hal', { email: 'hal@example.com', push_token: 'tok-hal', consent: { push: 'subscribed' } }),
      call.identify('jon', { first_name: 'Jon' }),
      ...['fay', 'gus', 'hal', 'jon'].map((u) => call.track(u, 'inactive_30_days')),
    ]);
    await j.runsUntil(['fay', 'gus', 'hal', 'jon'], (r) => r.position?.nodeId === 'one-week');
    const sent = await j.delivered(3);
    expect(sent.map((m) => [m.userId, m.channel, m.to, m.status, m.content])).toEqual([
      [
        'fay',
        'email',
        'fay@example.com',
        'sent',
        {
          subject: "Fay, here's what you missed",
          html: '<p>There are 4 new updates in your workspace.</p><p><a href="https://app.acme.test/inbox">Catch up</a></p>',
          text: 'There are 4 new updates: https://app.acme.test/inbox',
          links: ['https://app.acme.test/inbox'],
        },
      ],
      ['gus', 'sms', '+33600000000', 'sent', { text: 'Acme: 0 new updates are waiting: https://acme.test/inbox Reply STOP to opt out.' }],
      ['hal', 'push', 'tok-hal', 'sent', push],
    ]);
    for (const u of ['fay', 'gus', 'hal']) expect(await j.stepsOf(u), u).toEqual(sentThenWait);
    expect(await j.stepsOf('jon')).toEqual([
      ['went-inactive', 'next', 'entered'],
      ['come-back', 'next', 'skipped:no-reachable-channel'],
      ['one-week', null, 'waiting'],
    ]);
    expect(await j.stepDetail('jon', 'come-back', 'skipped:no-reachable-channel')).toBe('push: no address; email: no address; sms: no SMS consent (the workspace requires opt-in)');
    expect(await j.stats()).toEqual({
      _journey: { entered: 4 },
      'went-inactive': { entered: 4, 'left:next': 4 },
      'come-back': { entered: 4, 'left:next': 4, queued: 3, sent: 3, 'skipped:no-reachable-channel': 1 },
      'one-week': { entered: 4, waiting: 4 },
    });
  });

  it('a week later, customers who did not come back are flagged dormant by the update-profile step', async () => {
    await open();
    await j.send([
      call.identify('fay', { first_name: 'Fay', email: 'fay@example.com' }),
      call.identify('jon', { first_name: 'Jon' }),
      call.track('fay', 'inactive_30_days'),
      call.track('jon', 'inactive_30_days'),
    ]);
    await j.runsUntil(['fay', 'jon'], (r) => r.position?.nodeId === 'one-week');
    await j.advance(7 * day);
    await j.runsUntil(['fay', 'jon'], (r) => r.status !== 'active');

    expect(await j.stepsOf('fay')).toEqual(dormant);
    expect(await j.stepsOf('jon')).toEqual([dormant[0], ['come-back', 'next', 'skipped:no-reachable-channel'], ...dormant.slice(2)]);
    const fay = await j.run('fay');
    expect(fay).toMatchObject({ status: 'completed', endReason: 'completed', convertedAt: null });
    expect(await j.stepDetail('fay', 'mark-dormant', 'profile-updated')).toBe(`lifecycle_stage = "dormant", dormant_since = "${fay.enteredAt}"`);
    expect(await j.traitsOf('fay')).toMatchObject({ first_name: 'Fay', lifecycle_stage: 'dormant', dormant_since: fay.enteredAt });
    expect(await j.traitsOf('jon')).toMatchObject({ lifecycle_stage: 'dormant', dormant_since: (await j.run('jon')).enteredAt });
    expect(await j.stats()).toEqual({
      _journey: { entered: 2, 'exit:completed': 2 },
      'went-inactive': { entered: 2, 'left:next': 2 },
      'come-back': { entered: 2, 'left:next': 2, queued: 1, sent: 1, 'skipped:no-reachable-channel': 1 },
      'one-week': { entered: 2, 'left:next': 2 },
      'came-back': { entered: 2, 'left:no': 2 },
      'mark-dormant': { entered: 2, 'left:next': 2 },
    });
  });

  it('a session inside the week converts once without ending the run (exitOnConversion: false); the run leaves by the came-back branch', async () => {
    await open();
    await j.identify('hal', { push_token: 'tok-hal', consent: { push: 'subscribed' } });
    await j.track('hal', 'inactive_30_days');
    await j.runsUntil(['hal'], (r) => r.position?.nodeId === 'one-week');
    await j.advance(2 * day);
    await j.track('hal', 'session_started');
    const converted = await j.until(async () => (await j.run('hal')).convertedAt);
    expect(await j.run('hal')).toMatchObject({ status: 'active', position: { nodeId: 'one-week' } });
    await j.advance(day);
    await j.track('hal', 'session_started');
    await j.settled();
    expect((await j.run('hal')).convertedAt).toBe(converted);

    await j.advance(4 * day);
    await j.runsUntil(['hal'], (r) => r.status !== 'active');
    expect(await j.run('hal')).toMatchObject({ status: 'completed', endReason: 'exit-node', convertedAt: converted });
    expect(await j.stepsOf('hal')).toEqual(cameBack);
    expect(await j.stepDetail('hal', 'came-back', 'rules-matched')).toBe('performed session_started 2 times in the last 7 days (at-least 1)');
    expect(await j.traitsOf('hal')).not.toHaveProperty('lifecycle_stage');
    expect(await j.stats()).toMatchObject({
      _journey: { entered: 1, converted: 1, 'exit:exit-node': 1 },
      'came-back': { entered: 1, 'left:yes': 1 },
      'welcome-back': { entered: 1, exited: 1 },
    });
  });

  it('deleting the account (an exit criterion) ends the run wherever it is, and is not a conversion', async () => {
    await open();
    await j.identify('ivy', { push_token: 'tok-ivy', consent: { push: 'subscribed' } });
    await j.track('ivy', 'inactive_30_days');
    await j.runsUntil(['ivy'], (r) => r.position?.nodeId === 'one-week');
    await j.advance(day);
    await j.track('ivy', 'account_deleted');
    await j.runsUntil(['ivy'], (r) => r.status !== 'active');
    await j.advance(7 * day);
    await j.settled();
    expect(await j.run('ivy')).toMatchObject({ status: 'exited', endReason: 'exited-early', convertedAt: null, position: null });
    expect(await j.stepsOf('ivy')).toEqual(sentThenWait);
    expect((await j.messagesTo('ivy')).map((m) => [m.channel, m.content])).toEqual([['push', push]]);
    expect(await j.stats()).toEqual({
      _journey: { entered: 1, 'exit:exited-early': 1 },
      'went-inactive': { entered: 1, 'left:next': 1 },
      'come-back': { entered: 1, 'left:next': 1, queued: 1, sent: 1 },
      'one-week': { entered: 1, exited: 1 },
    });
  });

  it('a message due at night in Paris (the journey zone) waits for 09:00 there; one for a customer in New York goes at once', async () => {
    await open('2026-11-25T20:00:00Z'); // 21:00 in Paris, 15:00 in New York
    await j.send([
      call.identify('kim', { push_token: 'tok-kim', consent: { push: 'subscribed' } }),
      call.identify('lou', { push_token: 'tok-lou', timezone: 'America/New_York', consent: { push: 'subscribed' } }),
      call.track('kim', 'inactive_30_days'),
      call.track('lou', 'inactive_30_days'),
    ]);
    await j.runsUntil(['kim', 'lou'], (r) => r.position !== null);
    const kim = await j.run('kim');
    expect(kim.position).toMatchObject({ nodeId: 'come-back', waiting: 'quiet-hours', until: '2026-11-26T08:00:00.000Z' });
    expect(await j.stepsOf('kim')).toEqual([
      ['went-inactive', 'next', 'entered'],
      ['come-back', null, 'deferred:quiet-hours'],
    ]);
    expect(await j.stepDetail('kim', 'come-back', 'deferred:quiet-hours')).toBe('quiet hours (20:00–09:00 Europe/Paris); push waits until they end');
    expect(await j.stepsOf('lou')).toEqual(sentThenWait);
    await j.delivered(1);
    expect(await j.messagesTo('kim')).toEqual([]);

    await j.advanceTo('2026-11-26T08:00:00Z');
    await j.delivered(2);
    expect((await j.messagesTo('kim')).map((m) => [m.channel, m.to, m.status, m.idempotencyKey])).toEqual([['push', 'tok-kim', 'sent', `${kim.id}:come-back:1`]]);
    expect(await j.stepsOf('kim')).toEqual([
      ['went-inactive', 'next', 'entered'],
      ['come-back', null, 'deferred:quiet-hours'],
      ['come-back', 'next', 'sent'],
      ['one-week', null, 'waiting'],
    ]);
  });

  it('re-entry only after a 30-day cooldown counted from when the last run entered', async () => {
    await open();
    await j.identify('max', { push_token: 'tok-max', consent: { push: 'subscribed' } });
    await j.track('max', 'inactive_30_days');
    const [first] = await j.runsUntil(['max'], (r) => r.position?.nodeId === 'one-week');
    await j.advance(day);
    await j.track('max', 'session_started');
    await j.advance(6 * day);
    await j.runsUntil(['max'], (r) => r.status === 'completed');

    await j.advance(day);
    await j.track('max', 'inactive_30_days');
    await j.settled();
    expect(await j.runsOf('max')).toHaveLength(1);

    await j.advanceTo(new Date(Date.parse(first!.enteredAt) + 30 * day - minute).toISOString());
    await j.track('max', 'inactive_30_days');
    await j.settled();
    expect(await j.runsOf('max')).toHaveLength(1);

    await j.advance(minute);
    await j.track('max', 'inactive_30_days');
    const runs = await j.until(async () => {
      const list = await j.runsOf('max');
      return list.length === 2 && list[1]!.position?.nodeId === 'one-week' && list;
    });
    expect(runs.map((r) => [r.status, r.endReason])).toEqual([
      ['completed', 'exit-node'],
      ['active', null],
    ]);
    await j.delivered(2);
    expect((await j.messagesTo('max')).map((m) => m.progressId)).toEqual([first!.id, runs[1]!.id]);
  });
});

// ────────────────────────────────────────────────────────────────────────────────────────────────

describe('subject line A/B test with holdout', () => {
  let j: Journey;
  const shoppers = Array.from({ length: 400 }, (_, i) => `shopper-${String(i).padStart(3, '0')}`);
  /** Each shopper's arm as the runs recorded it. */
  const arms = new Map<string, string>();

  beforeAll(async () => {
    j = await startJourney('2026-11-27T07:00:00Z', exampleDocument('subject-line-ab-test'));
  });
  afterAll(async () => j?.rt.stop());

  const armOf = async (userId: string) => (await j.stepsOf(userId))[1]![1] as string;

  it("splits a large audience close to 45 / 45 / 10, each customer by the bucket of their id, with the arm's subject; the holdout gets nothing", async () => {
    await j.send([
      ...shoppers.map((u, i) => call.identify(u, { email: `${u}@example.com`, ...(i % 2 ? { first_name: `Jo${i}` } : {}) })),
      ...shoppers.map((u) => call.track(u, 'promo_audience_joined')),
    ]);
    const runs = await j.runsUntil(shoppers, (r) => r.status !== 'active' || r.position?.waiting === 'holdout');
    const customerIds = new Map((await j.rt.db.select().from(customerIdentities).where(eq(customerIdentities.kind, 'user_id'))).map((row) => [row.value, row.customerId]));
    for (const run of runs) {
      const steps = await j.rt.stepsOf(run.id);
      const arm = steps[1]![1] as string;
      arms.set(run.userId, arm);
      // SPEC S12: the arm is bucketOf(journeyId:nodeId:customerId) against the cumulative weights.
      const bucket = bucketOf(`${j.journeyId}:subject-test:${customerIds.get(run.userId)}`);
      expect(arm, run.userId).toBe(bucket < 45 ? 'a' : bucket < 90 ? 'b' : 'holdout');
      if (arm === 'holdout') {
        expect(steps).toEqual([
          ['opted-in', 'next', 'entered'],
          ['subject-test', 'holdout', 'holdout'],
        ]);
        expect(run.position).toMatchObject({ nodeId: 'subject-test', waiting: 'holdout', until: new Date(Date.parse(run.enteredAt) + 3 * day).toISOString() });
      } else {
        expect(steps).toEqual([
          ['opted-in', 'next', 'entered'],
          ['subject-test', arm, 'split-assigned'],
          [`email-${arm}`, 'next', 'sent'],
        ]);
        expect(run).toMatchObject({ status: 'completed', endReason: 'completed' });
      }
    }
    const count = (arm: string) => [...arms.values()].filter((a) => a === arm).length;
    // 400 customers: expected 180 / 180 / 40, standard deviation about 10 / 10 / 6.
    expect(count('a')).toBeGreaterThan(135);
    expect(count('a')).toBeLessThan(225);
    expect(count('b')).toBeGreaterThan(135);
    expect(count('b')).toBeLessThan(225);
    expect(count('holdout')).toBeGreaterThan(12);
    expect(count('holdout')).toBeLessThan(70);

    const sent = await j.delivered(count('a') + count('b'));
    for (const m of sent) {
      const arm = arms.get(m.userId)!;
      const i = shoppers.indexOf(m.userId);
      expect(m, m.userId).toMatchObject({ nodeId: `email-${arm}`, channel: 'email', to: `${m.userId}@example.com`, status: 'sent' });
      expect((m.content as { subject: string }).subject).toBe(arm === 'a' ? `30% off everything, ${i % 2 ? `Jo${i}` : 'friend'}` : 'Last 48 hours: your Black Friday deal ends soon');
    }
    expect(sent.filter((m) => arms.get(m.userId) === 'holdout')).toEqual([]);
  });

  it('a held-out customer who buys inside the 3-day window converts; the others leave when it closes', async () => {
    const held = shoppers.filter((u) => arms.get(u) === 'holdout');
    await j.advance(day);
    await j.track(held[0]!, 'order_completed', { total: 80 });
    await j.runsUntil([held[0]!], (r) => r.status !== 'active');
    expect(await j.run(held[0]!)).toMatchObject({ status: 'converted', endReason: 'converted', convertedAt: expect.any(String) });

    // SPEC C6: the A and B runs ended right after their email, yet a purchase in the window still counts for their arm.
    const buyers = [...shoppers.filter((u) => arms.get(u) === 'a').slice(0, 2), shoppers.find((u) => arms.get(u) === 'b')!];
    for (const u of buyers) await j.track(u, 'order_completed', { total: 120 });
    await j.settled();
    for (const u of buyers) expect(await j.run(u), u).toMatchObject({ status: 'completed', endReason: 'completed', convertedAt: expect.any(String) });

    await j.advance(2 * day);
    await j.runsUntil(held, (r) => r.status !== 'active');
    for (const u of held.slice(1)) expect(await j.run(u), u).toMatchObject({ status: 'completed', endReason: 'holdout' });
    expect(await j.stepsOf(held[1]!)).toEqual([
      ['opted-in', 'next', 'entered'],
      ['subject-test', 'holdout', 'holdout'],
    ]);
    expect((await j.messages()).filter((m) => held.includes(m.userId))).toEqual([]);
  });

  it('re-entry is "never": joining the audience again changes nobody\'s arm and sends nothing', async () => {
    const before = (await j.messages()).length;
    await j.send(shoppers.slice(0, 20).map((u) => call.track(u, 'promo_audience_joined')));
    await j.settled();
    for (const u of shoppers.slice(0, 20)) {
      expect(await j.runsOf(u), u).toHaveLength(1);
      expect(await armOf(u)).toBe(arms.get(u));
    }
    expect(await j.messages()).toHaveLength(before);
  });

  it('per-node stats count the arms', async () => {
    const count = (arm: string) => [...arms.values()].filter((a) => a === arm).length;
    const [a, b, h] = [count('a'), count('b'), count('holdout')];
    expect(await j.stats()).toEqual({
      // Conversions count on the journey and on every node the run passed: per arm, A 2, B 1, holdout 1.
      // The 20 shoppers who joined again were refused by the re-entry rule.
      _journey: { entered: 400, 'exit:completed': a + b, 'exit:holdout': h - 1, 'exit:converted': 1, converted: 4, 'refused:re-entry-never': 20 },
      'opted-in': { entered: 400, 'left:next': 400, converted: 4 },
      // …and on the split per arm, so the A/B readout compares A 2 of a, B 1 of b, holdout 1 of h.
      'subject-test': { entered: 400, 'left:a': a, 'left:b': b, 'left:holdout': h, exited: h, converted: 4, 'converted:a': 2, 'converted:b': 1, 'converted:holdout': 1 },
      'email-a': { entered: a, 'left:next': a, queued: a, sent: a, converted: 2 },
      'email-b': { entered: b, 'left:next': b, queued: b, sent: b, converted: 1 },
    });
  });
});

// ────────────────────────────────────────────────────────────────────────────────────────────────

describe('order shipped: CRM webhook and transactional SMS', () => {
  let j: Journey;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeAll(async () => {
    hooks = await webhookReceiver();
    const document = JSON.parse(JSON.stringify(exampleDocument('order-shipped-webhook')).replace('https://crm.example.test/api/shipments', `${hooks.url}/api/shipments`)) as JourneyDocumentInput;
    // The example has no quiet hours; these show that the transactional SMS ignores them (SPEC M8).
    document.settings = { ...document.settings, quietHours: { start: '21:00', end: '08:00', behavior: 'defer' } };
    j = await startJourney('2026-11-25T23:30:00Z', document); // inside the quiet hours (UTC)
    // At most one (non-transactional) SMS per customer and day (SPEC M7).
    await j.rt.db
      .update(workspaces)
      .set({ settings: { frequencyCap: { sms: 1 }, allowPrivateNetworks: true } })
      .where(eq(workspaces.id, j.rt.workspaceId));
  });
  afterAll(async () => {
    await j?.rt.stop();
    await hooks?.close();
  });

  const shipped = (orderId: string, extra: Record<string, unknown> = { carrier: 'UPS', trackingUrl: `https://ups.test/${orderId}` }) => ({ orderId, ...extra });

  it('posts each shipment to the CRM as JSON and texts the tracking link, at night and past the frequency cap; one run per order', async () => {
    await j.identify('ola', { phone: '+15550000001', consent: { sms: 'opted-in' } });
    await j.send([call.track('ola', 'order_shipped', shipped('o-1')), call.track('ola', 'order_shipped', shipped('o-2', { carrier: 'FedEx', trackingUrl: 'https://fedex.test/o-2' }))]);
    const sent = await j.delivered(4);
    const runs = await j.until(async () => {
      const list = await j.runsOf('ola');
      return list.length === 2 && list.every((r) => r.status === 'completed') && list;
    });
    expect(runs.map((r) => r.key).sort()).toEqual(['o-1', 'o-2']);
    for (const run of runs) {
      expect(run.endReason).toBe('completed');
      expect(await j.rt.stepsOf(run.id)).toEqual([
        ['shipped', 'next', 'entered'],
        ['crm-sync', 'next', 'sent'],
        ['tracking-sms', 'next', 'sent'],
      ]);
    }

    const sms = sent.filter((m) => m.channel === 'sms').map((m) => [m.to, m.transactional, m.status, m.content]);
    expect(sms.sort()).toEqual([
      ['+15550000001', true, 'sent', { text: 'Your order o-1 is on its way: https://ups.test/o-1' }],
      ['+15550000001', true, 'sent', { text: 'Your order o-2 is on its way: https://fedex.test/o-2' }],
    ]);
    const webhooks = sent.filter((m) => m.channel === 'webhook');
    expect(webhooks.map((m) => [m.to, m.transactional, m.status])).toEqual([
      [null, false, 'sent'],
      [null, false, 'sent'],
    ]);
    expect(webhooks.find((m) => (m.content as { body: { orderId: string } }).body.orderId === 'o-1')!.content).toEqual({
      method: 'POST',
      url: `${hooks.url}/api/shipments`,
      headers: { 'X-Customer': 'ola' },
      body: { customerId: 'ola', orderId: 'o-1', carrier: 'UPS' },
    });
    const byOrder = (r: { body: unknown }) => (r.body as { orderId: string }).orderId;
    expect(hooks.received.toSorted((x, y) => (byOrder(x) < byOrder(y) ? -1 : 1)).map((r) => [r.method, r.path, r.headers['x-customer'], r.body])).toEqual([
      ['POST', '/api/shipments', 'ola', { customerId: 'ola', orderId: 'o-1', carrier: 'UPS' }],
      ['POST', '/api/shipments', 'ola', { customerId: 'ola', orderId: 'o-2', carrier: 'FedEx' }],
    ]);
    expect(hooks.received.map((r) => r.headers['waymark-message-id']).sort()).toEqual(webhooks.map((m) => m.id).sort());
  });

  it('transactional is not consent: without SMS consent the text is skipped with the reason, the CRM still gets the shipment', async () => {
    await j.identify('pat', { phone: '+15550000002' });
    await j.track('pat', 'order_shipped', shipped('o-3'));
    await j.runsUntil(['pat'], (r) => r.status === 'completed');
    await j.delivered(5);
    expect(await j.stepsOf('pat')).toEqual([
      ['shipped', 'next', 'entered'],
      ['crm-sync', 'next', 'sent'],
      ['tracking-sms', 'next', 'skipped:no-consent'],
    ]);
    expect(await j.stepDetail('pat', 'tracking-sms', 'skipped:no-consent')).toBe('sms: no SMS consent (the workspace requires opt-in)');
    expect((await j.messagesTo('pat')).map((m) => [m.channel, m.status])).toEqual([['webhook', 'sent']]);
    expect(hooks.received.filter((r) => r.headers['x-customer'] === 'pat').map((r) => r.body)).toEqual([{ customerId: 'pat', orderId: 'o-3', carrier: 'UPS' }]);
  });

  it('without a carrier the CRM gets "unknown"; without a tracking URL the SMS (a `required` value) is skipped as a template error', async () => {
    await j.track('ola', 'order_shipped', { orderId: 'o-4' });
    const run = await j.until(async () => (await j.runsOf('ola')).find((r) => r.key === 'o-4' && r.status === 'completed'));
    await j.delivered(6);
    expect(await j.rt.stepsOf(run.id)).toEqual([
      ['shipped', 'next', 'entered'],
      ['crm-sync', 'next', 'sent'],
      ['tracking-sms', 'next', 'skipped:template-error'],
    ]);
    const [detail] = await j.rt.db
      .select({ detail: steps.detail })
      .from(steps)
      .where(and(eq(steps.progressId, run.id), eq(steps.reason, 'skipped:template-error')));
    expect(detail!.detail).toMatch(/^content\.sms\.text: /);
    expect(hooks.received.find((r) => (r.body as { orderId: string }).orderId === 'o-4')!.body).toEqual({ customerId: 'ola', orderId: 'o-4', carrier: 'unknown' });
  });

  it('a shipment without an orderId starts no run, and a retried call (same messageId) nothing more', async () => {
    const before = (await j.runs()).length;
    await j.track('ola', 'order_shipped', { carrier: 'UPS' });
    const retried = call.track('ola', 'order_shipped', shipped('o-5'));
    await j.send(retried);
    await j.send(retried);
    await j.settled();
    await j.delivered(8);
    expect((await j.runs()).map((r) => r.key).slice(before)).toEqual(['o-5']);
    expect(hooks.received.filter((r) => (r.body as { orderId: string }).orderId === 'o-5')).toHaveLength(1);
  });

  it('per-node stats count every shipment above', async () => {
    // o-1, o-2, o-5 texted; o-3 without consent; o-4 without a tracking URL; the shipment without an
    // orderId (the run's key) was refused.
    expect(await j.stats()).toEqual({
      _journey: { entered: 5, 'exit:completed': 5, 'refused:no-key': 1 },
      shipped: { entered: 5, 'left:next': 5 },
      'crm-sync': { entered: 5, 'left:next': 5, queued: 5, sent: 5 },
      'tracking-sms': { entered: 5, 'left:next': 5, queued: 3, sent: 3, 'skipped:no-consent': 1, 'skipped:template-error': 1 },
    });
  });
});
