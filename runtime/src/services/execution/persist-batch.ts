import { sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { Tx } from '../../db/database.ts';
import { anyOf, chunk, insertJson, storableJsonText } from '../../db/bulk-sql.ts';
import { ConcurrentUpdateError } from '../../db/database-errors.ts';
import { addToNodeStats, perChannel } from './node-stats.ts';
import { writeSteps } from './write-steps.ts';
import { countStat, type Batch, type MessageRow, type RunRecord } from './run-batch.ts';
import { rememberSandboxed } from '../providers/sandbox-recent.ts';

/** Queue names: timers, and one delivery queue per channel. */
export const timerQueue = 'timers';
/** Wake-ups of the timer worker: at most one queued per due second (`singletonKey`, a `short` queue). */
export const timerWakeQueue = 'timer-wake';
export const deliveryQueue = (channel: string) => `deliver-${channel}`;

/**
 * Where a batch's messages go: pg-boss delivery jobs, except for channels that deliver nothing
 * (the sandbox, the in-app inbox), whose messages are recorded as sent in the transaction that
 * queues them — unless the workspace connected a provider for the channel.
 */
export interface Outbox {
  boss: PgBoss;
  /** Channels recorded as sent when queued (their adapter only records). */
  recordedOnQueue: ReadonlySet<string>;
  /** Whether workspaces' own providers are in use (then a workspace's provider takes its messages on the channel). */
  providers: boolean;
}

/**
 * The outbox of a runtime: messages of channels whose adapter only records (the sandbox, the
 * inbox) are recorded on queueing; with `providers`, a workspace's own provider takes its channel.
 */
export const outboxOf = (boss: PgBoss, channels: Record<string, { recordsOnly?: boolean } | undefined>, providers: boolean): Outbox => ({
  boss,
  recordedOnQueue: new Set(Object.keys(channels).filter((channel) => channels[channel]?.recordsOnly)),
  providers,
});

/** Channels a workspace can connect a provider for; the in-app inbox and webhooks have none. */
export const providerChannels: ReadonlySet<string> = new Set(['email', 'sms', 'push']);

/**
 * Told the earliest due time of each batch that schedules timers (before it commits): a worker in
 * this process sets an alarm for it, so a timer due in a moment fires on time rather than at the
 * next poll of its wake-up job. Only a shortcut: the wake-up jobs and the sweep are what guarantee it.
 */
export const timerListeners = new Set<(at: number) => void>();

function waitingFor(run: RunRecord): string | null {
  const position = run.progress.position;
  if (position?.waiting !== 'event') return null;
  const state = run.machine.states[position.nodeId];
  return state?.type === 'wait-for-event' ? state.event : null;
}

function progressRow(run: RunRecord) {
  const p = run.progress;
  return {
    id: p.id,
    workspaceId: run.workspaceId,
    journeyId: run.journeyId,
    version: run.version,
    customerId: p.customerId,
    key: p.key,
    status: p.status,
    nodeId: p.position?.nodeId ?? null,
    waitingFor: waitingFor(run),
    state: p,
    revision: (run.revision ?? 0) + 1,
    enteredAt: p.enteredAt,
    endedAt: p.endedAt,
    dueAt: p.status === 'active' ? (p.position?.until ?? null) : null,
  };
}

/**
 * Writes a batch in the caller's transaction with set-based statements: runs (new ones inserted,
 * changed ones updated only at the revision they were read at), steps, outbox messages (a
 * repeated idempotency key inserts nothing), their delivery jobs and the timers — pg-boss jobs
 * sent through the same transaction — inputs held for paused journeys, refused entries, trait
 * changes, counters and frequency-cap counts.
 */
export async function persistBatch(tx: Tx, outbox: Outbox, batch: Batch, now: number): Promise<void> {
  const { boss } = outbox;
  const db = fromDrizzle(tx, sql);
  const changed = [...batch.runs.values()].filter((run) => run.changed);
  // Runs that ended first, then the new ones: an event may end a customer's run and start the next,
  // and only one may be active at a time (progress_one_active_run).
  const updated = changed.filter((run) => run.revision !== null).map((run) => ({ ...progressRow(run), previous: run.revision }));
  for (const rows of chunk(updated, 2_000)) {
    const result = await tx.execute(sql`
      update progress p set status = v.status, node_id = v.node_id, waiting_for = v.waiting_for, state = v.state,
        revision = v.revision, ended_at = v.ended_at, due_at = v.due_at
      from jsonb_to_recordset(${storableJsonText(rows.map((r) => ({ id: r.id, status: r.status, node_id: r.nodeId, waiting_for: r.waitingFor, state: r.state, revision: r.revision, ended_at: r.endedAt, due_at: r.dueAt, previous: r.previous })))}::jsonb)
        as v(id text, status text, node_id text, waiting_for text, state jsonb, revision int, ended_at timestamptz, due_at timestamptz, previous int)
      where p.id = v.id and p.revision = v.previous`);
    if ((result as unknown as { count: number }).count !== rows.length) throw new ConcurrentUpdateError('a run changed while this batch ran; retrying');
  }
  const created = changed.filter((run) => run.revision === null).map(progressRow);
  for (const rows of chunk(created, 5_000)) {
    await tx.execute(insertJson('progress', rows));
    await tx.execute(
      insertJson(
        'run_entries',
        rows.map((r) => ({ workspaceId: r.workspaceId, journeyId: r.journeyId, version: r.version, enteredAt: r.enteredAt, customerId: r.customerId })),
      ),
    );
  }

  await writeSteps(tx, batch.steps);

  const recorded = await recordedOnQueue(tx, outbox, batch.messages);
  const at = new Date(now).toISOString();
  for (const rows of chunk(batch.messages, 5_000)) {
    const inserted = await tx.execute<{ id: string; channel: string; createdAt: string; status: string }>(
      insertJson(
        'messages',
        rows.map((row) => (recorded.has(row) ? { ...row, ...sentOnQueue(row, at) } : { ...row, status: 'queued', attempts: 0, sentAt: null, providerId: null, expiresAt: null })),
        sql`on conflict do nothing returning id, channel, created_at as "createdAt", status`,
      ),
    );
    const queued = inserted.filter((m) => m.status === 'queued');
    for (const [channel, list] of Map.groupBy(queued, (m) => m.channel)) {
      // One job per channel and batch; due at the runtime clock's now (not the database's), so a
      // test clock governs delivery too.
      for (const part of chunk(list, 500)) {
        await boss.insert(deliveryQueue(channel), [{ data: { messageIds: part.map((m) => m.id) }, startAfter: new Date(part[0]!.createdAt) }], { db });
      }
    }
    const sent = new Set(inserted.filter((m) => m.status === 'sent').map((m) => m.id));
    const sentRows = rows.filter((row) => sent.has(row.id));
    for (const row of sentRows) {
      for (const delta of perChannel({ workspaceId: row.workspaceId, journeyId: row.journeyId, version: row.version, nodeId: row.nodeId, metric: 'sent', count: 1 }, row.channel))
        countStat(batch, delta);
    }
    for (const [channel, list] of Map.groupBy(
      sentRows.filter((row) => row.channel !== 'in-app'),
      (row) => row.channel,
    )) {
      await rememberSandboxed(
        tx,
        channel,
        list.map((row) => ({ workspaceId: row.workspaceId, entry: { id: row.id, at } })),
      );
    }
  }
  // The timers themselves are the runs' `due_at`, written above. pg-boss only wakes a worker at
  // each due second (one job per second, however many runs are due in it), which then fires
  // every due run in batches; a sweep every minute catches a lost wake-up.
  if (batch.timers.length) {
    const dueTimes = batch.timers.map((t) => Date.parse(t.at));
    // A loop, not Math.min(...): a large batch would overflow the call's arguments.
    const earliest = dueTimes.reduce((min, at) => Math.min(min, at), Number.POSITIVE_INFINITY);
    for (const listener of timerListeners) listener(earliest);
    const seconds = [...new Set(dueTimes.map((at) => Math.ceil(at / 1_000)))].sort((a, b) => a - b);
    await boss.insert(
      timerWakeQueue,
      seconds.map((second) => ({ data: {}, startAfter: new Date(second * 1_000), singletonKey: `s${second}` })),
      { db },
    );
  }

  const traitChanges = [...batch.customers.values()]
    .filter((c) => Object.keys(c.traitsChanged.set).length > 0 || c.traitsChanged.unset.size > 0)
    .map((c) => ({ id: c.profile.id, set: c.traitsChanged.set, unset: [...c.traitsChanged.unset] }));
  for (const rows of chunk(traitChanges, 5_000)) {
    await tx.execute(sql`
      update customers c set traits = (c.traits || v.set) - array(select jsonb_array_elements_text(v.unset)), updated_at = now()
      from jsonb_to_recordset(${storableJsonText(rows)}::jsonb) as v(id text, set jsonb, unset jsonb)
      where c.id = v.id`);
  }

  for (const rows of chunk(batch.held, 5_000)) await tx.execute(insertJson('held_inputs', rows));
  // One row per journey, customer and reason: the latest detail and time, and how often.
  const refusals = [...new Map(batch.refusals.map((r) => [`${r.journeyId}|${r.customerId}|${r.reason}`, r])).values()].sort((a, b) =>
    `${a.journeyId}|${a.customerId}|${a.reason}` < `${b.journeyId}|${b.customerId}|${b.reason}` ? -1 : 1,
  );
  for (const rows of chunk(refusals, 2_000)) {
    await tx.execute(sql`
      insert into entry_refusals (workspace_id, journey_id, customer_id, reason, detail, version, count, first_at, last_at)
      select v.workspace_id, v.journey_id, v.customer_id, v.reason, v.detail, v.version, 1, v.at, v.at
      from jsonb_to_recordset(${storableJsonText(rows.map((r) => ({ workspace_id: r.workspaceId, journey_id: r.journeyId, customer_id: r.customerId, reason: r.reason, detail: r.detail, version: r.version, at: r.at })))}::jsonb)
        as v(workspace_id text, journey_id text, customer_id text, reason text, detail text, version int, at timestamptz)
      on conflict (journey_id, customer_id, reason) do update set
        count = entry_refusals.count + 1, detail = excluded.detail, version = excluded.version, last_at = excluded.last_at`);
  }

  await addToNodeStats(
    tx,
    [...batch.stats].map(([key, count]) => {
      const [workspaceId, journeyId, version, nodeId, metric] = key.split('|') as [string, string, string, string, string];
      return { workspaceId, journeyId, version: Number(version), nodeId, metric, count };
    }),
    now,
  );
  // Sorted, so concurrent batches lock send-count rows in the same order and cannot deadlock.
  const sends = [...batch.sendCounts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, count]) => {
      const [workspaceId, customerId, channel, day] = key.split('|') as [string, string, string, string];
      return { workspaceId, customerId, channel, day, count };
    });
  // One JSON parameter, not five per row: drizzle building a thousand rows' parameters cost more CPU than the statement.
  for (const rows of chunk(sends, 5_000)) {
    await tx.execute(insertJson('send_counts', rows, sql`on conflict (customer_id, channel, day) do update set count = send_counts.count + excluded.count`));
  }
}

