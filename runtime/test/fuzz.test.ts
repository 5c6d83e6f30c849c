import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { serveApp } from '../src/http/serve-app.ts';
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { events } from '../src/db/schema.ts';
import { describeRequest, type RawRequest, type RawResponse, rawExchange } from './support/fuzz-http.ts';
import {
  type CallType,
  callFields,
  callTypes,
  commonFields,
  deepArray,
  deepObject,
  hostileJson,
  hostileText,
  malformedBodies,
  oddNumbers,
  percentBytes,
  rawSlot,
  setAt,
  spliceRaw,
  storable,
  validCall,
  wrongValues,
} from './support/fuzz-inputs.ts';
import { type BodyRoute, bodyRoutes, contractRefuses, idRoutes, listPaths, type RouteTargets } from './support/fuzz-routes.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/** Fixed seed, bounded runs: the same inputs every time, well under a minute in all. */
const runs = (numRuns: number) => ({ seed: 20_261_125, numRuns });

/** Whether a webhook "send test" body would make Waymark call a host other than this server: never sent (the suite stays on loopback). */
const webhookLeavesLoopback = (text: string, port: number) => {
  const url = (safeJson(text)?.content as Record<string, unknown> | undefined)?.url;
  const parsed = typeof url === 'string' ? URL.parse(url) : null;
  return parsed !== null && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host !== `127.0.0.1:${port}`;
};
function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

