import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { messages } from '../../db/schema.ts';
import { addToNodeStats, perChannel } from '../execution/node-stats.ts';
import { PermanentDeliveryError, type Channel } from '../../channels/channel.ts';
import type { Clock } from '../../clock.ts';
import { instrumentEmail, trackingUrls } from '../engagement/instrument-email.ts';
import { storableText } from '@waymark/shared';
import { anyOf, storableJsonText } from '../../db/bulk-sql.ts';
import { isTransientDatabaseError } from '../../db/database-errors.ts';
import { recordDeadLetter } from '../dead-letters/dead-letters.ts';

export const maxAttempts = 5;

export interface DeliveryDeps {
  channels: Record<string, Channel>;
  clock: Clock;
  /** Where recipients reach the runtime: the base of tracking and unsubscribe links. */
  publicUrl: string;
}

/** A delivery job: the outbox messages of one channel written by one batch (older jobs: one message). */
export interface DeliveryJob {
  messageIds?: string[];
  messageId?: string;
}

/** How long a message waits before its next attempt: 2 s, 4 s, 8 s, 16 s. */
export const retryDelayMs = (attempts: number) => 2_000 * 2 ** Math.max(0, attempts - 1);

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
type Outcome = { message: MessageRow } & ({ ok: true; providerId: string | null } | { ok: false; final: boolean; permanent: boolean; error: string });

/**
 * Delivers outbox messages: claims them in one statement with a lease (counting the attempt; a
 * message already sent, failed or held by another handler is not claimed, so a job handed out
 * twice sends once), sends them through their channels a few dozen at a time, then records every
 * outcome — status, counters, a step for terminal failures — in one transaction; messages that
 * failed every retry for a passing reason are set aside as dead letters. Returns the ids to try
 * again later.
 */
export async function deliverMessages(db: Db, { channels, clock, publicUrl }: DeliveryDeps, channelName: string, messageIds: string[]): Promise<{ retry: string[]; attempts: number }> {
  if (!messageIds.length) return { retry: [], attempts: 0 };
  if (channels[channelName]?.recordsOnly) {
    await holdPaused(db, messageIds);
    await recordWithoutSending(db, clock.now(), messageIds);
    return { retry: [], attempts: 0 };
  }
  await holdPaused(db, messageIds);
  // A lease, not just a status: a job handed out twice (pg-boss delivers at least once) finds the
  // messages held and sends nothing; a crashed handler's messages are taken over once it expires.
  const now = clock.now();
  const claimed = await db
    .update(messages)
    .set({ status: 'sending', attempts: sql`${messages.attempts} + 1`, leaseUntil: new Date(now + leaseMs(messageIds.length)).toISOString() })
    .where(sql`${anyOf(messages.id, messageIds)} and (${messages.status} in ('queued', 'retrying') or (${messages.status} = 'sending' and ${messages.leaseUntil} < ${new Date(now).toISOString()}))`)
    .returning();
  const outcomes = await mapLimited(claimed, concurrency, async (message): Promise<Outcome> => {
    try {
      const channel = channels[message.channel];
      if (!channel) throw new PermanentDeliveryError(`no adapter for the ${message.channel} channel`);
      const rendered = message.content as Record<string, unknown>;
      const content = message.channel === 'email' ? instrumentEmail(rendered, trackingUrls(publicUrl, message.id)) : rendered;
      const { providerId } = await channel.send({ id: message.id, workspaceId: message.workspaceId, channel: message.channel, to: message.to, content, customerId: message.customerId });
      return { message, ok: true, providerId: providerId ?? null };
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      return { message, ok: false, final: permanent || message.attempts >= maxAttempts, permanent, error: storableText(String((error as Error)?.message ?? error)).slice(0, 1_000) };
    }
  });
  await recordPatiently(db, clock.now(), outcomes);
  const retry = outcomes.filter((o) => !o.ok && !o.final);
  return { retry: retry.map((o) => o.message.id), attempts: Math.max(0, ...retry.map((o) => o.message.attempts)) };
}

