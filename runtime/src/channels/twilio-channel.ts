import { smsSegments, TwilioSettings } from '@waymark/shared';
import { Agent } from 'undici';
import type { Db } from '../db/database.ts';
import { logErrorOnce } from '../log.ts';
import { changeConsent } from '../services/customers/change-consent.ts';
import type { AdapterFactory } from '../services/providers/provider-channels.ts';
import { PermanentDeliveryError, TransientDeliveryError } from './channel.ts';
import { guardedConnector } from './guarded-connector.ts';
import { isPrivateAddress } from './is-private-address.ts';
import { privateNetworkPolicy, retryAfter } from './provider-http.ts';

/** How long one API call may take, connecting included; then it is retried (with the same idempotency key). */
const timeoutMs = 15_000;
/** The most of an answer read: a message resource is about 1 KB. */
const maxAnswerBytes = 64 * 1024;
/** How long the workspace's private-network setting is trusted before it is read again. */

/** Twilio error codes that mean the number cannot receive SMS, ever: the address is marked bounced. */
const badNumber = new Set([21211, 21614]);
/** Twilio error codes that mean this account cannot reach the number (routing, geo permissions): permanent, the address is fine. */
const unroutable = new Set([21408, 21612]);
/** The recipient replied STOP to this sender earlier (Twilio refuses until they reply START). */
const optedOut = 21610;

/** Where the provider posts delivery statuses for a message: the message id lets the callback find it by primary key. */
export const statusCallbackUrl = (publicUrl: string, providerId: string, messageId: string) =>
  `${publicUrl.replace(/\/$/, '')}/v1/providers/${encodeURIComponent(providerId)}/sms/status?m=${encodeURIComponent(messageId)}`;

/**
 * The SMS adapter for a Twilio-compatible API: one `POST …/Messages.json` per message, form-encoded,
 * with Basic auth and the message id as idempotency key (`I-Twilio-Idempotency-Token` and
 * `Idempotency-Key`) so a send that succeeded but timed out is not repeated by providers that honour
 * one. Connections are pooled per provider and checked when made: the base URL is the owner's to set,
 * so, as with webhooks, private addresses are refused unless the workspace allows private networks.
 * 429 / 5xx / timeouts are transient; invalid and non-mobile numbers bounce; STOP-ed numbers (21610)
 * lose SMS consent.
 */
