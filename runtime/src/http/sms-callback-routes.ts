import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { storableText } from '@waymark/shared';
import type { Db } from '../db/database.ts';
import { messages, providers } from '../db/schema.ts';
import { writeSteps } from '../services/execution/write-steps.ts';
import { changeConsent } from '../services/customers/change-consent.ts';
import { storeTrackEvents } from '../services/customers/store-track-events.ts';
import { recordEngagement } from '../services/engagement/record-engagement.ts';
import { addToNodeStats, perChannel } from '../services/execution/node-stats.ts';
import { loaded } from '../services/providers/provider-store.ts';
import type { SecretBox } from '../services/secrets/secret-box.ts';
import { ApiError } from './api-error.ts';
import { guardBody } from './body-guard.ts';

/** Callbacks are a few hundred bytes of form fields; an inbound SMS body is at most 1,600 characters. */
const callbackBytes = 16 * 1024;
const formType = /^application\/x-www-form-urlencoded\s*(;|$)/i;
const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Replies that withdraw SMS consent, and those that give it back (Twilio's default keywords); HELP changes nothing. */
const stopWords = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const startWords = new Set(['START', 'YES', 'UNSTOP']);

const emptyTwiml = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * Twilio's request signature: base64 HMAC-SHA1, keyed with the auth token, over the URL as
 * configured followed by each POST parameter's name and value, sorted by name.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const pairs = [...params].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return createHmac('sha1', authToken)
    .update(url + pairs.map(([name, value]) => name + value).join(''))
    .digest('base64');
}

function signatureMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `/v1/providers/:id/sms/…`: what an SMS provider posts back — delivery statuses and replies.
 * Mounted before the ingestion API, since the provider holds no write key: each request is
 * authenticated by its `X-Twilio-Signature`, made with the provider's auth token over the URL as
 * this runtime's public URL spells it. A provider that is not there, or not Twilio-compatible, is 404.
 */