/**
 * The sandbox's delivery: marking the messages sent is all there is to do, so the claim and the
 * outcome are one statement, with the counters in the same transaction.
 */
async function recordWithoutSending(db: Db, now: number, messageIds: string[]) {
  await db.transaction(async (tx) => {
    const sent = await tx.execute<{ workspace_id: string; journey_id: string; version: number; node_id: string; channel: string; n: number }>(sql`
      with sent as (
        update messages set status = 'sent', attempts = attempts + 1, sent_at = ${new Date(now).toISOString()}, provider_id = 'sandbox:' || id, error = null
        where ${anyOf(messages.id, messageIds)} and status in ('queued', 'sending', 'retrying')
        returning workspace_id, journey_id, version, node_id, channel)
      select workspace_id, journey_id, version, node_id, channel, count(*)::int as n from sent group by 1, 2, 3, 4, 5`);
    await addToNodeStats(
      tx,
      sent.flatMap((r) => perChannel({ workspaceId: r.workspace_id, journeyId: r.journey_id, version: r.version, nodeId: r.node_id, metric: 'sent', count: r.n }, r.channel)),
      now,
    );
  });
}

/**
 * Messages of a paused journey are not sent (SPEC P1): they wait in the outbox as `held` until
 * the journey is resumed, which queues them again (or skips them as stale, by the journey's setting).
 */
async function holdPaused(db: Db, messageIds: string[]) {
  await db.execute(sql`
    update messages set status = 'held', lease_until = null
    where ${anyOf(messages.id, messageIds)} and messages.status in ('queued', 'retrying')
      and exists (select 1 from journeys j where j.id = messages.journey_id and j.status = 'paused')`);
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
      ? { id: o.message.id, status: 'sent', provider_id: o.providerId, sent_at: at, error: null }
      : { id: o.message.id, status: o.final ? 'failed' : 'retrying', provider_id: null, sent_at: null, error: o.error },
  );
  const settled = outcomes
    .filter((o) => o.ok || o.final)
    .flatMap(({ message, ok }) =>
      perChannel({ workspaceId: message.workspaceId, journeyId: message.journeyId, version: message.version, nodeId: message.nodeId, metric: ok ? 'sent' : 'failed', count: 1 }, message.channel),
    );
  const failures = outcomes.filter((o): o is Outcome & { ok: false } => !o.ok && o.final);
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      update messages m set status = v.status, provider_id = coalesce(v.provider_id, m.provider_id), sent_at = v.sent_at, error = v.error, lease_until = null
      from jsonb_to_recordset(${storableJsonText(rows)}::jsonb) as v(id text, status text, provider_id text, sent_at timestamptz, error text)
      where m.id = v.id`);
    await addToNodeStats(tx, settled, now);
    if (failures.length) {
      // Only for messages still there: a customer erased while their message was in flight stays erased.
      const failed = failures.map((o) => ({ id: o.message.id, detail: `${o.message.channel} delivery failed after ${o.message.attempts} attempt(s): ${o.error}` }));
      await tx.execute(sql`
        insert into steps (workspace_id, progress_id, journey_id, version, node_id, handle, reason, detail, at)
        select m.workspace_id, m.progress_id, m.journey_id, m.version, m.node_id, null, 'delivery-failed', v.detail, ${at}
        from jsonb_to_recordset(${storableJsonText(failed)}::jsonb) as v(id text, detail text) join messages m on m.id = v.id`);
    }
    // A message that failed every retry for a passing reason (a server down, timing out) is set aside,
    // in this transaction, to be retried once the receiver is fixed; a permanent refusal stays failed.
    for (const o of failures) {
      if (o.permanent) continue;
      await recordDeadLetter(tx, { kind: 'delivery', ref: o.message.id, payload: { messageId: o.message.id, channel: o.message.channel }, error: new Error(o.error), attempts: o.message.attempts });
    }
  });
}
