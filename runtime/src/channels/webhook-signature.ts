import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Waymark signs webhooks with. */
export const webhookSignatureHeaderName = 'Waymark-Signature';

/** The outcome of checking a signature; `reason` says why it was rejected. */
export type WebhookSignatureCheck = { ok: true } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/** What a signature covers: the URL Waymark called (as the journey wrote it) and the raw body. */
export interface SignedRequest {
  url: string;
  body: string | Uint8Array;
}

const sign = (secret: string, timestamp: string, { url, body }: SignedRequest) => createHmac('sha256', secret).update(`${timestamp}.${url}.`).update(body).digest('hex');

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<url>.<raw body>">`, one `v1=` per secret in the
 * order given (during a rotation the new and the old secret both sign). A request without body
 * signs "". The URL is signed too, so a signed call — a "send test" an editor pointed at their own
 * server, say — cannot be replayed to another receiver.
 */
export function webhookSignature(request: SignedRequest, secrets: readonly string[], now: number): string {
  const timestamp = String(Math.floor(now / 1000));
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${sign(secret, timestamp, request)}`)].join(',');
}

/**
 * Checks a `Waymark-Signature` header against the receiver's own URL and the raw body as received: ok when its timestamp is within
 * `toleranceSeconds` of `now` (ms) and one of its `v1` values is the HMAC with `secret` (compared in
 * constant time).
 */
export function verifyWebhookSignature(
  header: string | null | undefined,
  request: SignedRequest,
  secret: string,
  { toleranceSeconds = 300, now = Date.now() }: { toleranceSeconds?: number; now?: number } = {},
): WebhookSignatureCheck {
  const pairs = (header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]);
  const timestamp = pairs.find(([key]) => key === 't')?.[1];
  const candidates = pairs.filter(([key, value]) => key === 'v1' && value).map(([, value]) => value!);
  if (!timestamp || !/^\d+$/.test(timestamp) || candidates.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(sign(secret, timestamp, request), 'hex');
  // Buffer.from(hex) stops at the first non-hex character, so the shape is checked first.
  const matches = candidates.some((candidate) => /^[0-9a-f]{64}$/i.test(candidate) && timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
  return matches ? { ok: true } : { ok: false, reason: 'mismatch' };
}