export function smsCallbackRoutes(db: Db, box: SecretBox, publicUrl: string, now: () => number) {
  const base = publicUrl.replace(/\/$/, '');
  const app = new Hono<{ Variables: { provider: { id: string; workspaceId: string }; form: URLSearchParams } }>();
  app.use('*', guardBody({ maxBytes: callbackBytes, json: false }));
  app.use('/:id/sms/*', async (c, next) => {
    const id = c.req.param('id')!;
    const [row] = idPattern.test(id) ? await db.select().from(providers).where(eq(providers.id, id)) : [];
    if (row?.kind !== 'twilio') throw new ApiError(404, 'provider-not-found', 'No SMS provider has this id.', { field: 'id' });
    if (!formType.test(c.req.header('content-type') ?? ''))
      throw new ApiError(415, 'unsupported-media-type', 'Send the callback form-encoded, with "Content-Type: application/x-www-form-urlencoded".');
    const form = new URLSearchParams(await c.req.text());
    const requested = new URL(c.req.url);
    const authToken = loaded(box, row).secrets.authToken;
    const expected = authToken ? twilioSignature(authToken, `${base}${requested.pathname}${requested.search}`, form) : null;
    if (!expected || !signatureMatches(expected, c.req.header('x-twilio-signature')))
      throw new ApiError(403, 'bad-signature', "The X-Twilio-Signature header does not match this request signed with the provider's auth token.", { field: 'X-Twilio-Signature' });
    c.set('provider', { id: row.id, workspaceId: row.workspaceId });
    c.set('form', form);
    await next();
  });

  app.post('/:id/sms/status', async (c) => {
    const { workspaceId } = c.get('provider');
    const form = c.get('form');
    const messageId = c.req.query('m');
    if (!messageId || !idPattern.test(messageId)) throw new ApiError(400, 'invalid-request', 'The status callback URL needs the message id in "m".', { field: 'm' });
    const sid = form.get('MessageSid') ?? form.get('SmsSid') ?? '';
    if (!sid || sid.length > 64) throw new ApiError(400, 'invalid-request', 'MessageSid is missing or too long.', { field: 'MessageSid' });
    const status = form.get('MessageStatus') ?? form.get('SmsStatus') ?? '';
    const errorCode = form.get('ErrorCode') ?? '';
    if (errorCode && !/^\d{1,10}$/.test(errorCode)) throw new ApiError(400, 'invalid-request', 'ErrorCode must be a number.', { field: 'ErrorCode' });
    const [message] = await db
      .select({ id: messages.id, status: messages.status, providerId: messages.providerId })
      .from(messages)
      .where(and(eq(messages.id, messageId), eq(messages.workspaceId, workspaceId), eq(messages.channel, 'sms')));
    // A send whose outcome is not recorded yet (its delivery job is still sending others): come back later.
    if (message && message.providerId === null && message.status === 'sending') return c.body(null, 503, { 'retry-after': '5' });
    // Someone else's message: nothing to change, and nothing to say about it.
    if (!message || message.providerId !== sid) return c.body(null, 204);
    if (status === 'delivered' && message.status !== 'failed' && message.status !== 'undelivered') await recordEngagement(db, message.id, 'delivered', now());
    if (status === 'failed' || status === 'undelivered') await recordCarrierFailure(db, message.id, status, errorCode || null, storableText(form.get('ErrorMessage') ?? '').slice(0, 300), now());
    return c.body(null, 204);
  });

  app.post('/:id/sms/inbound', async (c) => {
    const { workspaceId } = c.get('provider');
    const form = c.get('form');
    const from = form.get('From') ?? '';
    const phone = from.replace(/[^0-9+]/g, '');
    if (!phone || from.length > 64) throw new ApiError(400, 'invalid-request', 'From must be the phone number the reply came from.', { field: 'From' });
    const body = storableText(form.get('Body') ?? '').slice(0, 1_600);
    const sid = form.get('MessageSid') ?? form.get('SmsSid') ?? '';
    const word = body.trim().toUpperCase();
    const consent = stopWords.has(word) ? 'unsubscribed' : startWords.has(word) ? 'opted-in' : null;
    const at = now();
    await db.transaction(async (tx) => {
      // Held until commit so an erasure cannot race the event stored for them.
      const found = await tx.execute<{ id: string }>(sql`
        select id from customers
        where workspace_id = ${workspaceId} and regexp_replace(coalesce(channels -> 'sms' ->> 'address', ''), '[^0-9+]', '', 'g') = ${phone}
        order by id limit 100 for update`);
      for (const { id: customerId } of found) {
        if (consent) await changeConsent(tx, { workspaceId, customerId, channel: 'sms', consent, source: 'sms-reply', now: at, ...(idPattern.test(sid) ? { key: sid } : {}) });
        await storeTrackEvents(tx, [
          {
            workspaceId,
            // The provider's id for the reply, when it gives a sane one: its retries are stored once.
            messageId: `sms-received:${idPattern.test(sid) ? sid : crypto.randomUUID()}:${customerId}`,
            customerId,
            name: 'SMS Received',
            properties: { from: phone, body },
            timestamp: new Date(at).toISOString(),
          },
        ]);
      }
    });
    return c.body(emptyTwiml, 200, { 'content-type': 'text/xml; charset=utf-8' });
  });
  return app;
}

/**
 * The carrier could not deliver a message the provider accepted: it becomes `failed` or
 * `undelivered` with the provider's code, counted once as failed on its send node, with a
 * `delivery-failed` step on the run. Only a message still `sent` changes, so a repeated or late
 * callback (after `delivered`) changes nothing.
 */
async function recordCarrierFailure(db: Db, messageId: string, status: 'failed' | 'undelivered', code: string | null, said: string, now: number) {
  const sentence = `the carrier reported the SMS ${status}${code ? ` (error ${code})` : ''}${said ? `: ${said}` : ''}`;
  await db.transaction(async (tx) => {
    const [changed] = await tx
      .update(messages)
      .set({ status, errorCode: code, error: sentence })
      .where(and(eq(messages.id, messageId), eq(messages.status, 'sent')))
      .returning();
    if (!changed) return;
    await addToNodeStats(
      tx,
      perChannel({ workspaceId: changed.workspaceId, journeyId: changed.journeyId, version: changed.version, nodeId: changed.nodeId, metric: 'failed', count: 1 }, changed.channel),
      now,
    );
    await writeSteps(tx, [
      {
        workspaceId: changed.workspaceId,
        progressId: changed.progressId,
        journeyId: changed.journeyId,
        version: changed.version,
        nodeId: changed.nodeId,
        handle: null,
        reason: 'delivery-failed',
        detail: `sms delivery failed: ${sentence}`,
        at: new Date(now).toISOString(),
      },
    ]);
  });
}
