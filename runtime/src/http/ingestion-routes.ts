import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { isDataError } from '../db/database-errors.ts';
import { QueueFullError } from '../services/ingestion/group-commit.ts';
import { ApiError, unavailable } from './api-error.ts';
import { findUnstorable } from './find-unstorable.ts';
import { readJsonBody } from './read-body.ts';
import { callTypes, limits, SegmentCall } from '../services/ingestion/segment-calls.ts';
import type { ReceivedCall } from '../services/ingestion/ingest-calls.ts';
import type { SecretBox } from '../services/secrets/secret-box.ts';
import type { Db } from '../db/database.ts';
import { inboxRoutes } from './inbox-routes.ts';
import { pushRoutes } from './push-routes.ts';

export interface IngestionDeps {
  workspaceForKey(secret: string): Promise<string | null>;
  /** Stores the calls; `bytes` is about how much memory they hold while they wait for the commit. */
  submit(calls: ReceivedCall[], bytes: number): Promise<void>;
  now(): number;
}

type Env = { Variables: { workspaceId: string } };

/** What the browser-facing routes (`/v1/push`, `/v1/inbox`) read besides ingestion. */
export interface BrowserRouteDeps {
  db: Db;
  box: SecretBox;
}

/**
 * Browsers on customers' sites call `/v1/*` with the public write key: any origin may, without
 * cookies (the key is the credential, sent in Authorization). Preflights are answered before the
 * key is checked, since a browser sends them without it.
 */
const browsers = cors({ origin: '*', allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'], allowHeaders: ['Authorization', 'Content-Type'], credentials: false, maxAge: 86_400 });

/**
 * Segment's HTTP Tracking API: `/v1/identify|track|page|screen|group|alias|batch`, Basic auth with
 * the write key as user name. Answers 200 only after the calls are committed. A batch with an
 * invalid call is refused whole (400 naming the call's index and field) so a client's retry of
 * the corrected batch cannot half-duplicate it. With `browser`, also the routes sites' scripts call
 * with the same key: `/v1/push` (VAPID key, subscriptions) and `/v1/inbox` (the in-app inbox).
 */
export function ingestionRoutes(deps: IngestionDeps, browser?: BrowserRouteDeps) {
  const app = new Hono<Env>();
  app.use('*', browsers);

  app.use('*', async (c, next) => {
    const secret = writeKeyOf(c.req.header('authorization'));
    const workspaceId = secret ? await deps.workspaceForKey(secret) : null;
    if (!workspaceId) throw new ApiError(401, 'invalid-write-key', secret ? 'The write key is not valid (it may have been revoked).' : 'Send the write key as the user name of HTTP Basic auth.');
    c.set('workspaceId', workspaceId);
    await next();
  });

  app.post('/batch', async (c) => {
    const body = await readJsonBody(c.req.raw, { maxBytes: limits.batchBytes });
    const batch = isObject(body) ? body.batch : undefined;
    if (!Array.isArray(batch)) throw new ApiError(400, 'invalid-batch', 'A batch body is { "batch": [ ...calls ] }.', { field: 'batch' });
    if (batch.length > limits.batchCalls) throw new ApiError(413, 'too-many-calls', `A batch holds at most ${limits.batchCalls} calls; this one has ${batch.length}.`);
    // Of the batch-level context Waymark uses only the time zone: each call takes it unless it has its own.
    const context = isObject(body) && isObject(body.context) ? body.context : undefined;
    const unstorable = findUnstorable(context, 'context');
    if (unstorable)
      throw new ApiError(400, 'unstorable-text', `The batch has text that cannot be stored at "${unstorable.field}": ${unstorable.problem}. Nothing in this request was stored.`, {
        field: unstorable.field,
      });
    const timezone = typeof context?.timezone === 'string' ? context.timezone : undefined;
    const parsed = batch.map((raw, index) => parseCall(raw, index, timezone));
    await accept(
      c.get('workspaceId'),
      parsed.map((p) => p.call),
      parsed.reduce((sum, p) => sum + p.bytes, 0),
    );
    return c.json({ success: true });
  });

  for (const type of callTypes) {
    app.post(`/${type}`, async (c) => {
      const body = await readJsonBody(c.req.raw, { maxBytes: limits.callBytes });
      if (!isObject(body)) throw new ApiError(400, 'invalid-call', 'The call is not an object.', { index: null });
      const { call, bytes } = parseCall({ ...body, type }, null);
      await accept(c.get('workspaceId'), [call], bytes);
      return c.json({ success: true });
    });
  }

  if (browser) {
    app.route('/push', pushRoutes(browser.db, browser.box, deps.now));
    app.route('/inbox', inboxRoutes(browser.db, deps.now));
  }

  async function accept(workspaceId: string, calls: SegmentCall[], bytes: number) {
    const receivedAt = deps.now();
    try {
      await deps.submit(
        calls.map((call) => ({ workspaceId, call, receivedAt })),
        bytes,
      );
    } catch (error) {
      if (error instanceof QueueFullError) throw unavailable('Waymark is receiving more events than it can store right now; nothing of this request was stored. Send it again shortly.');
      // Written alone (the group commit splits failed groups), so the database refused this request's own data.
      if (isDataError(error)) throw new ApiError(400, 'unstorable', 'The database refused a value of this request (a text or number it cannot store); nothing of it was stored.');
      throw error;
    }
  }
  return app;
}

/** A call checked against the contract, with its size as JSON. */
function parseCall(raw: unknown, index: number | null, batchTimezone?: string): { call: SegmentCall; bytes: number } {
  const where = index === null ? 'The call' : `Call ${index} of the batch`;
  if (!isObject(raw)) throw new ApiError(400, 'invalid-call', `${where} is not an object.`, { index });
  const size = Buffer.byteLength(JSON.stringify(raw));
  if (size > limits.callBytes) throw new ApiError(413, 'call-too-large', `${where} is ${Math.round(size / 1024)} KB; a call may be at most 32 KB.`, { index });
  const unstorable = findUnstorable(raw);
  if (unstorable)
    throw new ApiError(400, 'unstorable-text', `${where} has text that cannot be stored at "${unstorable.field}": ${unstorable.problem}. Nothing in this request was stored.`, {
      index,
      field: unstorable.field,
    });
  const own = raw.context;
  const withContext = batchTimezone && (own === undefined || (isObject(own) && own.timezone === undefined)) ? { ...raw, context: { ...own, timezone: batchTimezone } } : raw;
  const parsed = SegmentCall.safeParse(withContext);
  if (parsed.success) return { call: parsed.data, bytes: size };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'type';
  const message = issue.code === 'invalid_union' && field === 'type' ? `type must be one of ${callTypes.join(', ')}` : issue.message;
  throw new ApiError(400, 'invalid-call', `${where} is invalid at "${field}": ${message}. Nothing in this request was stored.`, { index, field });
}

function writeKeyOf(header: string | undefined): string | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const user = decoded.split(':')[0];
  return user ? user : null;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