/**
 * The messages recorded as sent on queueing: those of channels that deliver nothing, except where
 * the workspace connected a provider for the channel.
 */
async function recordedOnQueue(tx: Tx, outbox: Outbox, messages: MessageRow[]): Promise<Set<MessageRow>> {
  const candidates = messages.filter((m) => outbox.recordedOnQueue.has(m.channel));
  if (!candidates.length) return new Set();
  const routable = outbox.providers ? candidates.filter((m) => providerChannels.has(m.channel)) : [];
  const routed = routable.length
    ? new Set(
        (
          await tx.execute<{ key: string }>(sql`
            select channel || '|' || workspace_id as key from providers
            where ${anyOf(sql`workspace_id`, [...new Set(routable.map((m) => m.workspaceId))])} and ${anyOf(sql`channel`, [...new Set(routable.map((m) => m.channel))])}`)
        ).map((r) => r.key),
      )
    : new Set<string>();
  return new Set(candidates.filter((m) => !routed.has(`${m.channel}|${m.workspaceId}`)));
}

/**
 * A message that needs no delivery as the delivery worker would have recorded it: sent, one
 * attempt, the sandbox's or the inbox's provider id; an in-app message that expires
 * (`content.expiresInHours`, at most a year) gets its end.
 */
function sentOnQueue(message: MessageRow, at: string) {
  const inbox = message.channel === 'in-app';
  const hours = message.content.expiresInHours;
  const expiresAt = inbox && typeof hours === 'number' && Number.isFinite(hours) ? new Date(Date.parse(at) + Math.round(Math.min(hours, 8_760)) * 3_600_000).toISOString() : null;
  return { status: 'sent', attempts: 1, sentAt: at, providerId: `${inbox ? 'in-app' : 'sandbox'}:${message.id}`, expiresAt };
}
