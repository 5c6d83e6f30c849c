import type { JourneyDocumentInput } from '@waymark/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from './support/test-runtime.ts';

/** Starts by API (or `entry`) → in-app "Your code: {{ event.coupon }}" → wait a day; settings as given. */
const byApi = (id: string, settings: object = {}, entry: object = { kind: 'api' }): JourneyDocumentInput => ({
  schemaVersion: 1,
  id,
  name: `Win-back ${id}`,
  settings,
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry } } as never,
      {
        id: 'code',
        type: 'send',
        position: { x: 0, y: 100 },
        data: { delivery: { mode: 'channel', channel: 'in-app' }, content: { 'in-app': { title: 'Hi {{ customer.first_name }}', body: 'Your code: {{ event.coupon | default: "WELCOME" }}' } } },
      },
      { id: 'wait', type: 'wait', position: { x: 0, y: 200 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
    ],
    edges: [
      { id: 'a', source: 'start', target: 'code' },
      { id: 'b', source: 'code', target: 'wait' },
    ],
  },
});

describe('enrollment by API into a journey that starts "by API or by hand" (SPEC E4)', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  let journey: string;
  const path = (id: string) => `/api/workspaces/${rt.workspaceId}/journeys/${id}/enrollments`;
  const customerOf = async (userId: string) => (await rt.sql`select customer_id from customer_identities where kind = 'user_id' and value = ${userId}`)[0]!.customer_id as string;

  beforeAll(async () => {
    rt = await startTestRuntime();
    owner = await rt.signIn();
    const people = ['ada', 'bob', 'cy'].map((name) => ({ type: 'identify', userId: name, messageId: `id-${name}`, traits: { first_name: name, email: `${name.toUpperCase()}@Example.com` } }));
    expect((await rt.ingest('batch', { batch: people })).status).toBe(200);
    await rt.eventually(async () => (await rt.pendingEvents()) === 0);
    journey = (await rt.publish(byApi('winback'))).id;
  });
  afterAll(async () => rt?.stop());

  it('E4 enrolls by id, user id and email with properties templates read; each miss and refusal says why', async () => {
    const ada = await customerOf('ada');
    const response = await owner('POST', path(journey), {
      customers: [{ customerId: ada, properties: { coupon: 'ADA10' } }, { userId: 'bob', properties: { coupon: 'BOB10' } }, { email: 'cy@example.COM' }, { userId: 'nobody' }, { userId: 'bob' }],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ enrolled: 3, refused: 1, notFound: 1, replayed: false });
    expect(response.body.results.map((r: { status: string; code?: string }) => [r.status, r.code])).toEqual([
      ['enrolled', undefined],
      ['enrolled', undefined],
      ['enrolled', undefined],
      ['not-found', 'not-found'],
      ['refused', 'already-in-journey'],
    ]);
    expect(response.body.results[3].reason).toBe('no customer with user id "nobody" in this workspace');
    // The messages were rendered with each enrollment's properties, in the same transaction.
    const messages = await rt.messagesOf(journey);
    expect(messages.map((m) => (m.content as { body: string }).body).sort()).toEqual(['Your code: ADA10', 'Your code: BOB10', 'Your code: WELCOME']);
    expect(messages.every((m) => m.status === 'sent')).toBe(true);
    // The refusal is on the customer's record, like any refused entry.
    const [refusal] = await rt.sql`select reason, count from entry_refusals where journey_id = ${journey} and customer_id = ${await customerOf('bob')}`;
    expect(refusal).toMatchObject({ reason: 'already-in-journey', count: 1 });
    const runs = await rt.runsOf(journey);
    expect(runs).toHaveLength(3);
    expect(await rt.stepsOf(runs.find((r) => r.customerId === ada)!.id)).toEqual([
      ['start', 'next', 'entered'],
      ['code', 'next', 'sent'],
      ['wait', null, 'waiting'],
    ]);
  });

  it('the same idempotency key answers the same and enrolls nobody again, also when two calls race', async () => {
    const again = (await rt.publish(byApi('again', { reEntry: { mode: 'always' } }))).id;
    const call = () => owner('POST', path(again), { customers: [{ userId: 'ada' }], idempotencyKey: 'campaign-42' });
    const [first, second] = await Promise.all([call(), call()]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.body.replayed, second.body.replayed].sort()).toEqual([false, true]);
    expect(first.body.results).toEqual(second.body.results);
    // The key in a header works the same way.
    const viaHeader = await owner('POST', path(again), { customers: [{ userId: 'ada' }] }, { 'idempotency-key': 'campaign-42' });
    expect(viaHeader.body).toMatchObject({ replayed: true, enrolled: 1 });
    expect(await rt.runsOf(again)).toHaveLength(1);
    expect(await rt.messagesOf(again)).toHaveLength(1);
  });

  it('refuses what cannot be enrolled, naming the field or the journey', async () => {
    const cases: [unknown, number, string][] = [
      [{ customers: [] }, 400, '"customers": List at least one customer.'],
      [{ customers: [{ userId: 'ada', email: 'ada@example.com' }] }, 400, '"customers.0.customerId": Name the customer by exactly one of customerId, userId or email.'],
      [{ customers: Array.from({ length: 1_001 }, () => ({ userId: 'ada' })) }, 400, '"customers": At most 1,000 customers per call; send the rest in another.'],
      [{ customers: [{ userId: 'ada' }], idempotencyKey: '' }, 400, '"idempotencyKey": Too small: expected string to have >=1 characters'],
    ];
    for (const [body, status, message] of cases) {
      const response = await owner('POST', path(journey), body);
      expect([response.status, response.body.error.message]).toEqual([status, message]);
    }
    const conflicting = await owner('POST', path(journey), { customers: [{ userId: 'ada' }], idempotencyKey: 'a' }, { 'idempotency-key': 'b' });
    expect(conflicting).toMatchObject({ status: 400, body: { error: { details: { field: 'idempotencyKey' } } } });

    const byEvent = await rt.publish(byApi('by-event', {}, { kind: 'event', event: 'Signed Up' }));
    expect((await owner('POST', path(byEvent.id), { customers: [{ userId: 'ada' }] })).body.error).toMatchObject({
      code: 'journey-not-api-entry',
      message: expect.stringContaining('starts on the event "Signed Up"'),
    });
    const draft = await owner('POST', `/api/workspaces/${rt.workspaceId}/journeys`, { name: 'Draft', document: byApi('draft') });
    expect((await owner('POST', path(draft.body.id), { customers: [{ userId: 'ada' }] })).body.error.code).toBe('journey-not-live');
    expect((await owner('POST', path('no-such-journey'), { customers: [{ userId: 'ada' }] })).status).toBe(404);
  });

  it('a paused journey refuses each customer with its reason and sends nothing', async () => {
    const paused = (await rt.publish(byApi('paused'))).id;
    expect((await owner('POST', `/api/workspaces/${rt.workspaceId}/journeys/${paused}/pause`)).status).toBe(200);
    const response = await owner('POST', path(paused), { customers: [{ userId: 'cy' }] });
    expect(response.body).toMatchObject({ enrolled: 0, refused: 1, results: [{ status: 'refused', code: 'paused', reason: 'the journey was paused' }] });
    expect(await rt.messagesOf(paused)).toHaveLength(0);
  });

  it('everyone in a segment, added by hand: enrolled in the background with progress, under the re-entry rules; refusals name the field', async () => {
    const ws = `/api/workspaces/${rt.workspaceId}`;
    const more = Array.from({ length: 1_200 }, (_, i) => ({ type: 'identify', userId: `m${i}`, messageId: `m-${i}`, traits: { vip: i % 2 === 0 } }));
    expect((await rt.ingest('batch', { batch: [...more, { type: 'identify', userId: 'ada', messageId: 'ada-vip', traits: { vip: true } }] })).status).toBe(200);
    await rt.eventually(async () => (await rt.pendingEvents()) === 0);
    const vip = (await owner('POST', `${ws}/segments`, { name: 'VIP', rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'vip', operator: 'equals', value: true }] } })).body;
    // While its members are still being worked out (the build waits for the test clock to tick), it cannot be added.
    const early = await owner('POST', `${path(journey)}/segment`, { segmentId: vip.id });
    expect([early.status, early.body.error]).toMatchObject([409, { code: 'segment-building', details: { field: 'segmentId' } }]);
    await rt.eventually(async () => (await owner('GET', `${ws}/segments/${vip.id}`)).body.status === 'ready', 60_000);
    const before = (await rt.runsOf(journey)).length;
    const started = await owner('POST', `${path(journey)}/segment`, { segmentId: vip.id });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ segmentId: vip.id, status: 'scheduled' });
    const done = await rt.eventually(async () => {
      const run = ((await owner('GET', `${ws}/journeys/${journey}/audience-runs`)).body as { id: string; status: string }[]).find((r) => r.id === started.body.id);
      return run?.status === 'done' && run;
    }, 60_000);
    // 600 members and Ada, who is still in the journey from the first test: 601 scanned, 600 entered.
    expect(done).toMatchObject({ total: 601, scanned: 601, enrolled: 600 });
    expect((await rt.runsOf(journey)).length - before).toBe(600);
    const [refusal] = await rt.sql`select reason, count from entry_refusals where journey_id = ${journey} and customer_id = ${await customerOf('ada')}`;
    expect(refusal).toMatchObject({ reason: 'already-in-journey' });

    const refused = [
      [await owner('POST', `${path(journey)}/segment`, { segmentId: 'no-such-segment' }), 404, 'segment-not-found'],
      [await owner('POST', `${path(journey)}/segment`, {}), 400, 'invalid-request'],
      [await owner('POST', `${path('no-such-journey')}/segment`, { segmentId: vip.id }), 404, 'journey-not-found'],
    ] as const;
    for (const [response, status, code] of refused) expect([response.status, response.body.error.code]).toEqual([status, code]);
  }, 120_000);
});