describe('hostile input to /v1 and /api on a real socket: a clear JSON 4xx, never a 500 or a dropped connection, and the server serves afterwards', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let server: ReturnType<typeof serveApp>;
  let port: number;
  let ws: string;
  let basic: string;
  let cookie: string;
  let token: string;
  let journeyId: string;
  let targets: RouteTargets;
  let alive = 0;

  beforeAll(async () => {
    rt = await startTestRuntime();
    server = serveApp(rt.app.fetch, { port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
    ws = `/api/workspaces/${rt.workspaceId}`;
    basic = `Basic ${Buffer.from(`${rt.writeKey}:`).toString('base64')}`;
    const signIn = await send({ path: '/api/sessions', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rt.owner) });
    expect(signIn.status).toBe(200);
    cookie = signIn.headers['set-cookie']!.split(';')[0]!;
    const key = await send(api('POST', `${ws}/keys`, { kind: 'token', name: 'Fuzz owner', role: 'owner' }));
    expect(key.status).toBe(201);
    token = JSON.parse(key.text).secret;
    const journey = await send(api('POST', `${ws}/journeys`, { name: 'Fuzz target' }));
    expect(journey.status).toBe(201);
    journeyId = JSON.parse(journey.text).id;
    targets = { ws, journeyId, port };
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await rt?.stop();
  });

  // After every group: the server is up, still ingests, and the call it acknowledged is stored.
  afterEach(async () => {
    expect((await send({ method: 'GET', path: '/health' })).status).toBe(200);
    const messageId = `still-alive-${++alive}`;
    const track = await send(ingest('track', JSON.stringify({ userId: 'fuzz-alive', event: 'Still Alive', messageId })));
    expect(track.status, track.text).toBe(200);
    const stored = await rt.db
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.workspaceId, rt.workspaceId), eq(events.messageId, messageId)));
    expect(stored).toHaveLength(1);
  });

  function send(request: RawRequest) {
    return rawExchange(request, port);
  }

  /** A POST to `/v1/<path>` with the write key. */
  function ingest(path: string, body: string | Buffer, headers: Record<string, string> = {}): RawRequest {
    return { method: 'POST', path: `/v1/${path}`, headers: { authorization: basic, 'content-type': 'application/json', ...headers }, body };
  }

  /** A management request signed in with the session cookie (default) or the owner API token. */
  function api(method: string, path: string, body?: unknown, as: 'cookie' | 'token' | 'none' = 'cookie', headers: Record<string, string> = {}): RawRequest {
    const auth: Record<string, string> = as === 'cookie' ? { cookie } : as === 'token' ? { authorization: `Bearer ${token}` } : {};
    const text = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return { method, path, headers: { ...auth, ...(text === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: text };
  }

  const bodyRequest = (route: BodyRoute, body: string | Buffer, as: 'cookie' | 'token' = 'cookie') =>
    route.writeKey ? api(route.method, route.path, body, 'none', { authorization: basic }) : api(route.method, route.path, body, route.signIn ? 'none' : as);
  /** Bodies not sent to a route: sign-ins that would reach the password check, known bugs (reproduced below), webhooks off loopback. */
  const notSent = (route: BodyRoute, text: string) => (route.signIn && !contractRefuses(route, text)) || webhookLeavesLoopback(text, port);
  const ingestPaths = [...callTypes, 'batch'];
  const singleOrBatch = (type: CallType, call: unknown) => [ingest(type, JSON.stringify(call)), ingest('batch', JSON.stringify({ batch: [call], sentAt: '2026-11-25T09:00:02Z' }))];
  /** A call with one field set to a raw JSON literal, alone and in a batch. */
  const withRaw = (type: CallType, field: string, raw: string) =>
    singleOrBatch(type, setAt(validCall(type), field, rawSlot())).map((r) => ({ ...r, body: spliceRaw(JSON.parse(r.body as string), [raw]) }));

  const shown = (request: RawRequest, response: RawResponse) => `${describeRequest(request)} → ${response.status} ${response.text.slice(0, 300)}`;

  /** Status below 500, and a 4xx carries `{ error: { code, message } }`. */
  function expectHandled(request: RawRequest, response: RawResponse) {
    expect(response.status, shown(request, response)).toBeLessThan(500);
    if (response.status < 400 || request.method === 'HEAD') return;
    const error = safeJson(response.text)?.error as { code?: unknown; message?: unknown } | undefined;
    expect(typeof error?.code === 'string' && typeof error.message === 'string' && error.message.length > 0, `no JSON error body: ${shown(request, response)}`).toBe(true);
  }

  /** Sends, checks the answer is handled (see `expectHandled`), returns it. A reset or hang-up rejects. */
  async function exchange(request: RawRequest) {
    const response = await send(request);
    expectHandled(request, response);
    return response;
  }

  /** Sends and expects a JSON 4xx (one of `statuses`, with `code`, when given). */
  async function refuse(request: RawRequest, statuses?: number[], code?: string) {
    const response = await exchange(request);
    expect(response.status, shown(request, response)).toBeGreaterThanOrEqual(400);
    if (statuses) expect(statuses, shown(request, response)).toContain(response.status);
    if (code) expect(safeJson(response.text)?.error, shown(request, response)).toMatchObject({ code });
    return response;
  }

  /** Runs every check (`limit` at a time) and fails once, listing every case that did not hold. */
  async function expectAll(checks: (() => Promise<unknown>)[], limit = 12) {
    const failures: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: limit }, async () => {
        while (next < checks.length) {
          const check = checks[next++]!;
          await check().catch((error: Error) => failures.push(error.message.split('\n')[0]!.slice(0, 600)));
        }
      }),
    );
    expect(failures, `${failures.length} of ${checks.length} cases failed:\n${failures.slice(0, 30).join('\n')}`).toEqual([]);
  }

  describe('malformed JSON', () => {
    it('truncated JSON, trailing garbage, wrong top-level types and invalid UTF-8 get a JSON 4xx on every /v1 endpoint; a leading BOM is ignored', async () => {
      const checks = ingestPaths.flatMap((path) => {
        const valid = JSON.stringify(path === 'batch' ? { batch: [validCall('track')] } : validCall(path as CallType));
        return malformedBodies(valid)
          .filter(([label]) => !(path === 'batch' && label === 'top-level null'))
          .map(([label, body]) => async () => {
            // RFC 8259 §8.1 lets a parser ignore a BOM; /v1 does (its UTF-8 decoder drops it).
            if (label === 'a UTF-8 BOM first') return expect((await exchange(ingest(path, body))).status).toBe(200);
            return refuse(ingest(path, body), [400, 413, 415]);
          });
      });
      await expectAll(checks);
    });

    it('the same malformed bodies get a JSON 4xx on every /api body route, signed in by cookie or by token; a leading BOM is ignored there too', async () => {
      const checks = bodyRoutes(targets).flatMap((route) =>
        malformedBodies(JSON.stringify(route.valid)).map(([label, body], i) => async () => {
          const request = bodyRequest(route, body, i % 2 ? 'cookie' : 'token');
          if (label !== 'a UTF-8 BOM first') return refuse(request, [400, 403, 413, 415]);
          const response = await exchange(request);
          // The body is the route's valid one: whatever it answers without the BOM (2xx, or a 4xx such as the last-owner 409).
          expect(response.status, shown(request, response)).toBeLessThan(500);
          if (response.status >= 400) expect((safeJson(response.text)?.error as { code?: string } | undefined)?.code, shown(request, response)).not.toBe('invalid-json');
        }),
      );
      await expectAll(checks);
    });
  });

  describe('wrong field types and unknown fields', () => {
    it('every field of every Segment call (track, identify, page, screen, group, alias), alone and in a batch, with a value of the wrong type: 200 or a JSON 400, never a 500', async () => {
      const checks = callTypes.flatMap((type) =>
        // Each value goes alone for one field and in a batch for the next, so both paths see every value and every field.
        [...commonFields, ...callFields[type]].flatMap((field, f) =>
          wrongValues.map(([, raw], v) => async () => {
            const request = withRaw(type, field, raw)[(f + v) % 2]!;
            expect([200, 400, 413], describeRequest(request)).toContain((await exchange(request)).status);
          }),
        ),
      );
      await expectAll(checks);
    });

    it('every field of every /api body with a value of the wrong type: what the contract refuses is a JSON 400, nothing is a 500', async () => {
      const cases = bodyRoutes(targets).flatMap((route) => route.fields.flatMap((field) => wrongValues.map(([, raw]) => ({ route, body: spliceRaw(setAt(route.valid, field, rawSlot()), [raw]) }))));
      const checks = cases
        .filter(({ route, body }) => !notSent(route, body))
        .map(({ route, body }) => async () => {
          const request = bodyRequest(route, body);
          const response = await exchange(request);
          if (contractRefuses(route, body)) expect(response.status, shown(request, response)).toBe(400);
        });
      await expectAll(checks);
    });

    it('unknown fields (__proto__, constructor, empty and dotted names) are ignored by /v1 (200) and never a 500 on /api', async () => {
      const extra = '"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"":1,"a.b":{"c":2},"unknownField":[1,2,3]';
      const checks = [
        ...callTypes.flatMap((type) => {
          const text = JSON.stringify(validCall(type));
          return [ingest(type, `{${extra},${text.slice(1)}`), ingest('batch', `{${extra},"batch":[{${extra},${text.slice(1)}]}`)].map(
            (request) => async () => expect((await exchange(request)).status, describeRequest(request)).toBe(200),
          );
        }),
        ...bodyRoutes(targets)
          .filter((route) => !route.signIn)
          .map((route) => () => exchange(bodyRequest(route, `{${extra},${JSON.stringify(route.valid).slice(1)}`))),
      ];
      await expectAll(checks);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('size, depth and numbers', () => {
    it('JSON nested 5,000 and 100,000 levels deep is a JSON 400 too-deep, or 413 when over the byte limit, on every /v1 endpoint and /api body route', async () => {
      const bodies = [5_000, 100_000].flatMap((levels) => [deepArray(levels), deepObject(levels)]);
      const requests = [
        ...ingestPaths.flatMap((path) => bodies.flatMap((deep) => [ingest(path, deep), ingest(path, `{"userId":"u","event":"e","batch":[${deep}],"properties":${deep}}`)])),
        ...bodyRoutes(targets).flatMap((route) => bodies.map((deep) => bodyRequest(route, `{"document":${deep},"name":${deep}}`))),
      ];
      await expectAll(
        requests.map((request) => () => refuse(request, [400, 413])),
        4,
      );
    });

    it('a body over the limit is a JSON 413 whether declared by Content-Length, sent whole or chunked, on /v1/track (32 KB), /v1/batch (500 KB), sign-in (16 KB) and /api (5 MB)', async () => {
      const limits: [RawRequest, number][] = [
        [ingest('track', ''), 32 * 1024],
        [ingest('batch', ''), 500 * 1024],
        [api('POST', '/api/sessions', '', 'none'), 16 * 1024],
        [api('POST', `${ws}/journeys`, ''), 5 * 1024 * 1024],
        [api('PATCH', `${ws}/settings`, '', 'token'), 5 * 1024 * 1024],
      ];
      const checks = limits.flatMap(([base, limit]) => {
        const over = Buffer.alloc(limit + 64 * 1024, ' ');
        return [
          // Only the headers: the answer comes before any of the body is sent.
          () => refuse({ ...base, body: undefined, contentLength: limit * 20 }, [413], 'payload-too-large'),
          () => refuse({ ...base, body: over }, [413], 'payload-too-large'),
          () => refuse({ ...base, body: over, chunkSize: 16 * 1024 }, [413], 'payload-too-large'),
          // Trickled in small chunks: the bytes as received are counted, not only a declared length.
          () => refuse({ ...base, body: Buffer.concat([Buffer.from('{"a":"'), over]), chunkSize: 1_000 }, [413], 'payload-too-large'),
        ];
      });
      await expectAll(checks, 2);
    });

    it('compressed bodies: a small gzip that inflates past the limit and a big incompressible gzip are 413, broken gzip is 400, an unsupported Content-Encoding is 415; valid gzip is accepted', async () => {
      const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, ' '));
      const deflateBomb = deflateSync(Buffer.alloc(20 * 1024 * 1024, '['));
      const targetsBySize: [RawRequest, number][] = [
        [ingest('track', ''), 32 * 1024],
        [ingest('batch', ''), 500 * 1024],
        [api('POST', '/api/sessions', '', 'none'), 16 * 1024],
        [api('POST', `${ws}/journeys`, ''), 5 * 1024 * 1024],
        [api('PUT', `${ws}/journeys/${journeyId}`, '', 'token'), 5 * 1024 * 1024],
      ];
      const valid = gzipSync(JSON.stringify(validCall('track')));
      const checks = targetsBySize.flatMap(([base, limit]) => {
        const headers = { ...base.headers, 'content-encoding': 'gzip' };
        return [
          () => refuse({ ...base, headers, body: bomb }, [413], 'payload-too-large'),
          () => refuse({ ...base, headers, body: bomb, chunkSize: 4_096 }, [413], 'payload-too-large'),
          () => refuse({ ...base, headers: { ...base.headers, 'content-encoding': 'deflate' }, body: deflateBomb }, [413], 'payload-too-large'),
          () => refuse({ ...base, headers, body: gzipSync(randomBytes(limit + 1024)) }, [413], 'payload-too-large'),
          () => refuse({ ...base, headers, body: Buffer.from('this is not gzip') }, [400], 'invalid-encoding'),
          () => refuse({ ...base, headers, body: valid.subarray(0, valid.byteLength - 12) }, [400]),
          () => refuse({ ...base, headers, body: gzipSync(deepArray(50_000)) }, [400, 413]),
          () => refuse({ ...base, headers, body: gzipSync('{"batch":[{"a":"\\u0000"}],"a":"\\u0000"}') }, [400], 'unstorable-text'),
          ...['br', 'zstd', 'compress', 'gzip, gzip', 'identity, gzip', 'x-custom', ''].map(
            (encoding) => () => refuse({ ...base, headers: { ...base.headers, 'content-encoding': encoding }, body: valid }, [415], 'unsupported-encoding'),
          ),
        ];
      });
      await expectAll(checks, 2);
      expect((await exchange(ingest('track', valid, { 'content-encoding': 'gzip' }))).status).toBe(200);
    });

    it('arrays of 100,000 elements within the byte limit: too many calls or a call over 32 KB is 413, an /api list over its maximum is 400, a journey past 2,000 steps is 400 and one at the limit is stored, read, copied and checked; never a 500', async () => {
      const zeros = `[${Array(100_000).fill(0).join(',')}]`;
      await refuse(ingest('batch', `{"batch":${zeros}}`), [413], 'too-many-calls');
      await refuse(ingest('batch', `{"batch":[${Array(100_000).fill('{}').join(',')}]}`), [413], 'too-many-calls');
      await refuse(ingest('batch', `{"batch":[{"type":"track","userId":"u","event":"e","properties":{"list":${zeros}}}]}`), [413], 'call-too-large');
      await refuse(ingest('track', `{"userId":"u","event":"e","properties":{"list":${zeros}}}`), [413], 'payload-too-large');
      await exchange(ingest('batch', `{"batch":[{"type":"track","userId":"u","event":"e"}],"context":{"list":${zeros}}}`));
      await refuse(api('POST', `${ws}/dead-letters/retry`, `{"ids":${zeros.replaceAll('0', '1')}}`), [400], 'invalid-request');
      await refuse(api('POST', `${ws}/keys`, `{"kind":"write","name":${zeros}}`), [400], 'invalid-request');
      await refuse(api('PUT', `${ws}/members`, `{"email":"a@example.com","role":${zeros}}`, 'token'), [400], 'invalid-request');
      const tooWide = await refuse(api('POST', `${ws}/journeys`, `{"name":"Wide","document":{"schemaVersion":1,"graph":{"nodes":${zeros},"edges":${zeros}}}}`), [400], 'invalid-request');
      expect(tooWide.text).toContain('at most 2,000 steps');
      const atLimit = `[${Array(2_000).fill(0).join(',')}]`;
      const big = await exchange(api('POST', `${ws}/journeys`, `{"name":"Wide","document":{"schemaVersion":1,"graph":{"nodes":${atLimit},"edges":${atLimit}}}}`));
      expect(big.status).toBe(201);
      const id = JSON.parse(big.text).id;
      expect((await exchange(api('GET', `${ws}/journeys/${id}/export`, undefined, 'token'))).status).toBe(200);
      expect((await exchange(api('POST', `${ws}/journeys/${id}/duplicate`))).status).toBe(201);
      await refuse(api('POST', `${ws}/journeys/${id}/publish`), [422], 'journey-invalid');
    });

    it('huge and odd numbers (1e400, -0, 2^31, 2^53±1, 2^64, 400 digits) in every numeric or id field of /v1 and /api: never a 500', async () => {
      // Alone for half of the numbers, in a batch for the other half: both go through the same call parser.
      const segment = callTypes.flatMap((type) =>
        ['userId', 'anonymousId', 'messageId', 'timestamp', 'sentAt', 'context.timezone', ...callFields[type], `${callFields[type].at(-1)}.n`].flatMap((field) =>
          oddNumbers.map((raw, i) => async () => {
            const request = withRaw(type, field, raw)[i % 2]!;
            expect([200, 400]).toContain((await exchange(request)).status);
          }),
        ),
      );
      const management = bodyRoutes(targets)
        .filter((route) => !route.signIn)
        .flatMap((route) =>
          [...route.fields, ...(route.fields.includes('ids') ? ['ids.0'] : [])].flatMap((field) => oddNumbers.map((raw) => ({ route, body: spliceRaw(setAt(route.valid, field, rawSlot()), [raw]) }))),
        )
        .filter(({ route, body }) => !notSent(route, body))
        .map(
          ({ route, body }) =>
            () =>
              exchange(bodyRequest(route, body)),
        );
      const inUrl = ['0', '-0', '1e400', '2147483648', '9007199254740993', `1${'0'.repeat(400)}`].flatMap((n) => [
        () => refuse(api('GET', `${ws}/journeys/${journeyId}/versions/${n}`)),
        () => exchange(api('GET', `${ws}/journeys/${journeyId}/stats?version=${n}`, undefined, 'token')),
        () => exchange(api('GET', `${ws}/audit?limit=${n}&offset=${n}`)),
        () => exchange(api('POST', `${ws}/dead-letters/retry`, `{"ids":[${n}]}`)),
      ]);
      await expectAll([...segment, ...management, ...inUrl]);
    });
  });

  describe('text PostgreSQL cannot store', () => {
    it('NUL and lone surrogates, written as JSON escapes in values and in keys, are a 400 unstorable-text on every /v1 endpoint and /api body route', async () => {
      const checks = ['\\u0000', 'a\\u0000b', '\\ud800', '\\udfff', 'x\\ud83d'].flatMap((bad) => {
        const inCalls = callTypes.flatMap((type) => {
          const call = JSON.stringify(validCall(type)).slice(0, -1);
          const variants = [
            `${call},"properties":{"note":"${bad}"},"traits":{"note":"${bad}"}}`,
            `${call},"properties":{"${bad}":1},"traits":{"k${bad}":1}}`,
            `${call},"userId":"${bad}"}`,
            `${call},"context":{"page":{"${bad}":["${bad}"]}}}`,
          ];
          return variants.flatMap((text) => [ingest(type, text), ingest('batch', `{"batch":[${text}]}`)]);
        });
        const inBatch = [`"context":{"ip":"${bad}"}`, `"context":{"${bad}":"1"}`].map((field) => ingest('batch', `{"batch":[${JSON.stringify(validCall('track'))}],${field}}`));
        const inApi = bodyRoutes(targets).flatMap((route) => {
          const text = JSON.stringify(route.valid).slice(0, -1);
          return [bodyRequest(route, `${text},"${route.fields[0]}":"${bad}"}`), bodyRequest(route, `${text},"x${bad}":1}`, 'token')];
        });
        return [...inCalls, ...inBatch, ...inApi].map((request) => () => refuse(request, [400], 'unstorable-text'));
      });
      await expectAll(checks);
    });

    it('lone surrogates and other odd text in path parameters and query strings are a page or a JSON 4xx (NUL included)', async () => {
      const odd = ['%ED%A0%80', '%ED%B0%80', '%EF%BF%BF', '%C0%80', '%E2%80%AE', '%07', '%1B%5B31m'];
      const checks = odd.flatMap((text) => [
        ...idRoutes(targets, text).map(
          ([method, path]) =>
            () =>
              exchange(api(method, path)),
        ),
        ...listPaths(targets).map((list) => () => exchange(api('GET', `${list}?q=${text}&action=${text}&kind=${text}`, undefined, 'token'))),
      ]);
      await expectAll(checks);
    });
  });

  describe('paths, query strings, methods and credentials', () => {
    const oddIds = [
      '%ED%A0%80',
      '%FF',
      '%',
      '%zz',
      '%F0%9F%98%80',
      '%E2%80%AE',
      'a'.repeat(5_000),
      '..',
      '%2e%2e',
      '%2F',
      'a%2Fb',
      '%20',
      '+',
      "'",
      '%22',
      '%5C',
      '%C0%80',
      '__proto__',
      'constructor',
    ];

    it('odd path parameters (lone-surrogate bytes, 5,000-character ids, unicode, bad percent-encoding, version abc) are a JSON 4xx on every route that takes one (NUL included)', async () => {
      const requests = oddIds.flatMap((id, i) => idRoutes(targets, id).map(([method, path], r) => api(method, path, undefined, (i + r) % 2 ? 'cookie' : 'token')));
      requests.push(api('GET', `/api/workspaces/x/journeys/abc/versions/abc`), api('GET', `${ws}/journeys/${journeyId}/versions/abc`, undefined, 'token'));
      await expectAll(requests.map((request) => () => refuse(request)));
    });

    it('odd query strings (limit=-1, offset=1e9, repeated keys, 5,000 characters) on every list are a page or a JSON 400, never a 500 (NUL included)', async () => {
      const queries = [
        'limit=-1',
        'limit=0',
        'limit=1e9',
        'limit=501',
        'limit=abc',
        'limit=',
        'limit=1.5',
        'limit=%00',
        'offset=1e9',
        'offset=-1',
        'offset=99999999999',
        'limit=1&limit=2',
        'limit[]=1',
        'offset=1&offset=x',
        'q=%ED%A0%80',
        'q=%25',
        'q=_',
        'q=%',
        'q=%zz',
        `q=${'%F0%9F%98%80'.repeat(1_000)}`,
        'q=a&q=b',
        'version=0',
        'version=1e400',
        'version=9007199254740993',
        'version=-1',
        'version=%00',
        'version=all&from=0000-00-00&to=9999-99-99',
        'from=2026-13-45',
        'from=2026-11-30&to=2026-11-01',
        'state=__proto__&page=0&pageSize=100000',
        'kind=__proto__',
        'kind=%00',
        'status=%00',
        'action=%25',
        'action=%5C',
        '%00=%00',
        '&&&==&',
      ];
      const checks = listPaths(targets).flatMap((list) => queries.map((query, i) => () => exchange(api('GET', `${list}?${query}`, undefined, i % 2 ? 'cookie' : 'token'))));
      await expectAll(checks);
    });

    it('wrong methods on every route are a JSON 401/404 (HEAD: no body), and an Upgrade request is answered as a normal one', async () => {
      const wrong: [string, string][] = [
        // OPTIONS on /v1 is a CORS preflight (204 before the key is checked: browsers send no credentials with it).
        ...callTypes.flatMap((type): [string, string][] => ['GET', 'PUT', 'DELETE', 'PATCH'].map((method) => [method, `/v1/${type}`])),
        ['GET', '/v1/batch'],
        ['TRACE', '/v1/batch'],
        ['PROPFIND', '/v1/track'],
        ['GET', '/api/sessions'],
        ['PUT', '/api/sessions'],
        ['PATCH', '/api/sessions'],
        ['PUT', '/api/workspaces'],
        ['DELETE', '/api/workspaces'],
        ['PATCH', `${ws}/journeys`],
        ['POST', `${ws}/journeys/${journeyId}`],
        ['PATCH', `${ws}/journeys/${journeyId}`],
        ['GET', `${ws}/journeys/${journeyId}/publish`],
        ['PUT', `${ws}/settings`],
        ['DELETE', `${ws}/settings`],
        ['GET', `${ws}/keys/x/rotate`],
        ['POST', `${ws}/members/a@example.com`],
        ['GET', `${ws}/dead-letters/retry`],
        ['PURGE', `${ws}/journeys`],
        ['TRACE', `${ws}/journeys`],
        ['OPTIONS', `${ws}/journeys`],
        ['PUT', '/health'],
      ];
      const requests = wrong.flatMap(([method, path]): RawRequest[] =>
        path.startsWith('/v1/')
          ? [
              { method, path, headers: { authorization: basic } },
              { method, path },
            ]
          : [api(method, path, undefined, 'cookie'), api(method, path, undefined, 'token')],
      );
      await expectAll(requests.map((request) => () => refuse(request, [401, 404])));
      for (const path of ['/v1/track', `${ws}/journeys`]) await exchange({ method: 'HEAD', path, headers: { authorization: basic, cookie } });
      const upgrade = await exchange({
        ...ingest('track', JSON.stringify(validCall('track'))),
        headers: { authorization: basic, 'content-type': 'application/json', connection: 'Upgrade', upgrade: 'websocket' },
      });
      expect(upgrade.status).toBe(200);
    });

    it('wrong or missing credentials: /v1 answers 401 invalid-write-key and /api 401 unauthenticated, for garbage Basic, empty user names, other schemes and 8 KB tokens', async () => {
      const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
      const long = 'A'.repeat(8_000);
      const v1: (string | undefined)[] = [
        undefined,
        '',
        'Basic',
        'Basic ',
        'Basic !!!!',
        'Basic ====',
        'Basic %%%',
        `Basic ${b64(':')}`,
        `Basic ${b64(`:${rt.writeKey}`)}`,
        `Basic ${b64('\u0000:')}`,
        `Basic ${b64('\u00ff\u00fe:')}`,
        `Basic ${b64(`${rt.writeKey}x:`)}`,
        `Basic ${long}`,
        `Basic ${b64(`${long}:`)}`,
        `basic ${b64(`${rt.writeKey}:`)}`,
        `Bearer ${rt.writeKey}`,
        `Bearer ${token}`,
        `Basic ${b64(`${token}:`)}`,
        'Basic \u00ff\u00fe',
      ];
      const checks = v1.flatMap((authorization) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) };
        return [
          () => refuse({ method: 'POST', path: '/v1/track', headers, body: JSON.stringify(validCall('track')) }, [401], 'invalid-write-key'),
          () => refuse({ method: 'POST', path: '/v1/batch', headers, body: JSON.stringify({ batch: [validCall('track')] }) }, [401], 'invalid-write-key'),
        ];
      });
      const management: Record<string, string>[] = [
        {},
        { authorization: 'Bearer' },
        { authorization: 'Bearer ' },
        { authorization: 'Bearer wt_' },
        { authorization: `Bearer wt_${long}` },
        { authorization: `Bearer ${rt.writeKey}` },
        { authorization: `Basic ${b64(`${token}:`)}` },
        { authorization: `bearer ${token}` },
        { authorization: `Bearer ${token}\u00ff` },
        { authorization: `Bearer ${token.slice(0, -1)}`, cookie },
        { cookie: 'waymark_session=' },
        { cookie: 'waymark_session=%00' },
        { cookie: 'waymark_session=%ZZ; waymark_session=x' },
        { cookie: `waymark_session=${long}` },
        { cookie: `other=1; ${cookie}x` },
        { cookie: '=; ;;=;' },
      ];
      for (const headers of management) {
        checks.push(
          () => refuse({ method: 'GET', path: `${ws}/journeys`, headers }, [401], 'unauthenticated'),
          () => refuse({ method: 'POST', path: `${ws}/journeys`, headers: { ...headers, 'content-type': 'application/json' }, body: '{"name":"x"}' }, [401], 'unauthenticated'),
          () => refuse({ method: 'GET', path: '/api/me', headers }, [401], 'unauthenticated'),
        );
      }
      await expectAll(checks);
    });

    it('headers past Node’s 16 KB limit are answered 431 by Node’s HTTP parser (no JSON body: the app never sees them), not dropped', async () => {
      const response = await send({ ...ingest('track', '{}'), headers: { authorization: `Basic ${'A'.repeat(20_000)}` } });
      expect(response.status).toBe(431);
    });
  });

  describe('properties (fast-check, fixed seed, bounded runs)', () => {
    const auth = fc.constantFrom<'cookie' | 'token'>('cookie', 'token');

    it('P1: a valid Segment call with any one field (or a new one) set to any JSON value, alone or in a batch, is 200 or a JSON 4xx', async () => {
      const field = fc.oneof(fc.constantFrom(...commonFields, 'event', 'properties', 'traits', 'name', 'groupId', 'previousId'), hostileText);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...callTypes), field, hostileJson, fc.boolean(), async (type, name, value, batched) => {
          const request = singleOrBatch(type, { ...validCall(type), [name]: value })[batched ? 1 : 0]!;
          expect([200, 400, 413], describeRequest(request)).toContain((await exchange(request)).status);
        }),
        runs(150),
      );
    });

    it('P2: any string as a property value, a property name or a userId is stored exactly when PostgreSQL can store it, and is a 400 unstorable-text when it cannot (NUL, lone surrogate)', async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...callTypes), fc.constantFrom('value', 'key', 'userId'), hostileText, async (type, where, text) => {
          const messageId = `p2-${++n}`;
          const base = { ...validCall(type), messageId };
          const call =
            where === 'value'
              ? { ...base, properties: { v: text }, traits: { v: text } }
              : where === 'key'
                ? { ...base, properties: { [text]: 1 }, traits: { [text]: 1 } }
                : { ...base, userId: text, anonymousId: 'fuzz-anon' };
          const request = ingest(type, JSON.stringify(call));
          const response = await exchange(request);
          if (!storable(text)) {
            expect(response.status, shown(request, response)).toBe(400);
            expect(safeJson(response.text)?.error, shown(request, response)).toMatchObject({ code: 'unstorable-text' });
            return;
          }
          if (where === 'userId' && text.length === 0) {
            expect(response.status, shown(request, response)).toBe(400);
            return;
          }
          expect(response.status, shown(request, response)).toBe(200);
          // Read as text: a parsed object would hide a "__proto__" key behind the prototype.
          const [row] = await rt.db.execute<{ properties: string }>(sql`select properties::text as properties from events where workspace_id = ${rt.workspaceId} and message_id = ${messageId}`);
          const stored = JSON.parse(row!.properties);
          if (type !== 'alias' && where !== 'userId') expect(where === 'value' ? stored.v : Object.hasOwn(stored, text) && stored[text], shown(request, response)).toBe(where === 'value' ? text : 1);
        }),
        runs(100),
      );
    });

    it('P3: any JSON value as the whole body of any /v1 endpoint or /api body route is 2xx or a JSON 4xx', async () => {
      const routes = bodyRoutes(targets);
      const target = fc.oneof(
        fc.constantFrom(...ingestPaths).map((path) => ({ path })),
        fc.constantFrom(...routes).map((route) => ({ route })),
      );
      await fc.assert(
        fc.asyncProperty(target, hostileJson, auth, async (where, value, as) => {
          const text = JSON.stringify(value) ?? 'null';
          if ('route' in where && notSent(where.route, text)) return;
          await exchange('path' in where ? ingest(where.path, text) : bodyRequest(where.route, text, as));
        }),
        runs(120),
      );
    });

    it('P4: an /api body with any one field (or a new one) set to any JSON value is a JSON 400 when its contract refuses it, and never a 500', async () => {
      const mutation = fc.constantFrom(...bodyRoutes(targets)).chain((route) => fc.tuple(fc.constant(route), fc.oneof(fc.constantFrom(...route.fields), hostileText), hostileJson));
      await fc.assert(
        fc.asyncProperty(mutation, auth, async ([route, field, value], as) => {
          const text = JSON.stringify(route.fields.includes(field) ? setAt(route.valid, field, value) : { ...route.valid, [field]: value });
          const refused = contractRefuses(route, text);
          if (notSent(route, text)) return;
          const request = bodyRequest(route, text, as);
          const response = await exchange(request);
          if (refused) expect(response.status, shown(request, response)).toBe(400);
        }),
        runs(150),
      );
    });

    it('P5: a valid body with random bytes flipped, inserted or cut is 2xx or a JSON 4xx, on /v1 and /api', async () => {
      const bodies = [
        ...ingestPaths.map((path) => ({ path, text: JSON.stringify(path === 'batch' ? { batch: [validCall('track')] } : validCall(path as CallType)) })),
        ...bodyRoutes(targets)
          .filter((route) => !route.signIn)
          .map((route) => ({ route, text: JSON.stringify(route.valid) })),
      ];
      const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('flip', 'insert', 'cut'), byte: fc.integer({ min: 0, max: 255 }) });
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...bodies), fc.array(edit, { minLength: 1, maxLength: 6 }), auth, async (target, edits, as) => {
          let bytes = Buffer.from(target.text);
          for (const { at, kind, byte } of edits) {
            const i = at % (bytes.byteLength + 1);
            const keep = kind === 'insert' ? i : i + 1;
            bytes = Buffer.concat([bytes.subarray(0, i), kind === 'cut' ? Buffer.alloc(0) : Buffer.from([byte]), bytes.subarray(keep)]);
          }
          const text = bytes.toString('utf8');
          if ('route' in target && notSent(target.route, text)) return;
          await exchange('path' in target ? ingest(target.path, bytes) : bodyRequest(target.route, bytes, as));
        }),
        runs(120),
      );
    });

    it('P6: any bytes as a path parameter, percent-encoded, on every route that takes one are an answer or a JSON 4xx, never a 500 (NUL included)', async () => {
      const id = fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes) => percentBytes(bytes)),
        hostileText.map((text) => percentBytes(Buffer.from(text, 'utf8'))),
      );
      const route = fc.integer({ min: 0, max: idRoutes(targets, 'x').length - 1 });
      await fc.assert(
        fc.asyncProperty(
          id.filter((value) => value.length > 0),
          route,
          auth,
          async (value, index, as) => {
            const [method, path] = idRoutes(targets, value)[index]!;
            await exchange(api(method, path, undefined, as));
          },
        ),
        runs(150),
      );
    });

    it('P7: any bytes as any query parameter of any list are a page or a JSON 400, never a 500 (NUL included)', async () => {
      const name = fc.constantFrom('limit', 'offset', 'q', 'kind', 'status', 'action', 'version');
      const value = fc.uint8Array({ maxLength: 16 }).map((bytes) => percentBytes(bytes));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...listPaths(targets)), fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 3 }), auth, async (list, params, as) => {
          await exchange(api('GET', `${list}?${params.map(([key, v]) => `${key}=${v}`).join('&')}`, undefined, as));
        }),
        runs(150),
      );
    });

    it('P8: any Authorization header is a JSON 401 on /v1 and /api unless it carries a real credential', async () => {
      const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => (c === 0x7f ? ' ' : String.fromCharCode(c))), maxLength: 200 });
      const header = fc.oneof(
        headerText.map((s) => s.trim()),
        fc.uint8Array({ maxLength: 64 }).map((b) => `Basic ${Buffer.from(b).toString('base64')}`),
        fc.string({ maxLength: 64 }).map((s) => `Bearer wt_${s}`.trim()),
      );
      await fc.assert(
        fc.asyncProperty(header, async (authorization) => {
          await refuse({ ...ingest('track', JSON.stringify(validCall('track'))), headers: { authorization, 'content-type': 'application/json' } }, [401], 'invalid-write-key');
          await refuse({ method: 'GET', path: `${ws}/journeys`, headers: { authorization } }, [401], 'unauthenticated');
        }),
        runs(80),
      );
    });

    it('P9: a journey created or imported with any document the contract lets through can be read, exported, duplicated and published without a 500', async () => {
      const documentValue = fc.record(
        { schemaVersion: fc.oneof(fc.integer(), fc.double()), name: fc.option(hostileJson), graph: fc.dictionary(fc.constantFrom('nodes', 'edges', 'x'), hostileJson) },
        { requiredKeys: ['schemaVersion', 'graph'] },
      );
      await fc.assert(
        fc.asyncProperty(documentValue, fc.boolean(), auth, async (doc, imported, as) => {
          const created = await exchange(imported ? api('POST', `${ws}/journeys/import`, { document: doc }, as) : api('POST', `${ws}/journeys`, { name: 'P9', document: doc }, as));
          if (created.status !== 201) return;
          const id = JSON.parse(created.text).id;
          for (const [method, path] of [
            ['GET', `${ws}/journeys/${id}`],
            ['GET', `${ws}/journeys/${id}/export`],
            ['POST', `${ws}/journeys/${id}/duplicate`],
            ['POST', `${ws}/journeys/${id}/publish`],
            ['GET', `${ws}/journeys`],
          ] as const)
            await exchange(api(method, path, undefined, as));
        }),
        runs(40),
      );
    });
  });

  describe('what the first run of this suite found, held from now on', () => {
    it('a NUL (%00) in a path parameter or a query string is a JSON 400 naming where, on every route and list', async () => {
      const checks = [
        ...['%00', 'x%00y'].flatMap((id) =>
          idRoutes(targets, id).flatMap(([method, path]) => [() => refuse(api(method, path), [400], 'invalid-address'), () => refuse(api(method, path, undefined, 'token'), [400], 'invalid-address')]),
        ),
        () => refuse(api('GET', '/api/workspaces/x/journeys/%00/versions/abc'), [400], 'invalid-address'),
        () => refuse(api('POST', `${ws}/messages/%00/engagement`, { kind: 'opened' }, 'token'), [400], 'invalid-address'),
        ...listPaths(targets).flatMap((list) => ['q=%00', 'action=%00', 'q=a%00b'].map((query) => () => refuse(api('GET', `${list}?${query}`), [400], 'invalid-address'))),
      ];
      await expectAll(checks);
    });

    it('PUT a journey draft with a revision past the column (2^31, 2^53 − 1) is a JSON 400 naming revision', async () => {
      await expectAll(
        ['2147483648', '9007199254740991'].map(
          (revision) => () => refuse(api('PUT', `${ws}/journeys/${journeyId}`, `{"document":{"schemaVersion":1,"graph":{}},"revision":${revision}}`, 'token'), [400], 'invalid-request'),
        ),
      );
    });

    it('"send test" on the webhook channel with a non-string method or null headers is a JSON 422 naming the field', async () => {
      const url = `http://127.0.0.1:${port}/health`;
      await expectAll(
        [{ url, method: 1 }, { url, method: null }, { url, method: ['GET'] }, { url, headers: null }, { url: 42 }].map(
          (content) => () => refuse(api('POST', `${ws}/channels/webhook/test`, { content }), [422], 'send-failed'),
        ),
      );
    });

    it('POST /v1/batch (and a single call) with the JSON body null, a number or an array is a JSON 400', async () => {
      for (const body of ['null', '7', '[]', '"batch"']) {
        await refuse(ingest('batch', body), [400]);
        await refuse(ingest('track', body), [400]);
      }
    });

    it('a property named "__proto__" is acknowledged and stored as it was sent', async () => {
      const messageId = 'proto-key';
      const response = await exchange(ingest('track', `{"userId":"u","event":"e","messageId":"${messageId}","properties":{"__proto__":{"a":1},"b":2}}`));
      expect(response.status).toBe(200);
      const [row] = await rt.db.execute<{ properties: string }>(sql`select properties::text as properties from events where workspace_id = ${rt.workspaceId} and message_id = ${messageId}`);
      expect(row!.properties).toBe('{"b": 2, "__proto__": {"a": 1}}');
    });

    it('a CONNECT request is answered 405 in JSON, not dropped', async () => {
      await refuse({ method: 'CONNECT', path: `127.0.0.1:${port}`, headers: { authorization: basic } }, [405], 'method-not-allowed');
    });

    it('a batch with a huge batch-level context is stored without copying the context into every call', async () => {
      const context = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
      const batch = Array.from({ length: 2_000 }, (_, i) => ({ type: 'track', userId: `ctx-${i % 50}`, event: 'Context', messageId: `ctx-${i}` }));
      const response = await exchange(ingest('batch', JSON.stringify({ batch, context: { ...context, timezone: 'Europe/Istanbul' } })));
      expect(response.status).toBe(200);
    });
  });
});
