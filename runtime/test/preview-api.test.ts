import type { AddressInfo } from 'node:net';
import { examples } from '@waymark/examples';
import { type JourneyDocumentInput, PreviewSubject, type PreviewResult, type PreviewRow, type RunReplay, TestCustomer } from '@waymark/shared';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, OutgoingMessage } from '../src/channels/channel.ts';
import { messages, progress, workspaces } from '../src/db/schema.ts';
import { serveApp } from '../src/http/serve-app.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/*
 * The runtime side of the preview (issue 11): previews played on the server for real, saved and
 * inline customers, what the browser needs to play them itself, saved test customers, a real run
 * replayed as a preview, and "send test" marked as a test — against a real PostgreSQL.
 */

const welcome = examples.find((e) => e.id === 'welcome-series')!.document;

/** Every message a channel was asked to send ("send test" and journeys alike). */
const outbox: OutgoingMessage[] = [];
const recorder: Channel = {
  async send(message) {
    outbox.push(message);
    return { providerId: `recorded:${message.id}` };
  },
};

type Caller = Awaited<ReturnType<Awaited<ReturnType<typeof startTestRuntime>>['signIn']>>;
type Answer = PreviewResult & { journey: { id: string; name: string; version: number | null } };

const steps = (result: PreviewResult) => result.rows.flatMap((row) => (row.kind === 'step' ? [[row.nodeId, row.handle, row.reason]] : []));
const sentStep = (result: PreviewResult, nodeId: string) =>
  result.rows.find((row): row is Extract<PreviewRow, { kind: 'step' }> => row.kind === 'step' && row.nodeId === nodeId && row.reason === 'sent');
const subjectOf = (result: PreviewResult) => result.messages.find((m) => m.channel === 'email')?.content.subject;

