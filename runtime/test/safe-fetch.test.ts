import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PermanentDeliveryError } from '../src/channels/channel.ts';
import { isPrivateAddress } from '../src/channels/is-private-address.ts';
import { RefusedDestinationError } from '../src/channels/refused-destination-error.ts';
import { safeFetch, type SafeFetchOptions } from '../src/channels/safe-fetch.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real HTTP server on a loopback address that counts connections, not only requests. */
async function receiver(host: string, handler: Handler = (_req, res) => res.end('ok')) {
  const state = { connections: 0, requests: [] as { method: string; path: string; host: string; body: string }[] };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      state.requests.push({ method: req.method!, path: req.url!, host: req.headers.host!, body });
      handler(req, res, body);
    });
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    port,
    reset: () => Object.assign(state, { connections: 0, requests: [] }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).finally(() => server.closeAllConnections()),
  });
}

const publicOnly = { allowPrivateNetworks: false };
const privateToo = { allowPrivateNetworks: true };

async function refusal(url: string, policy = publicOnly, options: SafeFetchOptions = {}, init = {}) {
  const error = await safeFetch(url, init, policy, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RefusedDestinationError);
  expect(error).toBeInstanceOf(PermanentDeliveryError);
  return (error as Error).message;
}

describe('safeFetch: what a journey author can reach', () => {
  let v4: Awaited<ReturnType<typeof receiver>>;
  let v6: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    v4 = await receiver('127.0.0.1', (_req, res) => res.end('hello'));
    v6 = await receiver('::1', (_req, res) => res.end('hello'));
  });
  afterAll(async () => {
    await v4?.close();
    await v6?.close();
  });
  beforeEach(() => {
    v4.reset();
    v6.reset();
  });

  const loopbackForms = () => [
    `http://127.0.0.1:${v4.port}/a`,
    `http://localhost:${v4.port}/a`,
    `http://[::1]:${v6.port}/a`,
    `http://[::ffff:127.0.0.1]:${v4.port}/a`,
    `http://2130706433:${v4.port}/a`,
    `http://0x7f.1:${v4.port}/a`,
    `http://127.1:${v4.port}/a`,
    `http://0.0.0.0:${v4.port}/a`,
    `https://127.0.0.1:${v4.port}/a`,
  ];

  it('refuses loopback in every spelling, metadata, unspecified and private addresses, before any connection', async () => {
    const urls = [...loopbackForms(), 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://[fd00:ec2::254]/', 'http://[fe80::1]/', 'http://100.64.0.1/'];
    for (const url of urls) expect(await refusal(url, publicOnly, {}, { method: 'POST', body: 'x' }), url).toBe('refused: private address');
    expect(v4.connections + v6.connections).toBe(0);
  });

  it('reaches the same local servers when the workspace allows private networks (so the refusals above are not an absent server)', async () => {
    for (const url of loopbackForms().filter((u) => u.startsWith('http:'))) {
      const response = await safeFetch(url, {}, privateToo);
      expect(response.status, url).toBe(200);
      expect(new TextDecoder().decode(response.body)).toBe('hello');
    }
    expect(v4.requests.length + v6.requests.length).toBe(8);
    expect(v6.requests).toHaveLength(1);
  });

  it('checks what a hostname resolves to, in the lookup the connection uses (no second resolution to rebind)', async () => {
    const url = `http://hooks.example.com:${v4.port}/hook`;
    expect(await refusal(url, publicOnly, { resolve: async () => [{ address: '127.0.0.1', family: 4 }] })).toBe('refused: private address');
    // One bad record among public ones refuses the name.
    const mixed = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    expect(await refusal(url, publicOnly, { resolve: mixed })).toBe('refused: private address');
    expect(v4.connections).toBe(0);

    const asked: string[] = [];
    const resolve = async (hostname: string) => {
      asked.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const response = await safeFetch(url, {}, privateToo, { resolve });
    expect(response.status).toBe(200);
    expect(asked).toEqual(['hooks.example.com']);
    expect(v4.requests).toEqual([expect.objectContaining({ path: '/hook', host: `hooks.example.com:${v4.port}` })]);
  });

  it('only http and https; an unparsable URL is a permanent error', async () => {
    for (const url of ['file:///etc/passwd', `ftp://127.0.0.1:${v4.port}/`, `gopher://127.0.0.1:${v4.port}/`, 'data:text/plain,hi', 'javascript:alert(1)']) {
      expect(await refusal(url, privateToo), url).toBe('refused: not an http(s) URL');
    }
    await expect(safeFetch('not a url', {}, privateToo)).rejects.toThrow(new PermanentDeliveryError('the URL "not a url" is not valid'));
    expect(v4.connections).toBe(0);
  });
});

