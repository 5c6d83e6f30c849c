import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One `Messages.json` request as the fake received it. */
export interface FakeTwilioRequest {
  path: string;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
  status: number;
  sid?: string;
}

/** How the fake answers: normally (201), down (503 or refusing connections), rejecting numbers (21211), rate limited (429). */
export interface FakeTwilioModes {
  down: false | '503' | 'refuse';
  rejectNumbers: Set<string>;
  /** Answer 429 with this `Retry-After` (seconds) to the next `count` requests. */
  rateLimited: { count: number; retryAfterSeconds: number } | null;
  /** Other refusals by number: `{ '+15005550009': { status: 400, code: 21614 } }`. */
  refuse: Map<string, { status: number; code: number; message?: string }>;
  /** Whether answers carry `num_segments` (a compatible provider may not). */
  numSegments: boolean;
}

const e164 = /^\+[1-9]\d{4,14}$/;
const gsm = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[~]|€');

/**
 * Twilio's webhook signature, written here from its documentation and not imported from the
 * runtime, so the tests check the route against an independent implementation: HMAC-SHA1 of the
 * URL followed by each parameter's name and value in name order, base64.
 */
export function signTwilio(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', Buffer.from(authToken, 'utf8')).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** A rough segment count the way a provider would bill it (its own, not the runtime's). */
function billedSegments(body: string): number {
  const isGsm = [...body].every((c) => gsm.has(c));
  const units = isGsm ? [...body].reduce((n, c) => n + ('\f^{}\\[~]|€'.includes(c) ? 2 : 1), 0) : body.length;
  const [single, part] = isGsm ? [160, 153] : [70, 67];
  return units <= single ? 1 : Math.ceil(units / part);
}

/**
 * A Twilio-compatible SMS API on 127.0.0.1:0: `POST /2010-04-01/Accounts/:sid/Messages.json`
 * checks Basic auth and the `To` number, answers 201 with a `SM…` sid, status `queued` and
 * `num_segments`, and records every request. `deliver` and `reply` play the provider's callbacks,
 * signed with the auth token, through `post` (global fetch, or the app's `request` in tests).
 */
export async function startFakeTwilio({
  accountSid,
  authToken,
  post = (url, init) => fetch(url, init),
}: {
  accountSid: string;
  authToken: string;
  post?: (url: string, init: RequestInit) => Promise<Response> | Response;
}) {
  const requests: FakeTwilioRequest[] = [];
  const modes: FakeTwilioModes = { down: false, rejectNumbers: new Set(), rateLimited: null, refuse: new Map(), numSegments: true };
  const callbacks = new Map<string, string>();
  const sockets = new Set<Socket>();
  let counter = 0;
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const record = requests.at(-1);
        if (record) record.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ code: 20404, message: 'The requested resource was not found', status: 404 }));
      }
      // A kept-alive connection from before the outage is cut too.
      if (modes.down === 'refuse') return req.socket.destroy();
      requests.push({ path: req.url, headers: req.headers, form, status: 0 });
      if (modes.down === '503') return answer(503, { code: 20500, message: 'Service unavailable', status: 503 });
      if (req.headers.authorization !== expectedAuth) return answer(401, { code: 20003, message: 'Authenticate', status: 401 });
      if (modes.rateLimited && modes.rateLimited.count > 0) {
        modes.rateLimited.count--;
        return answer(429, { code: 20429, message: 'Too Many Requests', status: 429 }, { 'retry-after': String(modes.rateLimited.retryAfterSeconds) });
      }
      const to = form.To ?? '';
      if (!e164.test(to) || modes.rejectNumbers.has(to)) return answer(400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 });
      const refusal = modes.refuse.get(to);
      if (refusal) return answer(refusal.status, { code: refusal.code, message: refusal.message ?? `refused (${refusal.code})`, status: refusal.status });
      if (!form.Body) return answer(400, { code: 21602, message: 'Message body is required.', status: 400 });
      if (!form.From && !form.MessagingServiceSid) return answer(400, { code: 21603, message: "A 'From' phone number is required.", status: 400 });
      const sid = `SM${(++counter).toString(16).padStart(32, '0')}`;
      requests.at(-1)!.sid = sid;
      if (form.StatusCallback) callbacks.set(sid, form.StatusCallback);
      answer(201, {
        sid,
        account_sid: accountSid,
        to,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        body: form.Body,
        status: 'queued',
        num_segments: modes.numSegments ? String(billedSegments(form.Body)) : null,
        error_code: null,
        error_message: null,
      });
    });
  });
  server.on('connection', (socket) => {
    if (modes.down === 'refuse') return socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signedPost = async (target: string, params: Record<string, string>, signature = signTwilio(authToken, target, params)) =>
    post(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });

  return {
    url,
    requests,
    modes,
    /** Requests that reached the API and were accepted, per idempotency token. */
    acceptedBy(token: string) {
      return requests.filter((r) => r.status === 201 && r.headers['i-twilio-idempotency-token'] === token);
    },
    /** Posts a signed status callback for a message to the StatusCallback URL it was sent with. */
    async deliver(sid: string, status: string, errorCode?: string, extra: Record<string, string> = {}) {
      const target = callbacks.get(sid);
      if (!target) throw new Error(`no StatusCallback for ${sid}`);
      const params: Record<string, string> = {
        AccountSid: accountSid,
        MessageSid: sid,
        SmsSid: sid,
        MessageStatus: status,
        SmsStatus: status,
        ...(errorCode ? { ErrorCode: errorCode } : {}),
        ...extra,
      };
      return signedPost(target, params);
    },
    /** Posts a signed inbound SMS (a reply) to the provider's inbound URL. */
    async reply(callbackUrl: string, from: string, body: string, sid = `SM${(++counter).toString(16).padStart(32, '0')}`) {
      return signedPost(callbackUrl, { AccountSid: accountSid, MessageSid: sid, From: from, To: '+15005550006', Body: body, NumMedia: '0' });
    },
    /** Posts with any signature (a forgery), for tests of the refusal. */
    async forge(target: string, params: Record<string, string>, signature: string) {
      return signedPost(target, params, signature);
    },
    callbackUrlOf(sid: string) {
      return callbacks.get(sid);
    },
    /** Cuts open connections (keep-alive ones included), as a crash would. */
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type FakeTwilio = Awaited<ReturnType<typeof startFakeTwilio>>;
