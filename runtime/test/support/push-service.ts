import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, randomUUID, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';

/** A request the push service received, checked as a real one would check it. */
export interface PushRequest {
  /** The subscription it was for (the last path segment of its endpoint). */
  id: string;
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The VAPID claim (RFC 8292): `aud`, `exp`, `sub`, when the signature verified with `k`. */
  vapid: { valid: boolean; aud?: string; exp?: number; sub?: string; publicKey?: string };
}

/** A browser's side of a subscription: what it posts to Waymark, and its private key to read what arrives. */
export interface TestSubscription {
  id: string;
  json: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** The plaintext of an aes128gcm body (RFC 8291), parsed as JSON. */
  decrypt(body: Buffer): unknown;
}

/**
 * A web push service on 127.0.0.1 over HTTPS (a self-signed certificate made with openssl and
 * added to this process's trusted CAs): it records every request, verifies the VAPID JWT's ES256
 * signature against the key in `k` and answers 201 with a Location — or 410 for subscriptions in
 * `gone`, or 503 while `down`.
 */
export async function startPushService() {
  const dir = mkdtempSync(join(tmpdir(), 'push-service-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  setDefaultCACertificates([...getCACertificates('default'), cert]);

  const requests: PushRequest[] = [];
  const gone = new Set<string>();
  const state = { down: false };
  const server = createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const id = (req.url ?? '').split('/').pop() ?? '';
      const status = state.down ? 503 : gone.has(id) ? 410 : 201;
      requests.push({ id, status, headers: req.headers, body: Buffer.concat(chunks), vapid: checkVapid(req.headers.authorization, origin) });
      if (status === 201) res.setHeader('location', `${origin}/messages/${randomUUID()}`);
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    requests,
    gone,
    state,
    /** A new browser subscription (keys made here, as a browser would). */
    subscribe(): TestSubscription {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      return {
        id,
        json: { endpoint: `${origin}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } },
        decrypt: (body) => JSON.parse(decrypt(body, ecdh, auth).toString('utf8')),
      };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** `vapid t=<jwt>, k=<public key>`: the JWT must be ES256-signed by `k`. */
function checkVapid(header: string | undefined, origin: string): PushRequest['vapid'] {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match) return { valid: false };
  const [, jwt, k] = match as unknown as [string, string, string];
  const [head, claims, signature] = jwt.split('.');
  if (!head || !claims || !signature) return { valid: false };
  const point = Buffer.from(k, 'base64url');
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') }, format: 'jwk' });
  const signed = verify('sha256', Buffer.from(`${head}.${claims}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  const header_ = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string };
  const claim = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { aud?: string; exp?: number; sub?: string };
  return { valid: signed && header_.alg === 'ES256' && claim.aud === origin, aud: claim.aud, exp: claim.exp, sub: claim.sub, publicKey: k };
}

const hmac = (key: Buffer, ...data: Buffer[]) => {
  const mac = createHmac('sha256', key);
  for (const part of data) mac.update(part);
  return mac.digest();
};

/** RFC 8291 + RFC 8188 (aes128gcm, one record): the user agent's side. */
function decrypt(body: Buffer, ecdh: ReturnType<typeof createECDH>, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body[20]!;
  const serverPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = ecdh.computeSecret(serverPublic);
  const userPublic = ecdh.getPublicKey();
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), userPublic, serverPublic]);
  const ikm = hmac(hmac(authSecret, shared), keyInfo, Buffer.from([1]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0'), Buffer.from([1])).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0'), Buffer.from([1])).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 2, then any zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('not a final aes128gcm record');
  return padded.subarray(0, end);
}