describe('safeFetch: redirects', () => {
  let a: Awaited<ReturnType<typeof receiver>>;
  let b: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    b = await receiver('127.0.0.2', (_req, res) => res.end('from b'));
    a = await receiver('127.0.0.1', (req, res) => {
      const [, kind, rest] = req.url!.split('/');
      const go = (status: number, location: string) => res.writeHead(status, { location }).end();
      if (kind === 'to-b') go(302, `http://127.0.0.2:${b.port}/landed`);
      else if (kind === 'to-metadata') go(302, 'http://169.254.169.254/latest/meta-data/');
      else if (kind === 'to-file') go(302, 'file:///etc/passwd');
      else if (kind === 'hops' && Number(rest) > 0) go(302, `/hops/${Number(rest) - 1}`);
      else if (kind === 'see-other') go(303, '/echo');
      else if (kind === 'temporary') go(307, '/echo');
      else res.end(`${req.method} ${req.headers['content-type'] ?? '-'}`);
    });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  beforeEach(() => {
    a.reset();
    b.reset();
  });

  // 127.0.0.1 is allowed, 127.0.0.2 (and every other private address) is not: one hop passes, the next must be checked.
  const onlyA: SafeFetchOptions = { isAllowedAddress: (address) => address === '127.0.0.1' || !isPrivateAddress(address) };

  it('re-checks every hop: a redirect to a refused address is refused and nothing reaches it', async () => {
    expect(await refusal(`http://127.0.0.1:${a.port}/to-b`, publicOnly, onlyA)).toBe('refused: private address');
    expect(await refusal(`http://127.0.0.1:${a.port}/to-metadata`, publicOnly, onlyA)).toBe('refused: private address');
    expect(await refusal(`http://127.0.0.1:${a.port}/to-file`, publicOnly, onlyA)).toBe('refused: not an http(s) URL');
    expect(a.requests.map((r) => r.path)).toEqual(['/to-b', '/to-metadata', '/to-file']);
    expect(b.connections).toBe(0);

    const followed = await safeFetch(`http://127.0.0.1:${a.port}/to-b`, {}, privateToo);
    expect({ status: followed.status, url: followed.url, body: new TextDecoder().decode(followed.body) }).toEqual({ status: 200, url: `http://127.0.0.2:${b.port}/landed`, body: 'from b' });
  });

  it('follows at most 5 redirects', async () => {
    expect((await safeFetch(`http://127.0.0.1:${a.port}/hops/5`, {}, publicOnly, onlyA)).status).toBe(200);
    expect(a.requests).toHaveLength(6);
    a.reset();
    expect(await refusal(`http://127.0.0.1:${a.port}/hops/6`, publicOnly, onlyA)).toBe('refused: too many redirects');
    expect(a.requests.map((r) => r.path)).toEqual(['/hops/6', '/hops/5', '/hops/4', '/hops/3', '/hops/2', '/hops/1']);
  });

  it('303 turns a POST into a GET without body; 307 sends the same POST again', async () => {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' };
    expect(new TextDecoder().decode((await safeFetch(`http://127.0.0.1:${a.port}/see-other`, init, privateToo)).body)).toBe('GET -');
    expect(new TextDecoder().decode((await safeFetch(`http://127.0.0.1:${a.port}/temporary`, init, privateToo)).body)).toBe('POST application/json');
    expect(a.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/see-other', '{"a":1}'],
      ['GET', '/echo', ''],
      ['POST', '/temporary', '{"a":1}'],
      ['POST', '/echo', '{"a":1}'],
    ]);
  });
});

describe('safeFetch: limits', () => {
  it('a server that never answers: "timed out", after the total timeout', async () => {
    const silent = await receiver('127.0.0.1', () => {});
    try {
      const started = performance.now();
      const error = await safeFetch(`http://127.0.0.1:${silent.port}/`, {}, privateToo, { timeoutMs: 300 }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      expect((error as Error).message).toBe('timed out');
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(silent.requests).toHaveLength(1);
    } finally {
      await silent.close();
    }
  });

  it('a public address that does not answer: "could not connect", retryable', async () => {
    const closed = await receiver('127.0.0.1');
    await closed.close();
    const error = await safeFetch(`http://127.0.0.1:${closed.port}/`, {}, privateToo).catch((e: Error) => e);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect((error as Error).message).toBe('could not connect');
  });

  it('reads at most maxBodyBytes of a 10 MB answer, then hangs up: the server never gets to write it all', async () => {
    const total = 10 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const written = { bytes: 0, finished: false, closed: Promise.withResolvers<void>() };
    const big = await receiver('127.0.0.1', (_req, res) => {
      res.on('finish', () => (written.finished = true));
      res.on('close', () => written.closed.resolve());
      const pump = () => {
        while (written.bytes < total && !res.destroyed) {
          written.bytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (written.bytes >= total) res.end();
      };
      pump();
    });
    try {
      const response = await safeFetch(`http://127.0.0.1:${big.port}/`, {}, privateToo);
      expect(response.body.byteLength).toBe(64 * 1024);
      const small = await safeFetch(`http://127.0.0.1:${big.port}/`, {}, privateToo, { maxBodyBytes: 1000 });
      expect(small.body.byteLength).toBe(1000);
      await written.closed.promise;
      expect(written.finished).toBe(false);
      expect(written.bytes).toBeLessThan(total);
    } finally {
      await big.close();
    }
  });
});

describe('isPrivateAddress', () => {
  it('refuses the special-purpose ranges, in IPv4 and every IPv6 form that embeds them', () => {
    const refused = [
      '127.0.0.1',
      '127.255.255.254',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd00:ec2::254',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '::127.0.0.1',
      '::10.0.0.1',
      '64:ff9b::7f00:1',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::',
      '2002:a9fe:a9fe::1',
      '2002:c0a8:101::',
      'localhost',
      'not-an-address',
    ];
    expect(refused.filter((address) => !isPrivateAddress(address))).toEqual([]);
  });

  it('lets public addresses through, including their IPv6 forms', () => {
    const allowed = [
      '8.8.8.8',
      '1.1.1.1',
      '93.184.215.14',
      '172.32.0.1',
      '100.128.0.1',
      '169.255.0.1',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::',
      '2a00:1450:4001::1',
    ];
    expect(allowed.filter((address) => isPrivateAddress(address))).toEqual([]);
  });
});