export const twilioChannel: AdapterFactory = (provider, { publicUrl, db }) => {
  const parsed = TwilioSettings.safeParse(provider.settings);
  const authToken = provider.secrets.authToken ?? '';
  const allowPrivate = privateNetworkPolicy(db, provider.workspaceId);
  let pool: { allow: boolean; agent: Agent } | null = null;
  const agentFor = (allow: boolean) => {
    if (pool?.allow === allow) return pool.agent;
    pool?.agent.close().catch(() => {});
    const agent = new Agent({
      connect: guardedConnector({ isAllowed: allow ? () => true : (address) => !isPrivateAddress(address), connectTimeoutMs: timeoutMs }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    pool = { allow, agent };
    return agent;
  };
  return {
    async send(message) {
      if (!parsed.success) throw new PermanentDeliveryError(`the SMS provider's settings are not valid (${parsed.error.issues[0]?.path.join('.') || 'settings'}): connect it again`);
      if (!authToken) throw new PermanentDeliveryError('the SMS provider has no auth token: connect it again');
      const settings = parsed.data;
      const text = message.content.text;
      if (typeof text !== 'string' || !text) throw new PermanentDeliveryError('the SMS has no text');
      if (!message.to) throw new PermanentDeliveryError('the customer has no phone number');
      const url = new URL(`${settings.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`);
      const form = new URLSearchParams({ To: message.to, Body: text, StatusCallback: statusCallbackUrl(publicUrl, provider.id, message.id) });
      if (settings.messagingServiceSid) form.set('MessagingServiceSid', settings.messagingServiceSid);
      else form.set('From', settings.fromNumber!);
      const answer = await post(agentFor(await allowPrivate()), url, form.toString(), {
        authorization: `Basic ${Buffer.from(`${settings.accountSid}:${authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': 'Waymark-SMS/1',
        'i-twilio-idempotency-token': message.id,
        'idempotency-key': message.id,
      });
      const body = parseJson(answer.body);
      if (answer.status === 200 || answer.status === 201) {
        const sid = typeof body?.sid === 'string' ? body.sid.slice(0, 200) : undefined;
        const status = typeof body?.status === 'string' ? body.status.slice(0, 40) : 'accepted';
        const stated = Number(body?.num_segments);
        const segments = body?.num_segments !== undefined && body.num_segments !== null && Number.isInteger(stated) && stated > 0 ? stated : smsSegments(text).segments;
        return { providerId: sid, response: `${status}${sid ? ` ${sid}` : ''}`, segments };
      }
      return refuse(db, message, answer, body);
    },
    close() {
      const agent = pool?.agent;
      pool = null;
      return agent?.close();
    },
  };
};

/** Turns a refusal into the right delivery error (and, for a STOP-ed number, withdraws SMS consent). */
async function refuse(
  db: Db,
  message: { workspaceId: string; customerId: string },
  answer: { status: number; headers: Record<string, string | string[] | undefined> },
  body: Record<string, unknown> | null,
): Promise<never> {
  const code = typeof body?.code === 'number' || (typeof body?.code === 'string' && /^\d{1,9}$/.test(body.code)) ? Number(body.code) : null;
  const said = typeof body?.message === 'string' ? body.message.replace(/\s+/g, ' ').slice(0, 300) : '';
  const codeText = String(code ?? answer.status);
  const words = `the SMS API answered ${answer.status}${code !== null ? ` (error ${code})` : ''}${said ? `: ${said}` : ''}`;
  if (answer.status === 429 || answer.status >= 500) throw new TransientDeliveryError(words, { code: codeText, retryAfterMs: retryAfter(answer.headers['retry-after']) });
  if (answer.status === 401 || answer.status === 403)
    throw new PermanentDeliveryError(`the SMS API refused the credentials (${answer.status}): check the account SID and auth token`, { code: codeText });
  if (code !== null && badNumber.has(code)) throw new PermanentDeliveryError(words, { code: codeText, bounced: true });
  if (code === optedOut) {
    // Twilio holds the opt-out; mirroring it keeps later journeys from trying (skipped:no-consent).
    if (message.customerId !== 'test') {
      await db
        .transaction((tx) => changeConsent(tx, { workspaceId: message.workspaceId, customerId: message.customerId, channel: 'sms', consent: 'unsubscribed', source: 'sms-reply' }))
        .catch((error) => logErrorOnce(`sms-opted-out:${message.workspaceId}`, error, 'could not withdraw SMS consent after a 21610 answer'));
    }
    throw new PermanentDeliveryError(words, { code: codeText });
  }
  if (code !== null && unroutable.has(code)) throw new PermanentDeliveryError(words, { code: codeText });
  throw new PermanentDeliveryError(answer.status >= 300 && answer.status < 400 ? `the SMS API answered ${answer.status} (a redirect): check the base URL` : words, { code: codeText });
}

/** One request through the provider's pool; network failures and timeouts become transient errors. */
async function post(agent: Agent, url: URL, body: string, headers: Record<string, string>) {
  try {
    const response = await agent.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      if (size < maxAnswerBytes) chunks.push(chunk.subarray(0, maxAnswerBytes - size));
      size += chunk.length;
    }
    return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    if (error instanceof PermanentDeliveryError) throw error; // a refused (private) destination
    const code = (error as { code?: string }).code;
    const timedOut = (error as Error).name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
    throw new TransientDeliveryError(timedOut ? 'the SMS API timed out' : 'could not connect to the SMS API', { cause: error });
  }
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
