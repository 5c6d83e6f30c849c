import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, scryptSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../src/channels/webhook-signature.ts';
import { memberships, users } from '../src/db/schema.ts';
import { derivations, hashPassword } from '../src/services/auth/passwords.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/** Signs in through the API as a browser would (Origin and Sec-Fetch-Site of the app itself). */
const signInRequest = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('sign-in resists guessing', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { publicUrl: 'https://waymark.example', allowPrivateNetworks: false });
    await rt.db.insert(users).values({ id: 'u-kim', email: 'kim@example.com', passwordHash: await hashPassword('right password') });
    await rt.db.insert(memberships).values({ workspaceId: rt.workspaceId, userId: 'u-kim', role: 'editor' });
  });
  afterAll(async () => rt?.stop());
  const attempt = (email: string, password: string, address = '203.0.113.9') =>
    rt.app.request('/api/sessions', signInRequest({ email, password }), { incoming: { socket: { remoteAddress: address } } });

  it('an unknown email does the same work and gets the same answer as a wrong password', async () => {
    const before = derivations.length;
    const known = await attempt('kim@example.com', 'wrong', '198.51.100.1');
    const afterKnown = derivations.length;
    const unknown = await attempt('nobody@example.com', 'wrong', '198.51.100.2');
    expect(afterKnown - before).toBe(1);
    expect(derivations.length - afterKnown).toBe(1);
    expect(derivations.slice(before).map((d) => d.N)).toEqual([2 ** 17, 2 ** 17]);
    expect([known.status, unknown.status]).toEqual([401, 401]);
    expect(await unknown.json()).toEqual(await known.json());
  });

  it('after five wrong passwords the account is locked (429 with Retry-After), even for the right one; the lock says nothing about whether the account exists', async () => {
    for (let i = 0; i < 4; i++) expect((await attempt('kim@example.com', `guess ${i}`, `192.0.2.${i}`)).status).toBe(401);
    const locked = await attempt('kim@example.com', 'right password', '192.0.2.99');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) await attempt('ghost@example.com', `guess ${i}`, `192.0.2.${50 + i}`);
    expect((await attempt('ghost@example.com', 'anything', '192.0.2.60')).status).toBe(429);
  });

  it('guesses sent all at once cannot slip past the lock: at most five are checked, the rest (the right password too) get 429', async () => {
    await rt.db.insert(users).values({ id: 'u-lee', email: 'lee@example.com', passwordHash: await hashPassword('lee password') });
    const before = derivations.length;
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt('lee@example.com', i === 20 ? 'lee password' : `guess ${i}`, `198.18.0.${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401 || s === 200).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(statuses.length - statuses.filter((s) => s === 401 || s === 200).length);
    expect(derivations.length - before).toBeLessThanOrEqual(5);
  });

  it('an IPv6 client counts by its /64, so new addresses from one network do not reset the count', async () => {
    for (let i = 0; i < 20; i++) await attempt(`v6-${i}@example.com`, 'x', `2001:db8:1:2::${(i + 1).toString(16)}`);
    expect((await attempt('owner@waymark.local', rt.owner.password, '2001:db8:1:2:ffff::1')).status).toBe(429);
    expect((await attempt('owner@waymark.local', rt.owner.password, '2001:db8:1:3::1')).status).toBe(200);
  });

  it('twenty failures from one address lock that address for every account', async () => {
    for (let i = 0; i < 20; i++) await attempt(`person${i}@example.com`, 'x', '203.0.113.50');
    const blocked = await attempt('owner@waymark.local', rt.owner.password, '203.0.113.50');
    expect(blocked.status).toBe(429);
    expect((await attempt('owner@waymark.local', rt.owner.password, '203.0.113.51')).status).toBe(200);
  });

  it('sign-ins, failed ones too, are in the audit log of the person’s workspaces', async () => {
    const owner = await rt.signIn();
    const audit = await owner('GET', `/api/workspaces/${rt.workspaceId}/audit?action=session`);
    const actions = audit.body.items.map((a: { action: string; target: string }) => `${a.action} ${a.target}`);
    expect(actions).toContain('session.sign-in owner@waymark.local');
    expect(actions).toContain('session.sign-in-failed kim@example.com');
    expect(actions.some((a: string) => a.includes('nobody@example.com'))).toBe(false);
    expect(audit.body.total).toBe(audit.body.items.length);
  });

  it('a hash from before the cost was raised still signs in, and is redone at today’s cost', async () => {
    const salt = randomBytes(16);
    const legacy = `scrypt$${salt.toString('base64url')}$${scryptSync('old secret', salt, 32).toString('base64url')}`;
    await rt.db.insert(users).values({ id: 'u-old', email: 'old@example.com', passwordHash: legacy });
    expect((await attempt('old@example.com', 'old secret', '198.51.100.77')).status).toBe(200);
    const [row] = await rt.db.select().from(users).where(eq(users.id, 'u-old'));
    expect(row!.passwordHash).toMatch(/^scrypt\$N=131072,r=8,p=1\$/);
  });

  it('the session cookie is Secure, HttpOnly and SameSite when the public URL is https', async () => {
    const ok = await attempt('owner@waymark.local', rt.owner.password, '198.51.100.80');
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(ok.headers.get('set-cookie')).toMatch(/Secure/);
    expect(ok.headers.get('set-cookie')).toMatch(/SameSite=Lax/);
  });
});

describe('cross-site requests, headers, owners, audit and webhooks', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  let cookie: string;
  let journeyId: string;
  let server: Server;
  let hookUrl: string;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const ws = () => `/api/workspaces/${rt.workspaceId}`;
  beforeAll(async () => {
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { allowPrivateNetworks: false });
    owner = await rt.signIn();
    const response = await rt.app.request('/api/sessions', signInRequest({ email: rt.owner.email, password: rt.owner.password }));
    cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    journeyId = (await owner('POST', `${ws()}/journeys`, { name: 'Cross-site target' })).body.id;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await rt?.stop();
    await new Promise((r) => server.close(r));
  });

  it('a cross-site write riding on the session cookie is refused (403); the same write from the app, or with a token, is not', async () => {
    const path = `${ws()}/journeys/${journeyId}/duplicate`;
    const forged = await rt.app.request(path, { method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'text/plain' }, body: 'x' });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('cross-site-request');
    const fetchMeta = await rt.app.request(path, { method: 'POST', headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(fetchMeta.status).toBe(403);
    const nullOrigin = await rt.app.request(path, { method: 'POST', headers: { cookie, origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    const fromApp = await rt.app.request(`http://localhost${path}`, { method: 'POST', headers: { cookie, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' } });
    expect(fromApp.status).toBe(201);
    const token = (await owner('POST', `${ws()}/keys`, { kind: 'token', name: 'ci', role: 'editor' })).body.secret;
    const withToken = await rt.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' } });
    expect(withToken.status).toBe(201);
    const loginCsrf = await rt.app.request('/api/sessions', signInRequest({ email: rt.owner.email, password: rt.owner.password }, { origin: 'https://evil.example' }));
    expect(loginCsrf.status).toBe(403);
  });

  it('a non-JSON body on the API is 415', async () => {
    const plain = await rt.app.request(`${ws()}/journeys`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain' }, body: '{"name":"x"}' });
    expect(plain.status).toBe(415);
  });

  it('every answer carries the security headers; the app’s CSP allows only its own scripts and forbids framing', async () => {
    for (const path of ['/', '/health', `${ws()}/journeys`, '/t/o/00000000-0000-0000-0000-000000000000']) {
      const response = await rt.app.request(path, { headers: { cookie } });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('the last owner cannot be demoted or removed (409); with a second owner they can step down', async () => {
    const demote = await owner('PUT', `${ws()}/members`, { email: rt.owner.email, role: 'editor' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last-owner');
    expect((await owner('DELETE', `${ws()}/members/${encodeURIComponent(rt.owner.email)}`)).status).toBe(409);
    await rt.db.insert(users).values({ id: 'u-sam', email: 'sam@example.com', passwordHash: await hashPassword('sam password') });
    await rt.db.insert(memberships).values({ workspaceId: rt.workspaceId, userId: 'u-sam', role: 'viewer' });
    expect((await owner('PUT', `${ws()}/members`, { email: 'sam@example.com', role: 'owner' })).status).toBe(200);
    const sam = await rt.signIn('sam@example.com', 'sam password');
    expect((await sam('PUT', `${ws()}/members`, { email: rt.owner.email, role: 'publisher' })).status).toBe(200);
    expect((await sam('PUT', `${ws()}/members`, { email: 'sam@example.com', role: 'editor' })).status).toBe(409);
    expect((await sam('PUT', `${ws()}/members`, { email: rt.owner.email, role: 'owner' })).status).toBe(200);
  });

  it('webhooks cannot reach private addresses unless the workspace allows it; then they are signed with a secret that rotates', async () => {
    const test = (content: object) => owner('POST', `${ws()}/channels/webhook/test`, { content });
    const refused = await test({ method: 'POST', url: hookUrl, body: { hello: 1 } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toBe('The test webhook message was not sent: refused: private address.');
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[::1]:9/', 'http://2130706433/'])
      expect((await test({ method: 'GET', url })).body.error.message).toContain('refused: private address');
    expect(received).toHaveLength(0);

    expect((await owner('PATCH', `${ws()}/settings`, { allowPrivateNetworks: true })).body).toMatchObject({ allowPrivateNetworks: true });
    expect((await owner('PATCH', `${ws()}/settings`, { allowPrivateNetworks: 'yes' })).status).toBe(400);
    const sent = await test({ method: 'POST', url: hookUrl, headers: { 'Waymark-Signature': 'forged', 'X-Team': 'growth' }, body: { hello: 2 } });
    expect(sent.status).toBe(200);
    const { secret } = (await owner('POST', `${ws()}/webhook-secret/reveal`)).body;
    const first = received.at(-1)!;
    expect(first.headers['x-team']).toBe('growth');
    expect(first.headers['waymark-message-id']).toBe(sent.body.id);
    expect(verifyWebhookSignature(String(first.headers['waymark-signature']), { url: hookUrl, body: first.body }, secret, { now: rt.clock.now() })).toEqual({ ok: true });

    const rotated = await owner('POST', `${ws()}/webhook-secret/rotate`);
    expect(rotated.status).toBe(201);
    await test({ method: 'POST', url: hookUrl, body: { hello: 3 } });
    const second = received.at(-1)!;
    const header = String(second.headers['waymark-signature']);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhookSignature(header, { url: hookUrl, body: second.body }, rotated.body.secret, { now: rt.clock.now() })).toEqual({ ok: true });
    expect(verifyWebhookSignature(header, { url: hookUrl, body: second.body }, secret, { now: rt.clock.now() })).toEqual({ ok: true });
    expect((await owner('GET', `${ws()}/webhook-secret`)).body.secrets).toHaveLength(2);
  });

  it('the audit log records journey changes, keys, settings, secrets and test sends, in the order they happened, paged with a total', async () => {
    const imported = await owner('POST', `${ws()}/journeys/import`, { document: { schemaVersion: 1, name: 'Imported', graph: { nodes: [], edges: [] } } });
    const draft = (await owner('GET', `${ws()}/journeys/${journeyId}`)).body;
    for (let i = 0; i < 3; i++) {
      const saved = await owner('PUT', `${ws()}/journeys/${journeyId}`, { document: { ...draft.draft, name: `Saved ${i}` }, revision: draft.revision + i });
      expect(saved.status).toBe(200);
    }
    expect((await owner('DELETE', `${ws()}/journeys/${imported.body.id}`)).status).toBe(204);
    const page = await owner('GET', `${ws()}/audit?limit=100`);
    const actions = page.body.items.map((a: { action: string }) => a.action);
    for (const action of [
      'journey.create',
      'journey.import',
      'journey.duplicate',
      'journey.update',
      'journey.archive',
      'key.create',
      'member.role',
      'workspace.settings',
      'webhook-secret.reveal',
      'webhook-secret.rotate',
      'channel.test-send',
      'session.sign-in',
    ])
      expect(actions).toContain(action);
    // Three saves by one person within ten minutes are one entry.
    const saves = page.body.items.filter((a: { action: string; target: string }) => a.action === 'journey.update' && a.target === journeyId);
    expect(saves).toHaveLength(1);
    expect(saves[0].details).toMatchObject({ saves: 3, fromRevision: draft.revision + 1, revision: draft.revision + 3 });
    const second = await owner('GET', `${ws()}/audit?limit=2&offset=2`);
    expect(second.body.total).toBe(page.body.total);
    expect(second.body.items.map((a: { id: number }) => a.id)).toEqual(page.body.items.slice(2, 4).map((a: { id: number }) => a.id));
    expect((await owner('GET', `${ws()}/audit?limit=0`)).status).toBe(400);
  });
});
