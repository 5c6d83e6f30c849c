import { CustomerList, CustomerView, MessageDetail, RunPath, type TimelineItem, TimelinePage, type JourneyDocumentInput } from '@waymark/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Channel, PermanentDeliveryError } from '../src/channels/channel.ts';
import { entryRefusals } from '../src/db/schema.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/*
 * The customer list (paged, with a total and filters) and the single customer view (typed traits,
 * one timeline of events, runs, messages, consent and refused entries; a run's path; a message as
 * sent with its delivery history), against a real PostgreSQL.
 */

const welcome: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'welcome',
  name: 'Welcome series',
  settings: { reEntry: { mode: 'never' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'signed_up' } } },
      {
        id: 'welcome-email',
        type: 'send',
        position: { x: 0, y: 100 },
        data: {
          name: 'Welcome email',
          delivery: { mode: 'channel', channel: 'email' },
          content: { email: { subject: 'Welcome, {{ customer.first_name | default: "friend" }}!', html: '<h1>Hi {{ customer.first_name | default: "there" }}</h1><p>Glad you are here.</p>' } },
        },
      },
      { id: 'two-days', type: 'wait', position: { x: 0, y: 200 }, data: { wait: { kind: 'duration', duration: { amount: 2, unit: 'days' } } } },
      { id: 'is-pro', type: 'condition', position: { x: 0, y: 300 }, data: { rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } } },
      { id: 'vip', type: 'exit', position: { x: -100, y: 400 }, data: { reason: 'pro customer' } },
      {
        id: 'nudge',
        type: 'send',
        position: { x: 100, y: 400 },
        data: { name: 'Nudge', delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: 'Still there? Reply STOP to opt out.' } } },
      },
      { id: 'bye', type: 'exit', position: { x: 100, y: 500 }, data: {} },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'next', target: 'welcome-email' },
      { id: 'b', source: 'welcome-email', sourceHandle: 'next', target: 'two-days' },
      { id: 'c', source: 'two-days', sourceHandle: 'next', target: 'is-pro' },
      { id: 'd', source: 'is-pro', sourceHandle: 'yes', target: 'vip' },
      { id: 'e', source: 'is-pro', sourceHandle: 'no', target: 'nudge' },
      { id: 'f', source: 'nudge', sourceHandle: 'next', target: 'bye' },
    ],
  },
};

/** SMS to an unreachable number: refused for good, so the message fails on its first attempt. */
const unreachableSms: Channel = {
  async send() {
    throw new PermanentDeliveryError('the number is not reachable');
  },
};