describe('preview API: a journey played for a customer and a story, nothing written or sent', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Caller;
  let ws: string;
  let journeyId: string;
  const ids: Record<string, string> = {};
  const at = () => new Date(rt.clock.now()).toISOString();
  const preview = async (body: Record<string, unknown>, as: Caller = owner) => {
    const response = await as('POST', `${ws}/journeys/${journeyId}/preview`, { story: { entry: { kind: 'event', at: at() } }, ...body });
    expect(response.status, JSON.stringify(response.body).slice(0, 600)).toBe(200);
    return response.body as Answer;
  };
  const refused = async (body: unknown, path = `${ws}/journeys/${journeyId}/preview`) => {
    const response = await owner('POST', path, body);
    expect(response.status, JSON.stringify(response.body).slice(0, 600)).toBeGreaterThanOrEqual(400);
    return response;
  };
  /** Identifies a customer and signs them up; returns their id once their welcome email is on its way. */
  const signUp = async (userId: string, traits: Record<string, unknown>) => {
    await rt.ingest('identify', { userId, messageId: `id-${userId}`, traits });
    await rt.ingest('track', { userId, messageId: `signup-${userId}`, event: 'signed_up' });
    const id = await rt.eventually(async () => (await owner('GET', `${ws}/customers?q=${userId}`)).body.items?.[0]?.id as string | undefined);
    await rt.eventually(
      async () =>
        (
          await rt.db
            .select()
            .from(messages)
            .where(and(eq(messages.customerId, id), eq(messages.journeyId, journeyId)))
        ).length > 0,
    );
    ids[userId] = id;
    return id;
  };

  beforeAll(async () => {
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { channels: { email: recorder, sms: recorder, push: recorder, 'in-app': recorder, webhook: recorder } });
    owner = await rt.signIn();
    ws = `/api/workspaces/${rt.workspaceId}`;
    await rt.db
      .update(workspaces)
      .set({ settings: { allowPrivateNetworks: true, frequencyCap: { email: 1 } } })
      .where(eq(workspaces.id, rt.workspaceId));
    journeyId = (await rt.publish(welcome)).id;
    // Zoe got her welcome email today and then created her first project: her run converted and ended.
    await signUp('zoe', { first_name: 'Zoe', email: 'zoe@example.com', plan: 'pro', timezone: 'Europe/London' });
    await rt.ingest('track', { userId: 'zoe', messageId: 'zoe-project', event: 'first_project_created', properties: { template: 'kanban' } });
    await rt.eventually(async () => (await rt.runsOf(journeyId)).find((r) => r.customerId === ids.zoe && r.status === 'converted'));
  });
  afterAll(async () => rt?.stop());

  it("previews a published version for a real customer: her traits, her earlier run (re-entry 'never' refuses, saying why: SPEC V1) and today's sends against the workspace's cap (V6)", async () => {
    const again = await preview({ version: 1, customer: { customerId: ids.zoe } });
    expect(again.journey).toEqual({ id: journeyId, name: 'Welcome series', version: 1 });
    expect(again.entry).toMatchObject({ enters: false, code: 're-entry-never', reason: 'has been in this journey before' });
    expect(again.rows).toHaveLength(1);
    expect(again.customer).toMatchObject({ id: ids.zoe, externalId: 'zoe', traits: { first_name: 'Zoe', plan: 'pro' }, channels: { email: { address: 'zoe@example.com' } } });
    expect(again.zone).toBe('Europe/London');

    // Without her earlier run (one field of the context replaced, the rest still read): today's email counts toward the cap of one.
    const capped = await preview({ version: 1, customer: { customerId: ids.zoe }, context: { pastRuns: [] } });
    expect(capped.entry).toMatchObject({ enters: true });
    expect(steps(capped)[1]).toEqual(['welcome-email', 'next', 'skipped:frequency-cap']);
    expect(capped.rows.find((r) => r.kind === 'step' && r.nodeId === 'welcome-email')).toMatchObject({ detail: '1 email messages today; the cap is 1' });

    const sent = await preview({ version: 1, customer: { customerId: ids.zoe }, context: { pastRuns: [], sentToday: { email: 0 } } });
    expect(sentStep(sent, 'welcome-email')?.message?.content.subject).toBe('Welcome to Acme, Zoe!');
    expect(sent.messages[0]).toMatchObject({ channel: 'email', to: 'zoe@example.com' });
  });

  it('preview-context gives the browser what the runtime reads of a real customer, in the contract', async () => {
    const response = await owner('GET', `${ws}/journeys/${journeyId}/preview-context?customerId=${ids.zoe}`);
    expect(response.status).toBe(200);
    const subject = PreviewSubject.parse(response.body);
    expect(subject).toMatchObject({ customerId: ids.zoe, name: 'Zoe', profile: { id: ids.zoe, externalId: 'zoe', traits: { timezone: 'Europe/London' } } });
    expect(subject.context).toMatchObject({ paused: false, sentToday: { email: 1 }, frequencyCap: { email: 1 }, workspaceZone: 'UTC' });
    expect(subject.context.pastRuns).toEqual([{ key: null, status: 'converted', enteredAt: expect.any(String) }]);
    expect(subject.context.events.map((e) => e.name)).toEqual(['signed_up', 'first_project_created']);

    const empty = PreviewSubject.parse((await owner('GET', `${ws}/journeys/${journeyId}/preview-context`)).body);
    expect(empty).toEqual({
      customerId: null,
      name: 'Test customer',
      profile: { id: 'preview-customer', traits: {}, channels: {} },
      context: {
        pastRuns: [],
        paused: false,
        events: [],
        sentToday: {},
        frequencyCap: { email: 1 },
        workspaceZone: 'UTC',
        consentPolicy: { email: 'opt-out', sms: 'opt-in', push: 'opt-in', 'in-app': 'opt-out' },
      },
    });
  });

  it('previews the saved draft for a profile written inline: entry, the email as rendered, engagement taking the yes branch (SPEC V5), a paused journey refusing (V1)', async () => {
    const result = await preview({
      customer: { profile: { traits: { first_name: 'Ann', timezone: 'Europe/Istanbul' }, channels: { email: { address: 'ann@example.com' } } } },
      story: {
        entry: { kind: 'event', at: at() },
        items: [{ kind: 'engagement', after: { amount: 1, unit: 'hours' }, nodeId: 'welcome-email', activity: 'opened' }],
        horizon: { amount: 3, unit: 'days' },
      },
    });
    expect(result.journey).toEqual({ id: journeyId, name: 'Welcome series', version: null });
    expect(result.zone).toBe('Europe/Istanbul');
    expect(subjectOf(result)).toBe('Welcome to Acme, Ann!');
    expect(result.taken).toContain('opened-welcome:yes');
    expect(steps(result).at(-1)).toEqual(['tips-push', 'next', 'skipped:no-address']);
    expect(result.rows.find((r) => r.kind === 'input')).toMatchObject({ outcome: 'engaged' });

    const paused = await preview({ customer: { profile: {} }, context: { paused: true } });
    expect(paused.entry).toMatchObject({ enters: false, code: 'paused' });
  });

  it('previews a document with unsaved edits: its content, not the saved draft', async () => {
    const edited = structuredClone(welcome) as JourneyDocumentInput;
    const email = edited.graph.nodes.find((n) => n.id === 'welcome-email')!.data as { content: { email: { subject: string } } };
    email.content.email.subject = 'Your draft says hello, {{ customer.first_name }}';
    const profile = { traits: { first_name: 'Ann' }, channels: { email: { address: 'ann@example.com' } } };
    const draft = await preview({ document: edited, customer: { profile } });
    const saved = await preview({ customer: { profile } });
    expect(subjectOf(draft)).toBe('Your draft says hello, Ann');
    expect(subjectOf(saved)).toBe('Welcome to Acme, Ann!');
    expect(draft.journey.version).toBeNull();
  });

  it('an invalid document is 422 with the CompileError list, as publish answers', async () => {
    const broken = { ...welcome, graph: { ...welcome.graph, edges: welcome.graph.edges.filter((e) => e.sourceHandle !== 'no') } };
    const response = await refused({ document: broken, customer: { profile: {} }, story: { entry: { kind: 'event', at: at() } } });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('journey-invalid');
    expect(response.body.error.details).toContainEqual(expect.objectContaining({ code: 'dangling-handle', nodeId: 'opened-welcome', field: 'no' }));
  });

  it('hostile input: every bad body is a 4xx naming the field, never a 500', async () => {
    const story = { entry: { kind: 'event', at: at() } };
    const profile = { profile: {} };
    const field = async (body: unknown, status: number, path?: string) => {
      const response = await refused(body, path);
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      return response.body.error.details?.field;
    };
    expect(await field({ version: 7, customer: profile, story }, 404)).toBe('version');
    expect(await field({ version: 2 ** 31, customer: profile, story }, 404)).toBe('version');
    expect(await field({ version: 1, document: welcome, customer: profile, story }, 400)).toBe('version');
    expect(await field({ customer: profile, story: { ...story, items: Array(501).fill({ kind: 'identify', after: { amount: 1, unit: 'minutes' }, traits: {} }) } }, 400)).toBe('story.items');
    expect(await field({ customer: profile, story: { ...story, horizon: { amount: 10_001, unit: 'weeks' } } }, 400)).toBe('story.horizon.amount');
    expect(await field({ customer: profile, story: { entry: { kind: 'event', at: 'yesterday' } } }, 400)).toBe('story.entry.at');
    expect(await field({ customer: { ...profile, customerId: ids.zoe }, story }, 400)).toBe('customer');
    expect(await field({ customer: { customerId: 'nobody' }, story }, 404)).toBe('customer.customerId');
    expect(await field({ customer: { testCustomerId: 'nobody' }, story }, 404)).toBe('customer.testCustomerId');
    expect(await field({ customer: profile, story, context: { workspaceZone: 'x'.repeat(65) } }, 400)).toBe('context.workspaceZone');
    expect(await field({ document: { schemaVersion: 1, graph: { nodes: Array(2_001).fill(0), edges: [] } }, customer: profile, story }, 400)).toBe('document.graph.nodes');
    for (const document of ['a journey', 42, null, [welcome]]) {
      const response = await refused({ document, customer: profile, story });
      expect(response.status).toBe(422);
      expect(response.body.error.details[0]).toMatchObject({ code: 'invalid-document' });
    }
    expect((await refused({ customer: profile, story }, `${ws}/journeys/nope/preview`)).status).toBe(404);

    // A customer of another workspace is no customer here.
    const other = await owner('POST', '/api/workspaces', { name: 'Other brand' });
    const basic = `Basic ${Buffer.from(`${other.body.writeKey}:`).toString('base64')}`;
    await rt.app.request('/v1/identify', {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'olga', traits: { first_name: 'Olga' } }),
    });
    const olga = await rt.eventually(async () => (await owner('GET', `/api/workspaces/${other.body.id}/customers?q=olga`)).body.items?.[0]?.id as string | undefined);
    expect(await field({ customer: { customerId: olga }, story }, 404)).toBe('customer.customerId');

    const context = (query: string) => owner('GET', `${ws}/journeys/${journeyId}/preview-context?${query}`);
    expect((await context(`customerId=${olga}`)).body.error).toMatchObject({ code: 'customer-not-found', details: { field: 'customerId' } });
    expect((await context('customerId=a&testCustomerId=b')).body.error).toMatchObject({ code: 'invalid-request', details: { field: 'testCustomerId' } });
    expect((await context('testCustomerId=')).body.error).toMatchObject({ code: 'invalid-request', details: { field: 'testCustomerId' } });
  });

  it('nothing is written and nothing is sent: runs, steps, messages, events, send counts, refusals, counters and the audit log stay as they were', async () => {
    await rt.eventually(async () => (await rt.pendingEvents()) === 0 && (await rt.db.select().from(messages)).every((m) => m.status === 'sent'));
    const counts = async () =>
      (
        await rt.db.execute(sql`select
          (select count(*) from progress)::int as progress, (select count(*) from steps)::int as steps, (select count(*) from messages)::int as messages,
          (select count(*) from events)::int as events, (select count(*) from send_counts)::int as send_counts, (select coalesce(sum(count), 0) from send_counts)::int as sends,
          (select count(*) from entry_refusals)::int as refusals, (select coalesce(sum(count), 0) from node_stats)::int as stats, (select count(*) from audit_log)::int as audit,
          (select count(*) from customers)::int as customers`)
      )[0];
    const before = await counts();
    const sentBefore = outbox.length;
    const profile = { traits: { first_name: 'Ann' }, channels: { email: { address: 'ann@example.com' }, sms: { address: '+15550100', consent: 'opted-in' } } };
    const story = { entry: { kind: 'event', at: at() }, items: [{ kind: 'track', after: { amount: 1, unit: 'hours' }, name: 'first_project_created' }] };
    await preview({ customer: { profile }, story });
    await preview({ version: 1, customer: { customerId: ids.zoe }, context: { pastRuns: [] }, story });
    await preview({ document: welcome, customer: { profile }, story: { ...story, items: [] } });
    await owner('GET', `${ws}/journeys/${journeyId}/preview-context?customerId=${ids.zoe}`);
    expect(await counts()).toEqual(before);
    expect(outbox.length).toBe(sentBefore);
  });

  it('test customers: saved per workspace by editors, listed by name, unique in any case (409 naming name), audited, invisible to other workspaces', async () => {
    const ann = await owner('POST', `${ws}/test-customers`, { name: '  Ann, free plan  ', profile: { traits: { first_name: 'Ann', plan: 'free', timezone: 'Europe/Istanbul' } } });
    expect(ann.status).toBe(201);
    expect(TestCustomer.parse(ann.body)).toMatchObject({ name: 'Ann, free plan', profile: { traits: { plan: 'free' }, channels: {} }, createdBy: `user:${rt.owner.email}` });
    const bo = await owner('POST', `${ws}/test-customers`, {
      name: 'bo, sms only',
      profile: { traits: { first_name: 'Bo' }, channels: { sms: { address: '+15550100', consent: 'opted-in' } }, preferredChannel: 'sms' },
    });
    expect(bo.status).toBe(201);
    const taken = await owner('POST', `${ws}/test-customers`, { name: 'ANN, FREE PLAN', profile: {} });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'name-taken', details: { field: 'name' } });
    expect((await owner('PUT', `${ws}/test-customers/${bo.body.id}`, { name: 'ann, free plan', profile: {} })).status).toBe(409);
    expect((await owner('POST', `${ws}/test-customers`, { name: ' ', profile: {} })).body.error).toMatchObject({ code: 'invalid-request', details: { field: 'name' } });

    const list = await owner('GET', `${ws}/test-customers`);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((t: TestCustomer) => t.name)).toEqual(['Ann, free plan', 'bo, sms only']);

    const renamed = await owner('PUT', `${ws}/test-customers/${bo.body.id}`, { name: 'Bo, SMS only', profile: { traits: { first_name: 'Bo', plan: 'team' } } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Bo, SMS only', profile: { traits: { plan: 'team' } } });

    // A preview for the saved customer plays their profile; preview-context gives it with the workspace's part.
    const played = await preview({ customer: { testCustomerId: ann.body.id } });
    expect(played.zone).toBe('Europe/Istanbul');
    expect(played.customer.traits).toMatchObject({ first_name: 'Ann' });
    const subject = PreviewSubject.parse((await owner('GET', `${ws}/journeys/${journeyId}/preview-context?testCustomerId=${ann.body.id}`)).body);
    expect(subject).toMatchObject({ customerId: null, name: 'Ann, free plan', profile: { traits: { plan: 'free' } }, context: { frequencyCap: { email: 1 }, pastRuns: [] } });

    const other = await owner('POST', '/api/workspaces', { name: 'Third brand' });
    const theirs = `/api/workspaces/${other.body.id}/test-customers`;
    expect((await owner('GET', theirs)).body).toEqual({ total: 0, items: [] });
    expect((await owner('PUT', `${theirs}/${ann.body.id}`, { name: 'Stolen', profile: {} })).status).toBe(404);
    expect((await owner('DELETE', `${theirs}/${ann.body.id}`)).status).toBe(404);
    const elsewhere = await owner('POST', `/api/workspaces/${other.body.id}/journeys/import`, { document: welcome });
    const foreign = await owner('POST', `/api/workspaces/${other.body.id}/journeys/${elsewhere.body.id}/preview`, {
      customer: { testCustomerId: ann.body.id },
      story: { entry: { kind: 'event', at: at() } },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.details.field).toBe('customer.testCustomerId');

    expect((await owner('DELETE', `${ws}/test-customers/${bo.body.id}`)).status).toBe(204);
    expect((await owner('DELETE', `${ws}/test-customers/${bo.body.id}`)).body.error).toMatchObject({ code: 'test-customer-not-found' });
    const audit = await owner('GET', `${ws}/audit?action=test-customer.`);
    expect(audit.body.items.map((a: { action: string; target: string }) => [a.action, a.target])).toEqual([
      ['test-customer.delete', bo.body.id],
      ['test-customer.update', bo.body.id],
      ['test-customer.create', bo.body.id],
      ['test-customer.create', ann.body.id],
    ]);
  });

  it('roles: a viewer previews and reads (test customers, context, replays) but cannot save test customers; an editor can', async () => {
    const token = async (role: string) => rt.asToken((await owner('POST', `${ws}/keys`, { kind: 'token', name: role, role })).body.secret);
    const viewer = await token('viewer');
    expect((await preview({ customer: { profile: {} } }, viewer)).entry.enters).toBe(true);
    expect((await viewer('GET', `${ws}/journeys/${journeyId}/preview-context?customerId=${ids.zoe}`)).status).toBe(200);
    expect((await viewer('GET', `${ws}/test-customers`)).status).toBe(200);
    const [run] = (await rt.runsOf(journeyId)).filter((r) => r.customerId === ids.zoe);
    expect((await viewer('GET', `${ws}/customers/${ids.zoe}/runs/${run!.id}/replay`)).status).toBe(200);
    const denied = await viewer('POST', `${ws}/test-customers`, { name: 'Viewer made', profile: {} });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('This needs the editor role; you are a viewer.');
    expect((await viewer('PUT', `${ws}/test-customers/x`, { name: 'Viewer made', profile: {} })).status).toBe(403);
    expect((await viewer('DELETE', `${ws}/test-customers/x`)).status).toBe(403);
    expect((await (await token('editor'))('POST', `${ws}/test-customers`, { name: 'Editor made', profile: {} })).status).toBe(201);
  });

  it('replays a real run as a preview: waiting with its pending wait, then after the clock passed the wait, with its messages, inputs and path', async () => {
    const rey = await signUp('rey', { first_name: 'Rey', email: 'rey@example.com', phone: '+15550123', consent: { sms: 'opted-in' }, timezone: 'Europe/London' });
    const [run] = (await rt.runsOf(journeyId)).filter((r) => r.customerId === rey);
    const replay = async () => {
      const response = await owner('GET', `${ws}/customers/${rey}/runs/${run!.id}/replay`);
      expect(response.status, JSON.stringify(response.body).slice(0, 600)).toBe(200);
      return response.body as RunReplay;
    };
    await rt.advance(3_600_000);
    await rt.ingest('track', { userId: 'rey', messageId: 'rey-pricing', event: 'pricing_viewed', properties: { plan: 'team' } });
    await rt.ingest('identify', { userId: 'rey', messageId: 'rey-plan', traits: { plan: 'team' } });
    await rt.eventually(async () => (await rt.pendingEvents()) === 0);

    const waiting = await replay();
    expect(waiting).toMatchObject({ journeyId, version: 1, customerName: 'Rey' });
    expect(waiting.result.rows.at(-1)).toMatchObject({ kind: 'pending', nodeId: 'two-days' });
    expect(waiting.result.rows.find((r) => r.kind === 'step' && r.nodeId === 'two-days')).toMatchObject({ reason: 'waiting', until: waiting.result.run!.position!.until });

    await rt.advance(2 * 86_400_000);
    await rt.eventually(async () => {
      const [now] = await rt.db.select().from(progress).where(eq(progress.id, run!.id));
      return now?.status === 'completed' && (await rt.db.select().from(messages).where(eq(messages.progressId, run!.id))).length === 2;
    });
    const { result } = await replay();
    expect(result.entry).toMatchObject({ enters: true, key: null });
    expect(result.zone).toBe('Europe/London');
    expect(result.rows.map((r) => (r.kind === 'step' ? `${r.nodeId}:${r.reason}` : r.kind === 'input' ? `input:${r.outcome}` : r.kind))).toEqual([
      'entry',
      'signed-up:entered',
      'welcome-email:sent',
      'two-days:waiting',
      'input:not-waiting-for-it',
      'input:profile-changed',
      'two-days:wait-elapsed',
      'opened-welcome:rules-not-matched',
      'nudge-sms:sent',
      'exit',
    ]);
    expect(result.rows.map((r) => r.index)).toEqual(result.rows.map((_, i) => i));
    expect(sentStep(result, 'welcome-email')?.message).toMatchObject({ channel: 'email', to: 'rey@example.com', content: { subject: 'Welcome to Acme, Rey!' } });
    expect(sentStep(result, 'nudge-sms')?.message).toMatchObject({ channel: 'sms', to: '+15550123', content: { text: expect.stringContaining('Acme: Rey, your welcome guide') } });
    expect(result.messages.map((m) => m.nodeId)).toEqual(['welcome-email', 'nudge-sms']);
    expect(result.rows.find((r) => r.kind === 'input' && r.item.kind === 'track')).toMatchObject({
      event: { name: 'pricing_viewed', properties: { plan: 'team' } },
      item: { after: { amount: 60, unit: 'minutes' } },
    });
    expect(result.rows.at(-1)).toMatchObject({ kind: 'exit', reason: 'completed', nodeId: null });
    expect(result.visited).toEqual(['signed-up', 'welcome-email', 'two-days', 'opened-welcome', 'nudge-sms']);
    expect(result.taken).toEqual(['signed-up:next', 'welcome-email:next', 'two-days:next', 'opened-welcome:no', 'nudge-sms:next']);
    expect(result.customer.traits).toMatchObject({ plan: 'team' });
  });

  it("replays a converted run: the goal event is the input that converted it, before the conversion and the end; another customer's run is 404", async () => {
    const [run] = (await rt.runsOf(journeyId)).filter((r) => r.customerId === ids.zoe);
    const { body } = await owner('GET', `${ws}/customers/${ids.zoe}/runs/${run!.id}/replay`);
    const { result } = body as RunReplay;
    const kinds = result.rows.map((r) => (r.kind === 'input' ? `input:${r.outcome}` : r.kind));
    expect(kinds.slice(-3)).toEqual(['input:converted', 'conversion', 'exit']);
    expect(result.rows.at(-1)).toMatchObject({ kind: 'exit', reason: 'converted', nodeId: 'two-days' });
    expect(result.rows.at(-2)).toMatchObject({ kind: 'conversion', event: 'first_project_created', late: false });
    const missing = await owner('GET', `${ws}/customers/${ids.rey}/runs/${run!.id}/replay`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'run-not-found', details: { field: 'runId' } });
  });

  it('replays a wait for an event: the awaited call moved the run on, another call before it changed nothing', async () => {
    const at = { x: 0, y: 0 };
    const trial: JourneyDocumentInput = {
      schemaVersion: 1,
      id: 'trial',
      name: 'Trial to paid',
      graph: {
        nodes: [
          { id: 'trial', type: 'trigger', position: at, data: { entry: { kind: 'event', event: 'trial_started' } } },
          { id: 'wait-upgrade', type: 'wait-for-event', position: at, data: { event: 'upgraded', timeout: { amount: 3, unit: 'days' } } },
          { id: 'paid', type: 'exit', position: at, data: { reason: 'upgraded' } },
          { id: 'lapsed', type: 'exit', position: at, data: {} },
        ],
        edges: [
          { id: 'a', source: 'trial', sourceHandle: 'next', target: 'wait-upgrade' },
          { id: 'b', source: 'wait-upgrade', sourceHandle: 'event', target: 'paid' },
          { id: 'c', source: 'wait-upgrade', sourceHandle: 'timeout', target: 'lapsed' },
        ],
      },
    };
    const { id: trialId } = await rt.publish(trial);
    for (const [n, event] of ['trial_started', 'feature_used', 'upgraded'].entries()) {
      await rt.ingest('track', { userId: 'wes', messageId: `wes-${n}`, event });
      await rt.eventually(async () => (await rt.pendingEvents()) === 0);
    }
    const run = await rt.eventually(async () => (await rt.runsOf(trialId)).find((r) => r.status === 'completed'));
    const { body } = await owner('GET', `${ws}/customers/${run.customerId}/runs/${run.id}/replay`);
    const { result } = body as RunReplay;
    expect(result.rows.map((r) => (r.kind === 'step' ? `${r.nodeId}:${r.reason}` : r.kind === 'input' ? `input:${r.event?.name}:${r.outcome}` : r.kind))).toEqual([
      'entry',
      'trial:entered',
      'wait-upgrade:waiting-for-event',
      'input:feature_used:not-waiting-for-it',
      'input:upgraded:moved-on',
      'wait-upgrade:event-matched',
      'paid:exit-node',
      'exit',
    ]);
    expect(result.rows.find((r) => r.kind === 'input' && r.outcome === 'moved-on')).toMatchObject({ detail: 'upgraded arrived and the run moved on' });
    expect(result.rows.at(-1)).toMatchObject({ kind: 'exit', reason: 'exit-node', nodeId: 'paid' });
    expect(result.taken).toEqual(['trial:next', 'wait-upgrade:event']);
  });

  it('"send test" is visibly a test: [Test] before the email subject, SMS text, push and in-app title; webhooks carry Waymark-Test; audited, no message row', async () => {
    const before = (await rt.db.select().from(messages)).length;
    const test = async (channel: string, content: Record<string, unknown>, to?: string) => {
      const response = await owner('POST', `${ws}/channels/${channel}/test`, { content, ...(to ? { to } : {}) });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return outbox.at(-1)!.content;
    };
    expect(await test('email', { subject: 'Welcome to Acme, Ann!', html: '<p>Hi</p>' }, 'me@example.com')).toMatchObject({ subject: '[Test] Welcome to Acme, Ann!', html: '<p>Hi</p>' });
    expect(await test('sms', { text: 'Acme: your guide' }, '+15550100')).toEqual({ text: '[Test] Acme: your guide' });
    expect(await test('push', { title: 'Your project', body: 'Go' }, 'token')).toMatchObject({ title: '[Test] Your project', body: 'Go' });
    expect(await test('in-app', { title: 'Hello', body: 'There' })).toMatchObject({ title: '[Test] Hello' });
    expect(await test('webhook', { url: 'https://hooks.example.com/x', headers: { 'waymark-test': 'false', 'X-Team': 'growth' }, body: { a: 1 } })).toEqual({
      url: 'https://hooks.example.com/x',
      headers: { 'X-Team': 'growth', 'Waymark-Test': 'true' },
      body: { a: 1 },
    });
    expect(await test('webhook', { url: 'https://hooks.example.com/y' })).toMatchObject({ headers: { 'Waymark-Test': 'true' } });
    expect((await rt.db.select().from(messages)).length).toBe(before);
    const audit = await owner('GET', `${ws}/audit?action=channel.test-send`);
    expect(audit.body.items.map((a: { target: string }) => a.target).slice(0, 6)).toEqual(['webhook', 'webhook', 'in-app', 'push', 'sms', 'email']);
  });
});

