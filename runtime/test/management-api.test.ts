import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '@waymark/examples';
import { memberships, users } from '../src/db/schema.ts';
import { hashPassword } from '../src/services/auth/passwords.ts';
import { eventually } from './support/test-database.ts';
import { startTestRuntime } from './support/test-runtime.ts';

const welcome = examples.find((e) => e.id === 'welcome-series')!.document;

describe('management API', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  let ws: string;
  beforeAll(async () => {
    rt = await startTestRuntime();
    owner = await rt.signIn();
    ws = `/api/workspaces/${rt.workspaceId}`;
  });
  afterAll(async () => rt?.stop());

  it('refuses unauthenticated calls and wrong passwords', async () => {
    expect((await rt.app.request(`${ws}/journeys`)).status).toBe(401);
    const bad = await rt.app.request('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: rt.owner.email, password: 'nope' }) });
    expect(bad.status).toBe(401);
    expect((await owner('GET', '/api/me')).body).toMatchObject({ kind: 'user', email: rt.owner.email });
  });

  it('creates, saves (with conflict detection), publishes, pauses and versions a journey', async () => {
    const created = await owner('POST', `${ws}/journeys`, { name: 'Welcome', document: welcome });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const saved = await owner('PUT', `${ws}/journeys/${id}`, { document: { ...welcome, name: 'Welcome v2' }, revision: 1 });
    expect(saved.body).toMatchObject({ name: 'Welcome v2', revision: 2 });
    const stale = await owner('PUT', `${ws}/journeys/${id}`, { document: welcome, revision: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'draft-conflict', details: { revision: 2 } });

    const published = await owner('POST', `${ws}/journeys/${id}/publish`);
    expect(published.body).toEqual({ version: 1 });
    expect((await owner('POST', `${ws}/journeys/${id}/pause`)).body).toEqual({ status: 'paused' });
    expect((await owner('POST', `${ws}/journeys/${id}/resume`)).body).toEqual({ status: 'live' });
    expect((await owner('POST', `${ws}/journeys/${id}/publish`)).body).toEqual({ version: 2 });
    const versions = await owner('GET', `${ws}/journeys/${id}/versions`);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const v1 = await owner('GET', `${ws}/journeys/${id}/versions/1`);
    expect(v1.body.machine.states['welcome-email'].type).toBe('send');
    const list = await owner('GET', `${ws}/journeys?q=v2`);
    expect(list.body).toEqual([expect.objectContaining({ id, name: 'Welcome v2', status: 'live', liveVersion: 2, activeCustomers: 0 })]);
    const exported = await owner('GET', `${ws}/journeys/${id}/export`);
    expect(exported.body.graph.nodes).toHaveLength(welcome.graph.nodes.length);
    const copy = await owner('POST', `${ws}/journeys/${id}/duplicate`);
    expect(copy.body.name).toBe('Welcome v2 (copy)');
    expect((await owner('DELETE', `${ws}/journeys/${copy.body.id}`)).status).toBe(204);
    expect((await owner('GET', `${ws}/journeys/${copy.body.id}`)).status).toBe(404);
  });

  it('publishing an invalid journey answers 422 with the CompileError list', async () => {
    const broken = { ...welcome, graph: { ...welcome.graph, edges: welcome.graph.edges.filter((e) => e.sourceHandle !== 'no') } };
    const { body } = await owner('POST', `${ws}/journeys/import`, { document: broken });
    const refused = await owner('POST', `${ws}/journeys/${body.id}/publish`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('journey-invalid');
    expect(refused.body.error.details).toContainEqual(expect.objectContaining({ code: 'dangling-handle', nodeId: 'opened-welcome', field: 'no' }));
  });

  it('bad bodies are 400 naming the field', async () => {
    const bad = await owner('POST', `${ws}/journeys`, { name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid-request', details: { field: 'name' } });
  });

  it('roles: a viewer reads but cannot edit; an editor cannot publish; tokens are scoped to their workspace', async () => {
    const viewer = await owner('POST', `${ws}/keys`, { kind: 'token', name: 'dashboard', role: 'viewer' });
    const asViewer = rt.asToken(viewer.body.secret);
    expect((await asViewer('GET', `${ws}/journeys`)).status).toBe(200);
    const denied = await asViewer('POST', `${ws}/journeys`, { name: 'x' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('This needs the editor role; you are a viewer.');
    const editor = rt.asToken((await owner('POST', `${ws}/keys`, { kind: 'token', name: 'ci', role: 'editor' })).body.secret);
    const draft = await editor('POST', `${ws}/journeys`, { name: 'Edited', document: welcome });
    expect(draft.status).toBe(201);
    expect((await editor('POST', `${ws}/journeys/${draft.body.id}/publish`)).status).toBe(403);

    const other = await owner('POST', '/api/workspaces', { name: 'Second brand' });
    expect(other.status).toBe(201);
    expect((await asViewer('GET', `/api/workspaces/${other.body.id}/journeys`)).status).toBe(404);
    expect((await asViewer('GET', `/api/workspaces/${other.body.id}/journeys/${draft.body.id}`)).status).toBe(404);
    expect((await owner('GET', `/api/workspaces/${other.body.id}/journeys/${draft.body.id}`)).status).toBe(404);
  });

  it('keys rotate and revoke; a revoked token stops working; owners set roles; the audit log records it', async () => {
    const made = await owner('POST', `${ws}/keys`, { kind: 'token', name: 'temp', role: 'owner' });
    const rotated = await owner('POST', `${ws}/keys/${made.body.id}/rotate`);
    expect(rotated.status).toBe(201);
    expect((await rt.asToken(made.body.secret)('GET', `${ws}/journeys`)).status).toBe(401);
    expect((await rt.asToken(rotated.body.secret)('GET', `${ws}/journeys`)).status).toBe(200);
    expect((await owner('DELETE', `${ws}/keys/${rotated.body.id}`)).status).toBe(204);
    expect((await rt.asToken(rotated.body.secret)('GET', `${ws}/journeys`)).status).toBe(401);

    await rt.db.insert(users).values({ id: 'u-eve', email: 'eve@example.com', passwordHash: await hashPassword('correct horse') });
    await rt.db.insert(memberships).values({ workspaceId: rt.workspaceId, userId: 'u-eve', role: 'viewer' });
    expect((await owner('PUT', `${ws}/members`, { email: 'eve@example.com', role: 'publisher' })).body).toEqual({ email: 'eve@example.com', role: 'publisher' });
    const eve = await rt.signIn('eve@example.com', 'correct horse');
    expect((await eve('GET', `${ws}/keys`)).status).toBe(403);
    const audit = await owner('GET', `${ws}/audit`);
    const actions = audit.body.items.map((a: { action: string }) => a.action);
    for (const action of ['journey.publish', 'journey.pause', 'journey.resume', 'journey.archive', 'member.role', 'key.rotate', 'key.revoke']) expect(actions).toContain(action);
  });

  it('customers: search, the single customer view with journeys and messages, stats, and erasure', async () => {
    const { body } = await owner('POST', `${ws}/journeys/import`, { document: welcome });
    await owner('POST', `${ws}/journeys/${body.id}/publish`);
    await rt.ingest('identify', { userId: 'zoe', messageId: 'z1', traits: { first_name: 'Zoe', email: 'zoe@example.com', plan: 'pro', timezone: 'Europe/London' } });
    await rt.ingest('track', { userId: 'zoe', messageId: 'z2', event: 'signed_up', timestamp: '2026-11-25T14:00:00Z' });
    const found = await eventually(async () => {
      const r = await owner('GET', `${ws}/customers?q=zoe@example`);
      return r.body.total === 1 && r.body.items;
    });
    const view = await rt.eventually(async () => {
      const r = await owner('GET', `${ws}/customers/${found[0].id}`);
      // The view is read by several statements, not one snapshot: a poll can see the message sent but the run not yet (its batch committed in between).
      return (
        r.body.timeline.items.some((i: { kind: string; action: string; journeyId: string }) => i.kind === 'message' && i.action === 'sent' && i.journeyId === body.id) &&
        r.body.runs.some((run: { journeyId: string }) => run.journeyId === body.id) &&
        r.body
      );
    });
    expect(view.identities).toEqual([
      { kind: 'user_id', value: 'zoe' },
      { kind: 'email', value: 'zoe@example.com' },
    ]);
    expect(view.channels).toContainEqual({ channel: 'email', address: 'zoe@example.com', consent: null, preferred: false, bounced: false });
    const events = view.timeline.items.filter((i: { kind: string }) => i.kind === 'event');
    expect(events.map((e: { type: string }) => e.type)).toEqual(['track', 'identify']);
    // The welcome journey published by an earlier test is live too: Zoe is in both, each on its own run.
    expect(view.runs).toContainEqual(expect.objectContaining({ journeyId: body.id, status: 'active', currentStep: 'Wait 2 days' }));
    expect(view.timeline.items.find((i: { kind: string; journeyId: string }) => i.kind === 'message' && i.journeyId === body.id)).toMatchObject({
      channel: 'email',
      action: 'sent',
      summary: 'Welcome to Acme, Zoe!',
    });

    const stats = await owner('GET', `${ws}/journeys/${body.id}/stats`);
    expect(stats.body.nodes['welcome-email']).toMatchObject({ entered: 1, 'left:next': 1, queued: 1, sent: 1 });
    expect(stats.body.nodes['two-days']).toMatchObject({ entered: 1, waiting: 1 });

    expect((await owner('DELETE', `${ws}/customers/${found[0].id}`)).status).toBe(204);
    expect((await owner('GET', `${ws}/customers/${found[0].id}`)).status).toBe(404);
    expect((await owner('GET', `${ws}/customers?q=zoe`)).body).toEqual({ total: 0, items: [] });
  });

  it('serves an OpenAPI description of the API', async () => {
    const response = await rt.app.request('/api/openapi.json');
    const doc = (await response.json()) as { openapi: string; paths: Record<string, object> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/batch', '/api/workspaces/{workspaceId}/journeys/{id}/publish']));
  });
});

describe('the workspace catalog', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(async () => rt?.stop());

  it('lists trait names and event names with their properties, as the data has them', async () => {
    await rt.ingest('batch', {
      batch: [
        { type: 'identify', userId: 'ada', messageId: 'c1', traits: { first_name: 'Ada', plan: 'pro' } },
        { type: 'identify', userId: 'bo', messageId: 'c2', traits: { city: 'Lyon' } },
        { type: 'track', userId: 'ada', event: 'cart_abandoned', messageId: 'c3', properties: { cartId: 'c', total: 3 } },
        { type: 'track', userId: 'bo', event: 'cart_abandoned', messageId: 'c4', properties: { items: [] } },
        { type: 'track', userId: 'bo', event: 'signed_up', messageId: 'c5' },
      ],
    });
    const owner = await rt.signIn();
    const catalog = (await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/catalog`)).body;
    expect(catalog.traits).toEqual(expect.arrayContaining(['city', 'first_name', 'plan']));
    expect(catalog.events).toEqual({ cart_abandoned: { properties: ['cartId', 'items', 'total'] }, signed_up: { properties: [] } });
  });
});
