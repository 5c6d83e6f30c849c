import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { messages } from '../../db/schema.ts';
import { writeSteps } from '../execution/write-steps.ts';
import { addToNodeStats, perChannel } from '../execution/node-stats.ts';
import { providerChannels } from '../execution/persist-batch.ts';
import { type Channel, type FailureDetail, PermanentDeliveryError, TransientDeliveryError } from '../../channels/channel.ts';
import type { Clock } from '../../clock.ts';
import { instrumentEmail, type Signer, trackingUrls } from '../engagement/instrument-email.ts';
import { storableText } from '@waymark/shared';
import { anyOf, storableJsonText } from '../../db/bulk-sql.ts';
import { isTransientDatabaseError } from '../../db/database-errors.ts';
import { recordDeadLetter } from '../dead-letters/dead-letters.ts';
import type { ProviderChannels } from '../providers/provider-channels.ts';
import { rememberSandboxed } from '../providers/sandbox-recent.ts';

/** Attempts before a message fails: the backoff below spreads them over more than ten minutes, so an outage that long loses nothing. */
export const maxAttempts = 10;

export interface DeliveryDeps {
  /** What each channel sends through when the workspace has no provider for it (the sandbox, or a test's adapter). */
  channels: Record<string, Channel>;
  /** The workspaces' own providers (SMTP, SMS, web push); absent: every channel uses `channels`. */
  providers?: ProviderChannels;
  clock: Clock;
  /** Where recipients reach the runtime: the base of tracking and unsubscribe links. */
  publicUrl: string;
  /** Signs click-tracking links (the runtime's secret box); without it clicks are redirected but not recorded. */
  signer?: Signer;
}

/** A delivery job: the outbox messages of one channel written by one batch (older jobs: one message). */
export interface DeliveryJob {
  messageIds?: string[];
  messageId?: string;
}

/**
 * How long a message waits before its next attempt: 2 s doubling to at most 5 minutes, ±20 %
 * jitter so messages failed together do not come back together. Attempts 1–10 wait at least
 * 0.8 × (2 + 4 + … + 256 + 300) s ≈ 11 minutes in all.
 */
export const retryDelayMs = (attempts: number, random = Math.random) => Math.round(Math.min(300_000, 2_000 * 2 ** Math.max(0, attempts - 1)) * (0.8 + 0.4 * random()));

/** Sends at most this many messages of a job at once (webhook endpoints are somebody's server). */
const concurrency = 32;

/** How long a handler holds claimed messages: room for every send to time out, in waves of `concurrency`, and to record. */
const leaseMs = (count: number) => 60_000 + Math.ceil(count / concurrency) * 15_000;

/**
 * Records outcomes, trying again for a while if the database is briefly away: the messages were
 * sent, and recording them is what keeps them from being sent again once their lease expires.
 */