describe('customers: the list and the single customer view', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  let base: string;
  let journeyId: string;
  const ids: Record<string, string> = {};
  const list = async (query: string) => {
    const r = await owner('GET', `${base}?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return CustomerList.parse(r.body);
  };
  const view = async (name: string) => CustomerView.parse((await owner('GET', `${base}/${ids[name]}`)).body);
  const timeline = async (name: string, query = '') => TimelinePage.parse((await owner('GET', `${base}/${ids[name]}/timeline?${query}`)).body);

  beforeAll(async () => {
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { channels: { sms: unreachableSms } });
    owner = await rt.signIn();
    base = `/api/workspaces/${rt.workspaceId}/customers`;
    journeyId = (await rt.publish(welcome)).id;
    const people = [
      {
        userId: 'zoe',
        traits: {
          first_name: 'Zoe',
          last_name: 'Stone',
          email: 'zoe@example.com',
          plan: 'pro',
          signed_up_at: '2026-11-01T09:00:00Z',
          tags: ['beta', 'early'],
          address: { city: 'London', zip: 'N1' },
          seats: 5,
          vip: true,
          timezone: 'Europe/London',
        },
      },
      { userId: 'bo', traits: { first_name: 'Bo', email: 'bo@example.com', phone: '+15550100', plan: 'free', consent: { email: 'unsubscribed', sms: 'opted-in' } } },
      { userId: 'cy', traits: { email: 'cy@example.com', plan: 'Pro', tags: ['beta'] } },
      { userId: 'di', traits: { name: 'Di Rivers', plan: 'free', consent: { email: 'subscribed' } } },
      { userId: 'ed', traits: { plan: 'team' } },
      { userId: 'fay', traits: { company: 'Fay & Co' } },
    ];
    await rt.ingest('batch', { batch: people.map((p, i) => ({ type: 'identify', messageId: `id-${i}`, timestamp: '2026-11-25T09:00:00Z', ...p })) });
    await rt.ingest('identify', { anonymousId: 'anon-7', messageId: 'id-anon', traits: { city: 'Lyon' } });
    await rt.ingest('batch', {
      batch: ['zoe', 'bo'].map((userId) => ({ type: 'track', userId, event: 'signed_up', messageId: `signup-${userId}`, properties: { source: 'ad' }, timestamp: '2026-11-25T09:30:00Z' })),
    });
    const all = await list('limit=200');
    for (const item of all.items) ids[item.userId ?? 'anon'] = item.id;
    // Zoe's welcome email is sent (the sandbox), then opened and clicked; Bo's is skipped: no email consent.
    const zoe = await rt.eventually(async () => {
      const v = await view('zoe');
      return v.timeline.items.some((i) => i.kind === 'message' && i.action === 'sent') && v;
    });
    const sent = zoe.timeline.items.find((i) => i.kind === 'message' && i.action === 'sent') as Extract<TimelineItem, { kind: 'message' }>;
    for (const kind of ['delivered', 'opened', 'clicked']) expect((await owner('POST', `/api/workspaces/${rt.workspaceId}/messages/${sent.messageId}/engagement`, { kind })).status).toBe(200);
    await rt.db.insert(entryRefusals).values({
      workspaceId: rt.workspaceId,
      journeyId,
      customerId: ids.zoe!,
      reason: 're-entry-never',
      detail: 'has been in this journey before',
      version: 1,
      count: 2,
      firstAt: '2026-11-25T09:40:00Z',
      lastAt: '2026-11-25T09:45:00Z',
    });
  });
  afterAll(async () => rt?.stop());

  it('pages the list with a total, most recently updated first, and counts a page past the end', async () => {
    const first = await list('limit=3');
    expect(first.total).toBe(7);
    expect(first.items).toHaveLength(3);
    const rest = [...(await list('limit=3&offset=3')).items, ...(await list('limit=3&offset=6')).items];
    expect(rest).toHaveLength(4);
    expect(new Set([...first.items, ...rest].map((c) => c.id)).size).toBe(7);
    expect(await list('limit=3&offset=9')).toEqual({ total: 7, items: [] });
  });

  it('shows what a marketer reads: the best name, email, user id, key traits, last seen, journeys now', async () => {
    const { items } = await list('q=zoe');
    expect(items).toEqual([
      {
        id: ids.zoe,
        name: 'Zoe Stone',
        email: 'zoe@example.com',
        userId: 'zoe',
        traits: [
          { name: 'plan', type: 'text', value: 'pro' },
          { name: 'seats', type: 'number', value: 5 },
          { name: 'signed_up_at', type: 'date', value: '2026-11-01T09:00:00Z' },
        ],
        lastSeenAt: expect.any(String),
        activeJourneys: 1,
      },
    ]);
    const anonymous = (await list('q=Lyon')).items[0]!;
    expect(anonymous).toMatchObject({ name: null, userId: null, activeJourneys: 0 });
  });

  it('searches ids, emails, phones and trait values as before', async () => {
    const names = async (q: string) => (await list(`q=${encodeURIComponent(q)}`)).items.map((c) => c.userId).sort();
    expect(await names('zoe@example')).toEqual(['zoe']);
    expect(await names('+1555')).toEqual(['bo']);
    expect(await names('Fay & Co')).toEqual(['fay']);
    expect(await names(ids.cy!)).toEqual(['cy']);
    expect(await names('100%')).toEqual([]);
  });

  it('filters by a trait value (case-insensitive, list items too) or by having the trait', async () => {
    const names = async (query: string) => (await list(query)).items.map((c) => c.userId).sort();
    expect(await names('trait=plan&value=pro')).toEqual(['cy', 'zoe']);
    expect(await names('trait=tags&value=beta')).toEqual(['cy', 'zoe']);
    expect(await names('trait=seats&value=5')).toEqual(['zoe']);
    expect(await names('trait=company')).toEqual(['fay']);
    const filtered = await list('trait=company&value=fay %26 co');
    expect(filtered.total).toBe(1);
    expect(filtered.items[0]!.traits[0]).toEqual({ name: 'company', type: 'text', value: 'Fay & Co' });
  });

  it('filters by an active run in a journey, and by consent on a channel', async () => {
    const names = async (query: string) => (await list(query)).items.map((c) => c.userId).sort();
    expect(await names(`journey=${journeyId}`)).toEqual(['bo', 'zoe']);
    expect(await names('channel=email&consent=unsubscribed')).toEqual(['bo']);
    expect(await names('channel=email&consent=subscribed')).toEqual(['di']);
    expect(await names('channel=sms&consent=subscribed')).toEqual(['bo']);
    expect((await list('channel=email&consent=none')).total).toBe(5);
    expect(await names(`journey=${journeyId}&channel=email&consent=none`)).toEqual(['zoe']);
  });

  it('answers 400 naming the field for a bad filter', async () => {
    const field = async (query: string) => {
      const r = await owner('GET', `${base}?${query}`);
      expect(r.status).toBe(400);
      return r.body.error.details.field;
    };
    expect(await field('consent=unsubscribed')).toBe('channel');
    expect(await field('channel=fax&consent=none')).toBe('channel');
    expect(await field('channel=email&consent=maybe')).toBe('consent');
    expect(await field('value=pro')).toBe('trait');
    expect(await field('limit=0')).toBe('limit');
    expect(await field('offset=-1')).toBe('offset');
    expect(await field('journey=no-such-journey')).toBe('journey');
    const bad = await owner('GET', `${base}/${ids.zoe}/timeline?kinds=event,gossip`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.field).toBe('kinds');
    expect(bad.body.error.message).toContain('"gossip" is not a kind');
  });

  it('shows identities, consent per channel and traits with their types', async () => {
    const zoe = await view('zoe');
    expect(zoe.name).toBe('Zoe Stone');
    expect(zoe.identities).toEqual([
      { kind: 'user_id', value: 'zoe' },
      { kind: 'email', value: 'zoe@example.com' },
    ]);
    expect(Object.fromEntries(zoe.traits.map((t) => [t.name, t.type]))).toEqual({
      address: 'object',
      email: 'text',
      first_name: 'text',
      last_name: 'text',
      plan: 'text',
      seats: 'number',
      signed_up_at: 'date',
      tags: 'list',
      timezone: 'text',
      vip: 'boolean',
    });
    const bo = await view('bo');
    expect(bo.identities).toContainEqual({ kind: 'phone', value: '+15550100' });
    expect(bo.channels).toEqual([
      { channel: 'email', address: 'bo@example.com', consent: 'unsubscribed', preferred: false, bounced: false },
      { channel: 'sms', address: '+15550100', consent: 'opted-in', preferred: false, bounced: false },
      { channel: 'push', address: null, consent: null, preferred: false, bounced: false },
      { channel: 'in-app', address: null, consent: null, preferred: false, bounced: false },
    ]);
  });

  it('merges one timeline, newest first: events, the journey entry, the message and its engagement, the refused entry', async () => {
    const { items } = (await view('zoe')).timeline;
    const ats = items.map((i) => Date.parse(i.at));
    expect([...ats].sort((a, b) => b - a)).toEqual(ats);
    const story = items.map((i) => (i.kind === 'message' || i.kind === 'journey' ? `${i.kind}:${i.action}` : i.kind === 'event' ? `event:${i.name ?? i.type}` : i.kind)).reverse();
    expect(story).toEqual(['event:identify', 'event:signed_up', 'refusal', 'journey:entered', 'message:sent', 'message:delivered', 'message:opened', 'message:clicked']);
    const refusal = items.find((i) => i.kind === 'refusal')!;
    expect(refusal).toMatchObject({ refusal: { journeyName: 'Welcome series', reason: 're-entry-never', detail: 'has been in this journey before', count: 2, lastAt: '2026-11-25T09:45:00.000Z' } });
    const sent = items.find((i) => i.kind === 'message' && i.action === 'sent')!;
    expect(sent).toMatchObject({ channel: 'email', journeyName: 'Welcome series', summary: 'Welcome, Zoe!' });
  });

  it('shows consent set by identify and a skipped send with its reason', async () => {
    const { items } = await timeline('bo', 'kinds=consent,message');
    expect(items.map((i) => i.kind).sort()).toEqual(['consent', 'consent', 'message']);
    expect(items.filter((i) => i.kind === 'consent')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'email', consent: 'unsubscribed', source: 'identify' }),
        expect.objectContaining({ channel: 'sms', consent: 'opted-in', source: 'identify' }),
      ]),
    );
    expect(items.find((i) => i.kind === 'message')).toMatchObject({ action: 'skipped', messageId: null, channel: 'email', summary: 'Email: Welcome email', reason: 'skipped:no-consent' });
  });

  it('pages the timeline with a cursor and filters it by kind', async () => {
    const whole = (await timeline('zoe')).items.map((i) => i.id);
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: TimelinePage = await timeline('zoe', `limit=3${before ? `&before=${encodeURIComponent(before)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.id));
      before = page.next;
    } while (before);
    expect(seen).toEqual(whole);
    const messages = await timeline('zoe', 'kinds=message');
    expect(messages.items.map((i) => i.kind === 'message' && i.action)).toEqual(['clicked', 'opened', 'delivered', 'sent']);
    expect((await timeline('zoe', 'kinds=refusal')).items).toHaveLength(1);
  });

  describe('two days later', () => {
    beforeAll(async () => {
      await rt.advance(2 * 86_400_000 + 1_000);
      await rt.eventually(async () => (await rt.runsOf(journeyId)).every((run) => run.status !== 'active'));
      await rt.eventually(async () => (await rt.messagesOf(journeyId)).some((m) => m.status === 'failed'));
    });

    it("shows a run's path: every step in words with its reason, version and status", async () => {
      const [run] = (await view('zoe')).runs;
      expect(run).toMatchObject({ journeyName: 'Welcome series', version: 1, status: 'completed', endReason: 'exit-node', currentStep: null });
      const path = RunPath.parse((await owner('GET', `${base}/${ids.zoe}/runs/${run!.id}`)).body);
      expect(path.steps.map((s) => [s.nodeLabel, s.handle, s.reason])).toEqual([
        ['Entry on signed_up', 'next', 'entered'],
        ['Email: Welcome email', 'next', 'sent'],
        ['Wait 2 days', null, 'waiting'],
        ['Wait 2 days', 'next', 'wait-elapsed'],
        ['Condition', 'yes', 'rules-matched'],
        ['Exit: pro customer', null, 'exit-node'],
      ]);
      for (const step of path.steps) expect(step.detail).not.toBe('');
      expect(path.steps[0]!.detail).toBe('entered on signed_up');
      expect((await owner('GET', `${base}/${ids.bo}/runs/${run!.id}`)).status).toBe(404);
    });

    it('shows the journey exit on the timeline, and the failed SMS with its error', async () => {
      const { items } = (await view('bo')).timeline;
      expect(items_(items, 'journey')).toEqual(['exited', 'entered']);
      const failed = items.find((i) => i.kind === 'message' && i.action === 'failed')!;
      expect(failed).toMatchObject({ channel: 'sms', summary: 'Still there? Reply STOP to opt out.', detail: 'the number is not reachable' });
    });

    it('opens a message: the email as rendered, and its delivery history', async () => {
      const zoe = await view('zoe');
      const sent = zoe.timeline.items.find((i) => i.kind === 'message' && i.action === 'sent') as Extract<TimelineItem, { kind: 'message' }>;
      const message = MessageDetail.parse((await owner('GET', `${base}/${ids.zoe}/messages/${sent.messageId}`)).body);
      expect(message).toMatchObject({ channel: 'email', to: 'zoe@example.com', status: 'delivered', journeyName: 'Welcome series', nodeLabel: 'Email: Welcome email', runId: zoe.runs[0]!.id });
      expect(message.content).toEqual({ channel: 'email', subject: 'Welcome, Zoe!', preheader: null, fromName: null, html: '<h1>Hi Zoe</h1><p>Glad you are here.</p>', text: null });
      expect(message.history.map((h) => h.kind)).toEqual(['queued', 'sent', 'delivered', 'opened', 'clicked']);
      expect(message.history[1]!.detail).toBe('to zoe@example.com');

      const bo = await view('bo');
      const failed = bo.timeline.items.find((i) => i.kind === 'message' && i.action === 'failed') as Extract<TimelineItem, { kind: 'message' }>;
      const sms = MessageDetail.parse((await owner('GET', `${base}/${ids.bo}/messages/${failed.messageId}`)).body);
      expect(sms.content).toEqual({ channel: 'sms', text: 'Still there? Reply STOP to opt out.' });
      expect(sms.history.map((h) => [h.kind, h.detail])).toEqual([
        ['queued', null],
        ['failed', 'the number is not reachable (1 attempt)'],
      ]);
      // A message is read through its own customer only.
      expect((await owner('GET', `${base}/${ids.zoe}/messages/${failed.messageId}`)).status).toBe(404);
    });

    it('shows refused entries with their reason on the view', async () => {
      const zoe = await view('zoe');
      expect(zoe.refusals).toEqual([
        {
          journeyId,
          journeyName: 'Welcome series',
          version: 1,
          reason: 're-entry-never',
          detail: 'has been in this journey before',
          count: 2,
          firstAt: '2026-11-25T09:40:00.000Z',
          lastAt: '2026-11-25T09:45:00.000Z',
        },
      ]);
      expect((await list(`journey=${journeyId}`)).total).toBe(0);
    });
  });

  it('answers 404 for a customer of no workspace of the caller, and a JSON 4xx for odd cursors and ids', async () => {
    expect((await owner('GET', `${base}/nobody`)).status).toBe(404);
    expect((await owner('GET', `${base}/nobody/timeline`)).status).toBe(404);
    for (const path of [
      `${ids.zoe}/timeline?before=abc`,
      `${ids.zoe}/timeline?before=999999999999999999:a%00b`,
      `${ids.zoe}/timeline?limit=1000`,
      `${ids.zoe}/timeline?kinds=event&kinds=message`,
      `${ids.zoe}/runs/%00`,
      `${ids.zoe}/messages/%ED%A0%80`,
      `?trait=%00&value=x`,
      `?q=${'x'.repeat(5_000)}`,
    ]) {
      const r = await owner('GET', `${base}/${path}`);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(r.body.error.code, path).toEqual(expect.any(String));
    }
    expect((await owner('GET', `${base}/${ids.zoe}/timeline?before=999999999999999999:zzz`)).status).toBe(200);
  });
});

const items_ = (items: TimelineItem[], kind: 'journey') => items.flatMap((i) => (i.kind === kind ? [i.action] : []));