describe('a preview that would take too long is stopped, and nobody waits for it', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let server: ReturnType<typeof serveApp>;
  let url: string;
  beforeAll(async () => {
    rt = await startTestRuntime();
    server = serveApp(rt.app.fetch, { port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await rt?.stop();
  });

  it('a loop through a one-minute wait with a costly template, for years: 422 preview-too-expensive after the budget, /health answered meanwhile, the next preview plays', async () => {
    const owner = await rt.signIn();
    const ws = `/api/workspaces/${rt.workspaceId}`;
    const bomb = '{% for a in (1..60) %}{% for b in (1..60) %}{% for c in (1..60) %}x{% endfor %}{% endfor %}{% endfor %}';
    const looping: JourneyDocumentInput = {
      schemaVersion: 1,
      id: 'loop',
      name: 'Loop',
      graph: {
        nodes: [
          { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Go' } } },
          { id: 'send', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: bomb, html: '<p>hi</p>' } } } },
          { id: 'minute', type: 'wait', position: { x: 0, y: 200 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'minutes' } } } },
        ],
        edges: [
          { id: 'a', source: 'start', sourceHandle: 'next', target: 'send' },
          { id: 'b', source: 'send', sourceHandle: 'next', target: 'minute' },
          { id: 'c', source: 'minute', sourceHandle: 'next', target: 'send' },
        ],
      },
    };
    const { body: journey } = await owner('POST', `${ws}/journeys`, { name: 'Loop', document: looping });
    const body = (horizon: { amount: number; unit: string }) => ({
      customer: { profile: { channels: { email: { address: 'a@example.com' } } } },
      story: { entry: { kind: 'event', at: '2026-11-25T10:00:00Z' }, horizon },
    });
    // Warm the preview thread, so the budget below is all play.
    const short = await owner('POST', `${ws}/journeys/${journey.id}/preview`, body({ amount: 3, unit: 'minutes' }));
    expect(short.status, JSON.stringify(short.body)).toBe(200);

    const started = Date.now();
    const slow = owner('POST', `${ws}/journeys/${journey.id}/preview`, body({ amount: 1_000, unit: 'weeks' }));
    const health: number[] = [];
    let done = false;
    const finished = () => {
      done = true;
    };
    slow.then(finished, finished);
    while (!done) {
      const t = performance.now();
      await (await fetch(`${url}/health`)).text();
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
    const response = await slow;
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'preview-too-expensive', details: { budgetMs: 5_000 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    expect(health.length).toBeGreaterThan(10);
    // Relative, not a fixed threshold: on the HTTP thread the slowest answer would be the whole 5 s play.
    expect(Math.max(...health)).toBeLessThan((Date.now() - started) / 4);

    const after = await owner('POST', `${ws}/journeys/${journey.id}/preview`, body({ amount: 3, unit: 'minutes' }));
    expect(after.status).toBe(200);
    expect((after.body as PreviewResult).rows.filter((r) => r.kind === 'step' && r.nodeId === 'send')).toHaveLength(4);
  });
});
