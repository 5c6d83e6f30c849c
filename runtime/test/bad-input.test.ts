import { request as httpRequest } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { serveApp } from '../src/http/serve-app.ts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroupCommit, QueueFullError } from '../src/services/ingestion/group-commit.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/** A real HTTP request on loopback; streams `chunks` (chunked encoding when no length is given). */
function send(port: number, path: string, { headers = {}, chunks = [] as Buffer[], method = 'POST' } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    const write = async () => {
      for (const chunk of chunks) {
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        if (req.destroyed) return;
      }
      req.end();
    };
    void write().catch(() => {});
  });
}

describe('bad input fails only itself', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let server: ReturnType<typeof serveApp>;
  let port: number;
  let auth: string;
  beforeAll(async () => {
    rt = await startTestRuntime();
    server = serveApp(rt.app.fetch, { port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
    auth = `Basic ${Buffer.from(`${rt.writeKey}:`).toString('base64')}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await rt?.stop();
  });
  const countEvents = async () => (await rt.db.execute<{ n: number }>(sql`select count(*)::int as n from events`))[0]!.n;
  const post = (path: string, body: unknown) =>
    rt.app.request(path, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('refuses text PostgreSQL cannot store (NUL, lone surrogates) with 400 naming the call and the field; nothing of the request is kept', async () => {
    const before = await countEvents();
    const nul = await post('/v1/track', { userId: 'n', event: 'x', properties: { note: 'a\u0000b' } });
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ error: { code: 'unstorable-text', details: { index: null, field: 'properties.note' } } });
    // Raw JSON text with an escaped lone surrogate, as a client would send it.
    const lone = await post('/v1/batch', `{"batch":[{"type":"track","userId":"n","event":"ok"},{"type":"identify","userId":"n","traits":{"name":"\\ud83d"}}]}`);
    expect(lone.status).toBe(400);
    const body = (await lone.json()) as { error: { message: string; details: unknown } };
    expect(body.error.details).toEqual({ index: 1, field: 'traits.name' });
    expect(body.error.message).toContain('Call 1 of the batch');
    const key = await post('/v1/track', { userId: 'n', event: 'x', properties: { 'bad\u0000key': 1 } });
    expect(((await key.json()) as { error: { details: { field: string } } }).error.details.field).toBe('properties.bad\u0000key');
    const context = await post('/v1/batch', { batch: [{ type: 'track', userId: 'n', event: 'x' }], context: { ip: '\udc00' } });
    expect(context.status).toBe(400);
    expect(await countEvents()).toBe(before);
  });

  it('refuses a timestamp PostgreSQL cannot hold with 400 naming the field', async () => {
    const far = await post('/v1/track', { userId: 'n', event: 'x', timestamp: -8.64e15 });
    expect(far.status).toBe(400);
    expect(((await far.json()) as { error: { details: { field: string } } }).error.details.field).toBe('timestamp');
  });

  it('120 good batches sent at the same time as 30 poisoned requests: every good batch 200, every poisoned one 4xx, every good event stored', async () => {
    const before = await countEvents();
    const good = Array.from({ length: 120 }, (_, i) => ({ batch: Array.from({ length: 5 }, (_, j) => ({ type: 'track', userId: `g${i}`, event: 'Page Viewed', messageId: `good-${i}-${j}` })) }));
    const poisons = [
      { batch: [{ type: 'track', userId: 'p', event: 'x\u0000' }] },
      { batch: [{ type: 'identify', userId: 'p', traits: { name: '\ud800' } }] },
      { batch: [{ type: 'track', userId: 'p', event: 'x', timestamp: '-271821-04-20T00:00:00.000Z' }] },
    ];
    const requests = [
      ...good.map((body) => ({ body: JSON.stringify(body), good: true })),
      ...Array.from({ length: 30 }, (_, i) => ({ body: JSON.stringify(poisons[i % poisons.length]), good: false })),
    ].sort(() => Math.random() - 0.5);
    const answers = await Promise.all(
      requests.map(async (r) => ({ ...r, status: (await send(port, '/v1/batch', { headers: { authorization: auth, 'content-type': 'application/json' }, chunks: [Buffer.from(r.body)] })).status })),
    );
    expect(answers.filter((a) => a.good).map((a) => a.status)).toEqual(Array(120).fill(200));
    expect(answers.filter((a) => !a.good).every((a) => a.status >= 400 && a.status < 500)).toBe(true);
    expect(await countEvents()).toBe(before + 600);
  });

  it('a group commit that fails is split until only the failing request fails', async () => {
    const written: number[][] = [];
    const commit = createGroupCommit<number>(async (items) => {
      if (items.includes(13)) throw new Error('cannot store 13');
      written.push(items);
    });
    const results = await Promise.allSettled([1, 2, 13, 4, 5, 6, 7].map((n) => commit.submit([n])));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(written.flat().sort()).toEqual([1, 2, 4, 5, 6, 7]);
  });

  it('a full group-commit queue answers at once with QueueFullError (the API turns it into 503 with Retry-After)', async () => {
    let release = () => {};
    const commit = createGroupCommit<number>(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      { maxWaiting: 10 },
    );
    const first = commit.submit([1, 2, 3, 4, 5, 6, 7, 8]);
    await new Promise((r) => setImmediate(r));
    // The first eight are being written; ten more may wait, an eleventh may not.
    const waiting = commit.submit([9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    await expect(commit.submit([19])).rejects.toBeInstanceOf(QueueFullError);
    release();
    await first;
    await new Promise((r) => setImmediate(r));
    release();
    await waiting;
  });

  it('streams byte limits: a chunked body over the limit is 413 without being read whole, and the server still serves', async () => {
    // A raw socket, since Node's client reports the server closing mid-upload as an error even after the answer came.
    const answer = await new Promise<string>((resolve) => {
      let received = '';
      const socket = connect(port, '127.0.0.1');
      socket.on('data', (data) => {
        received += data.toString();
      });
      socket.on('close', () => resolve(received));
      socket.on('error', () => {});
      socket.write(`POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const chunk = `${(64 * 1024).toString(16)}\r\n${'a'.repeat(64 * 1024)}\r\n`;
      const pump = async () => {
        for (let i = 0; i < 40 && !socket.destroyed; i++) {
          socket.write(chunk);
          await new Promise((r) => setTimeout(r, 2));
        }
        if (!socket.destroyed) socket.end('0\r\n\r\n');
      };
      void pump();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain('payload-too-large');
    // Only the headers of a 10 MB body: the answer comes before any of it is sent.
    const declared = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(`POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`),
      );
      socket.setEncoding('utf8');
      socket.once('data', (data: string) => {
        socket.destroy();
        resolve(data);
      });
      socket.once('error', reject);
    });
    expect(declared).toMatch(/^HTTP\/1\.1 413/);
    expect((await send(port, '/health', { method: 'GET' })).status).toBe(200);
  });

  it('caps compressed and decompressed size on every route: gzip and deflate bombs are 413, an unknown encoding 415', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, ' '));
    const onIngest = await send(port, '/v1/batch', { headers: { authorization: auth, 'content-type': 'application/json', 'content-encoding': 'gzip' }, chunks: [bomb] });
    expect(onIngest.status).toBe(413);
    const onSignIn = await send(port, '/api/sessions', { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, chunks: [bomb] });
    expect(onSignIn.status).toBe(413);
    const brotli = await send(port, '/v1/track', { headers: { authorization: auth, 'content-type': 'application/json', 'content-encoding': 'br' }, chunks: [Buffer.from('{}')] });
    expect(brotli.status).toBe(415);
    const signInHuge = await send(port, '/api/sessions', { headers: { 'content-type': 'application/json' }, chunks: [Buffer.from(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(100_000) }))] });
    expect(signInHuge.status).toBe(413);
  });

  it('refuses JSON nested deeper than 32 levels with 400, on /v1 and /api', async () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const ingest = await post('/v1/batch', `{"batch":${deep}}`);
    expect(ingest.status).toBe(400);
    expect(((await ingest.json()) as { error: { code: string } }).error.code).toBe('too-deep');
    const api = await rt.app.request('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"email":${deep}}` });
    expect(api.status).toBe(400);
  });

  it('answers a bad path parameter with 400 naming it, not 500', async () => {
    const owner = await rt.signIn();
    const journey = await owner('POST', `/api/workspaces/${rt.workspaceId}/journeys`, { name: 'Params' });
    const version = await owner('GET', `/api/workspaces/${rt.workspaceId}/journeys/${journey.body.id}/versions/abc`);
    expect(version.status).toBe(400);
    expect(version.body.error.details).toEqual({ field: 'version' });
    const stats = await owner('GET', `/api/workspaces/${rt.workspaceId}/journeys/${journey.body.id}/stats?version=-1`);
    expect(stats.status).toBe(400);
  });
});