async function recordPatiently(db: Db, now: number, outcomes: Outcome[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await record(db, now, outcomes);
    } catch (error) {
      if (attempt >= 6 || !isTransientDatabaseError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

type MessageRow = typeof messages.$inferSelect;
type Outcome = { message: MessageRow } & (
  | { ok: true; providerId: string | null; segments: number | null }
  | { ok: false; final: boolean; permanent: boolean; error: string; detail: FailureDetail; retryAfterMs?: number }
);

/**
 * Delivers outbox messages. Messages of workspaces without a provider for the channel go to the
 * sandbox (recorded, nothing leaves) in one statement. The others are claimed in one statement
 * with a lease (counting the attempt; a message already sent, failed or held by another handler
 * is not claimed, so a job handed out twice sends once), sent through the workspace's provider —
 * at its rate limit, a few dozen at a time — and every outcome is recorded in one transaction:
 * status, provider id, SMS segments, counters, a step for terminal failures, a bounced address.
 * Messages that failed every retry for a passing reason are set aside as dead letters. Returns
 * the ids to try again, and when.
 */
export async function deliverMessages(db: Db, deps: DeliveryDeps, channelName: string, messageIds: string[]): Promise<{ retry: string[]; delayMs: number }> {
  const { channels, clock, publicUrl } = deps;
  if (!messageIds.length) return { retry: [], delayMs: 0 };
  await holdPaused(db, messageIds);
  const fallback = channels[channelName];
  if (fallback?.recordsOnly) {
    const withProviders = Boolean(deps.providers) && providerChannels.has(channelName);
    const recorded = await recordWithoutSending(db, clock.now(), messageIds, { channel: channelName, exceptProviders: withProviders });
    if (!withProviders || recorded >= messageIds.length) return { retry: [], delayMs: 0 };
  }
  // A lease, not just a status: a job handed out twice (pg-boss delivers at least once) finds the
  // messages held and sends nothing; a crashed handler's messages are taken over once it expires.
  const now = clock.now();
  const claimed = await db
    .update(messages)
    .set({ status: 'sending', attempts: sql`${messages.attempts} + 1`, leaseUntil: new Date(now + leaseMs(messageIds.length)).toISOString() })
    .where(sql`${anyOf(messages.id, messageIds)} and (${messages.status} in ('queued', 'retrying') or (${messages.status} = 'sending' and ${messages.leaseUntil} < ${new Date(now).toISOString()}))`)
    .returning();
  if (!claimed.length) return { retry: [], delayMs: 0 };
  const routes = providerChannels.has(channelName) && deps.providers ? await deps.providers.forWorkspaces(channelName, [...new Set(claimed.map((m) => m.workspaceId))]) : new Map();
  // Outcomes are recorded a wave at a time as sends finish, not once at the end: a provider's
  // status callback finds its message recorded within a wave, and a handler that dies mid-job
  // (a rate-limited job can take minutes) leaves only its last wave to be sent again.
  // A job held back by its provider's rate limit can outlast its lease: past half of it, each
  // wave renews the lease of the messages not sent yet, so no other handler takes them over.
  const lease = leaseMs(messageIds.length);
  let renewAt = now + lease / 2;
  const unsent = new Set(claimed.map((m) => m.id));
  const recorder = waves(concurrency, async (wave: Outcome[]) => {
    await recordPatiently(db, clock.now(), wave);
    for (const o of wave) unsent.delete(o.message.id);
    if (clock.now() < renewAt || !unsent.size) return;
    renewAt = clock.now() + lease / 2;
    await db.execute(sql`update messages set lease_until = ${new Date(clock.now() + lease).toISOString()} where ${anyOf(messages.id, [...unsent])} and status = 'sending'`);
  });
  const outcomes = await mapLimited(claimed, concurrency, async (message): Promise<Outcome> => {
    const outcome = await sendOne(message);
    await recorder.add(outcome);
    return outcome;
  });
  await recorder.flush();
  async function sendOne(message: MessageRow): Promise<Outcome> {
    try {
      const route = routes.get(message.workspaceId);
      const channel = route?.channel ?? channels[message.channel];
      if (!channel) throw new PermanentDeliveryError(`no adapter for the ${message.channel} channel`);
      const rendered = message.content as Record<string, unknown>;
      const content = message.channel === 'email' ? instrumentEmail(rendered, trackingUrls(publicUrl, message.id, deps.signer)) : rendered;
      await route?.limit();
      const sent = await channel.send({ id: message.id, workspaceId: message.workspaceId, channel: message.channel, to: message.to, content, customerId: message.customerId });
      return { message, ok: true, providerId: sent.providerId ?? null, segments: sent.segments ?? null };
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      const detail = permanent || error instanceof TransientDeliveryError ? error.detail : {};
      return {
        message,
        ok: false,
        final: permanent || message.attempts >= maxAttempts,
        permanent,
        error: storableText(String((error as Error)?.message ?? error)).slice(0, 1_000),
        detail: { code: detail.code, ...(permanent ? { bounced: (detail as FailureDetail).bounced, gone: (detail as FailureDetail).gone } : {}) },
        retryAfterMs: error instanceof TransientDeliveryError ? error.detail.retryAfterMs : undefined,
      };
    }
  }
  const retry = outcomes.filter((o): o is Outcome & { ok: false } => !o.ok && !o.final);
  const delayMs = Math.max(0, ...retry.map((o) => Math.max(retryDelayMs(o.message.attempts), Math.min(o.retryAfterMs ?? 0, 3_600_000))));
  return { retry: retry.map((o) => o.message.id), delayMs };
}

/**
 * Marking messages sent is all the sandbox and the in-app inbox do: most are recorded so when
 * queued (`persistBatch`); those that still come here (released after a pause, queued by an older
 * version) are claimed and recorded in one statement, with the counters in the same transaction.
 * With `exceptProviders`, messages of workspaces that connected a provider for the channel are
 * left for it. In-app messages that expire (`content.expiresInHours`) get their end. Returns how
 * many were recorded.
 */
async function recordWithoutSending(db: Db, now: number, messageIds: string[], { channel, exceptProviders }: { channel: string; exceptProviders: boolean }): Promise<number> {
  const at = new Date(now).toISOString();
  const inbox = channel === 'in-app';
  return db.transaction(async (tx) => {
    const sent = await tx.execute<{ workspace_id: string; journey_id: string; version: number; node_id: string; channel: string; n: number; ids: string[] }>(sql`
      with sent as (
        update messages set status = 'sent', attempts = attempts + 1, sent_at = ${at}, provider_id = ${inbox ? 'in-app:' : 'sandbox:'} || id, error = null${
          inbox
            ? sql`, expires_at = case when jsonb_typeof(content -> 'expiresInHours') = 'number' then ${at}::timestamptz + make_interval(hours => least((content ->> 'expiresInHours')::numeric, 8760)::int) end`
            : sql``
        }
        where ${anyOf(messages.id, messageIds)} and status in ('queued', 'sending', 'retrying')${
          exceptProviders ? sql` and not exists (select 1 from providers p where p.workspace_id = messages.workspace_id and p.channel = messages.channel)` : sql``
        }
        returning id, workspace_id, journey_id, version, node_id, channel)
      select workspace_id, journey_id, version, node_id, channel, count(*)::int as n, (array_agg(id))[1:50] as ids from sent group by 1, 2, 3, 4, 5`);
    await addToNodeStats(
      tx,
      sent.flatMap((r) => perChannel({ workspaceId: r.workspace_id, journeyId: r.journey_id, version: r.version, nodeId: r.node_id, metric: 'sent', count: r.n }, r.channel)),
      now,
    );
    if (!inbox)
      await rememberSandboxed(
        tx,
        channel,
        sent.flatMap((r) => r.ids.map((id) => ({ workspaceId: r.workspace_id, entry: { id, at } }))),
      );
    return sent.reduce((sum, r) => sum + r.n, 0);
  });
}

/**
 * Messages of a paused journey are not sent (SPEC P1): they wait in the outbox as `held` until
 * the journey is resumed, which queues them again (or skips them as stale, by the journey's setting).
 */
async function holdPaused(db: Db, messageIds: string[]) {
  // Paused journeys are few: found first, so the usual case (none) reads no message.
  const paused = await db.execute<{ id: string }>(sql`select id from journeys where status = 'paused'`);
  if (!paused.length) return;
  await db.execute(sql`
    update messages set status = 'held', lease_until = null
    where ${anyOf(messages.id, messageIds)} and messages.status in ('queued', 'retrying')
      and ${anyOf(
        messages.journeyId,
        paused.map((j) => j.id),
      )}`);
}

/**
 * Collects outcomes and records them `size` at a time, one recording after another (each in its
 * own transaction); `flush` records what is left and waits for every recording.
 */
function waves<T>(size: number, record: (wave: T[]) => Promise<unknown>) {
  let pending: T[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  const take = () => {
    const wave = pending;
    pending = [];
    chain = chain.then(() => record(wave));
    return chain;
  };
  return {
    async add(item: T) {
      pending.push(item);
      if (pending.length >= size) await take();
    },
    async flush() {
      if (pending.length) take();
      await chain;
    },
  };
}

/** `Promise.all` over `items` with at most `limit` in flight. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

async function record(db: Db, now: number, outcomes: Outcome[]) {
  if (!outcomes.length) return;
  const at = new Date(now).toISOString();
  const rows = outcomes.map((o) =>
    o.ok
      ? { id: o.message.id, status: 'sent', provider_id: o.providerId, sent_at: at, error: null, error_code: null, segments: o.segments }
      : { id: o.message.id, status: o.final ? 'failed' : 'retrying', provider_id: null, sent_at: null, error: o.error, error_code: o.detail.code ?? null, segments: null },
  );
  const settled = outcomes
    .filter((o) => o.ok || o.final)
    .flatMap(({ message, ok }) =>
      perChannel({ workspaceId: message.workspaceId, journeyId: message.journeyId, version: message.version, nodeId: message.nodeId, metric: ok ? 'sent' : 'failed', count: 1 }, message.channel),
    );
  const failures = outcomes.filter((o): o is Outcome & { ok: false } => !o.ok && o.final);
  await db.transaction(async (tx) => {
    const recorded = await tx.execute<{ id: string }>(sql`
      update messages m set status = v.status, provider_id = coalesce(v.provider_id, m.provider_id), sent_at = v.sent_at, error = v.error, error_code = v.error_code,
        segments = coalesce(v.segments, m.segments), lease_until = null
      from jsonb_to_recordset(${storableJsonText(rows)}::jsonb) as v(id text, status text, provider_id text, sent_at timestamptz, error text, error_code text, segments int)
      where m.id = v.id returning m.id`);
    const bounced = failures.filter((o) => o.detail.bounced && o.message.to);
    if (bounced.length) await markBounced(tx, bounced, at);
    await addToNodeStats(tx, settled, now);
    // Only for messages still there: a customer erased while their message was in flight stays erased.
    const stillThere = new Set(recorded.map((r) => r.id));
    await writeSteps(
      tx,
      failures
        .filter((o) => stillThere.has(o.message.id))
        .map(({ message, error }) => ({
          workspaceId: message.workspaceId,
          progressId: message.progressId,
          journeyId: message.journeyId,
          version: message.version,
          nodeId: message.nodeId,
          handle: null,
          reason: 'delivery-failed',
          detail: `${message.channel} delivery failed after ${message.attempts} attempt(s): ${error}`,
          at,
        })),
    );
    // A message that failed every retry for a passing reason (a server down, timing out) is set aside,
    // in this transaction, to be retried once the receiver is fixed; a permanent refusal stays failed.
    for (const o of failures) {
      if (o.permanent) continue;
      await recordDeadLetter(tx, { kind: 'delivery', ref: o.message.id, payload: { messageId: o.message.id, channel: o.message.channel }, error: new Error(o.error), attempts: o.message.attempts });
    }
  });
}

/**
 * A hard bounce (the address does not exist, the number is invalid) marks the customer's address
 * as bounced while it is still their address, so later sends skip it (`skipped:bounced`) until a
 * new address arrives; the bounce is an event on the customer's timeline (`Message Bounced`),
 * which journeys can trigger on.
 */
async function markBounced(tx: Tx, bounced: (Outcome & { ok: false })[], at: string) {
  const rows = bounced.map(({ message, detail, error }) => ({ id: message.id, customer: message.customerId, channel: message.channel, to: message.to, code: detail.code ?? null, error }));
  await tx.execute(sql`
    update customers c set channels = jsonb_set(c.channels, array[v.channel], (c.channels -> v.channel) || '{"bounced": true}'::jsonb), updated_at = ${at}
    from jsonb_to_recordset(${storableJsonText(rows)}::jsonb) as v(id text, customer text, channel text, "to" text, code text, error text)
    where c.id = v.customer and c.channels -> v.channel ->> 'address' = v."to"`);
  await tx.execute(sql`
    with stored as (
      insert into events (workspace_id, message_id, customer_id, type, name, properties, timestamp)
      select m.workspace_id, 'bounced:' || m.id, m.customer_id, 'track', 'Message Bounced',
        jsonb_build_object('messageId', m.id, 'channel', m.channel, 'address', m.to, 'code', v.code, 'reason', v.error, 'journeyId', m.journey_id, 'nodeId', m.node_id), ${at}
      from jsonb_to_recordset(${storableJsonText(rows)}::jsonb) as v(id text, code text, error text) join messages m on m.id = v.id
      on conflict do nothing
      returning id, customer_id)
    insert into event_queue (event_id, customer_id) select id, customer_id from stored`);
}
