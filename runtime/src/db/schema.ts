import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, index, integer, jsonb, pgTable, pgView, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { PreviewProfile } from '@waymark/shared';

const id = () => text('id').primaryKey();
const workspaceId = () => text('workspace_id').notNull();
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** What a workspace decides for itself. */
export interface WorkspaceSettings {
  frequencyCap?: Record<string, number>;
  timeZone?: string;
  /** Webhooks may reach loopback, private and link-local addresses (off: they are refused). */
  allowPrivateNetworks?: boolean;
  /** Per channel, whether a customer who never said may be sent (opt-out) or not (opt-in); absent: the defaults. */
  consentPolicy?: Partial<Record<'email' | 'sms' | 'push' | 'in-app', 'opt-in' | 'opt-out'>>;
  /** Email subscription groups recipients can leave on the preference page. */
  topics?: { id: string; name: string }[];
}

/** A tenant: every other row carries its id. `settings` holds frequency caps and defaults. */
export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  settings: jsonb('settings').$type<WorkspaceSettings>().notNull().default({}),
  createdAt: at('created_at').notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: id(),
  email: text('email').notNull().unique(),
  name: text('name').notNull().default(''),
  passwordHash: text('password_hash').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
});

/** A user's role in a workspace: owner, publisher, editor or viewer. */
export const memberships = pgTable(
  'memberships',
  {
    workspaceId: workspaceId(),
    userId: text('user_id').notNull(),
    role: text('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull(),
  expiresAt: at('expires_at').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
});

/** Write keys (ingestion) and API tokens (management, with a role); only hashes are stored. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    workspaceId: workspaceId(),
    kind: text('kind').notNull(),
    role: text('role'),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    revokedAt: at('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_token_hash').on(t.tokenHash)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: workspaceId(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target').notNull(),
    details: jsonb('details').notNull().default({}),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [index('audit_log_workspace').on(t.workspaceId, t.at)],
);

/** The editable draft of a journey and its state. */
export const journeys = pgTable(
  'journeys',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    status: text('status').notNull().default('draft'),
    draft: jsonb('draft').notNull(),
    revision: integer('revision').notNull().default(1),
    liveVersion: integer('live_version'),
    /** The draft revision that was last published: a later revision means unpublished changes. */
    publishedRevision: integer('published_revision'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [index('journeys_workspace').on(t.workspaceId)],
);

/** Immutable published versions: the document and its compiled machine. */
export const journeyVersions = pgTable(
  'journey_versions',
  {
    workspaceId: workspaceId(),
    journeyId: text('journey_id').notNull(),
    version: integer('version').notNull(),
    document: jsonb('document').notNull(),
    machine: jsonb('machine').notNull(),
    publishedBy: text('published_by').notNull(),
    publishedAt: at('published_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version] })],
);

export const customers = pgTable(
  'customers',
  {
    id: id(),
    workspaceId: workspaceId(),
    traits: jsonb('traits').$type<Record<string, unknown>>().notNull().default({}),
    channels: jsonb('channels').$type<Record<string, { address?: string | null; consent?: string; bounced?: boolean; topics?: Record<string, boolean> }>>().notNull().default({}),
    preferredChannel: text('preferred_channel'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // Scheduled audiences page through a workspace's customers in id order.
    index('customers_workspace').on(t.workspaceId, t.id),
    // Customers found by email (enrollments, imports), case-insensitively.
    index('customers_email').on(t.workspaceId, sql`lower(${t.channels} -> 'email' ->> 'address')`),
    // Customers found by phone number (imports), as stored.
    index('customers_phone').on(t.workspaceId, sql`(${t.channels} -> 'sms' ->> 'address')`),
  ],
);

/** userId, anonymousId, email, phone → customer. */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    workspaceId: workspaceId(),
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    customerId: text('customer_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.kind, t.value] }), index('customer_identities_customer').on(t.customerId)],
);

/** Every call received, deduplicated by messageId: the customer's timeline. */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: workspaceId(),
    messageId: text('message_id').notNull(),
    customerId: text('customer_id').notNull(),
    type: text('type').notNull(),
    name: text('name'),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    timestamp: at('timestamp').notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('events_message_id').on(t.workspaceId, t.messageId), index('events_customer').on(t.customerId, t.timestamp)],
);

/**
 * Events journeys have not seen yet: a narrow queue beside the timeline, filled in the
 * transaction that stores the event and emptied in the one that applies its effects (a delete
 * of a small row costs less than rewriting the wide event row to mark it).
 */
export const eventQueue = pgTable(
  'event_queue',
  {
    eventId: bigint('event_id', { mode: 'number' }).primaryKey(),
    customerId: text('customer_id').notNull(),
  },
  (t) => [index('event_queue_customer').on(t.customerId)],
);

/** One run of one customer through one journey version; `state` is the engine's Progress. */
export const progress = pgTable(
  'progress',
  {
    id: id(),
    workspaceId: workspaceId(),
    journeyId: text('journey_id').notNull(),
    version: integer('version').notNull(),
    customerId: text('customer_id').notNull(),
    key: text('key'),
    status: text('status').notNull(),
    nodeId: text('node_id'),
    waitingFor: text('waiting_for'),
    state: jsonb('state').notNull(),
    revision: integer('revision').notNull().default(1),
    enteredAt: at('entered_at').notNull(),
    endedAt: at('ended_at'),
    /**
     * When the run's timer is due (its position's `until`), written with the run; null when it
     * waits on nothing. Timers are this column: workers claim due runs in batches (SKIP LOCKED).
     */
    dueAt: at('due_at'),
  },
  (t) => [
    // The due timers, oldest first; only waiting runs are in it.
    index('progress_due').on(t.dueAt).where(sql`due_at is not null`),
    uniqueIndex('progress_one_active_run').on(t.journeyId, t.customerId, sql`coalesce(${t.key}, '')`).where(sql`status = 'active'`),
    index('progress_customer').on(t.customerId, t.journeyId),
    index('progress_waiting').on(t.workspaceId, t.waitingFor).where(sql`status = 'active' and waiting_for is not null`),
  ],
);

/**
 * Who entered which journey version when, one row per run, written when the run starts and never
 * updated: distinct customers who entered in a date range are read from its index alone. On
 * `progress` itself that index gained an entry at every run update (none is HOT: a timer or a
 * status changes an indexed column), a fifth of the cost of firing a timer.
 */
export const runEntries = pgTable(
  'run_entries',
  {
    workspaceId: workspaceId(),
    journeyId: text('journey_id').notNull(),
    version: integer('version').notNull(),
    enteredAt: at('entered_at').notNull(),
    customerId: text('customer_id').notNull(),
  },
  (t) => [index('run_entries_journey').on(t.journeyId, t.version, t.enteredAt, t.customerId)],
);

/**
 * Append-only node transitions, one row per run and transaction: `transitions` holds the run's
 * steps in order ({ node_id, handle, reason, detail, at }), so a run that enters, passes a
 * condition, sends and exits in one batch writes one row, not four. Read through the `steps` view.
 */
export const runSteps = pgTable(
  'run_steps',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: workspaceId(),
    progressId: text('progress_id').notNull(),
    journeyId: text('journey_id').notNull(),
    version: integer('version').notNull(),
    transitions: jsonb('transitions').$type<{ node_id: string; handle: string | null; reason: string; detail: string; at: string }[]>().notNull(),
  },
  (t) => [index('run_steps_progress').on(t.progressId, t.id)],
);

/** Whom a send step sent to or skipped (and why): insert-only, one narrow row per send or skip. */
export const sendOutcomes = pgTable(
  'send_outcomes',
  {
    workspaceId: workspaceId(),
    journeyId: text('journey_id').notNull(),
    version: integer('version').notNull(),
    nodeId: text('node_id').notNull(),
    progressId: text('progress_id').notNull(),
    reason: text('reason').notNull(),
    at: at('at').notNull(),
  },
  (t) => [index('send_outcomes_node').on(t.journeyId, t.nodeId, t.at), index('send_outcomes_progress').on(t.progressId)],
);

/**
 * The customer timeline and the source of truth behind stats, one row per step: a read-only view
 * expanding `run_steps` (ids keep their order: the row's id × 256 + the step's place in it).
 * Steps are written by `writeSteps` alone.
 */
export const steps = pgView('steps', {
  id: bigint('id', { mode: 'number' }).notNull(),
  workspaceId: text('workspace_id').notNull(),
  progressId: text('progress_id').notNull(),
  journeyId: text('journey_id').notNull(),
  version: integer('version').notNull(),
  nodeId: text('node_id').notNull(),
  handle: text('handle'),
  reason: text('reason').notNull(),
  detail: text('detail').notNull(),
  at: at('at').notNull(),
}).existing();

/** The outbox and delivery record of every message. */
export const messages = pgTable(
  'messages',
  {
    id: id(),
    workspaceId: workspaceId(),
    idempotencyKey: text('idempotency_key').notNull(),
    progressId: text('progress_id').notNull(),
    journeyId: text('journey_id').notNull(),
    version: integer('version').notNull(),
    nodeId: text('node_id').notNull(),
    customerId: text('customer_id').notNull(),
    channel: text('channel').notNull(),
    to: text('to'),
    content: jsonb('content').notNull(),
    transactional: boolean('transactional').notNull().default(false),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** While a delivery handler holds the message (`sending`); another may take it over only after this. */
    leaseUntil: at('lease_until'),
    error: text('error'),
    providerId: text('provider_id'),
    createdAt: at('created_at').notNull(),
    sentAt: at('sent_at'),
    deliveredAt: at('delivered_at'),
    openedAt: at('opened_at'),
    clickedAt: at('clicked_at'),
    unsubscribedAt: at('unsubscribed_at'),
    /** SMS: GSM-7 / UCS-2 segments the text is billed as. */
    segments: integer('segments'),
    /** The provider's error code of a failed or undelivered message (SMTP reply code, Twilio error code, push status). */
    errorCode: text('error_code'),
    /** In-app: after this the message leaves the inbox. */
    expiresAt: at('expires_at'),
    /** In-app: the recipient dismissed it from the inbox. */
    dismissedAt: at('dismissed_at'),
  },
  (t) => [
    uniqueIndex('messages_idempotency_key').on(t.workspaceId, t.idempotencyKey),
    index('messages_customer').on(t.customerId, t.createdAt),
    // Whom a send step failed, newest first: only failures pay for it (a status change is never a
    // HOT update, since messages_leased is partial on status, so a full index would grow twice per message).
    index('messages_failed').on(t.journeyId, t.nodeId, t.createdAt).where(sql`status = 'failed'`),
    // The lease sweep looks only at messages held by a handler.
    index('messages_leased').on(t.leaseUntil).where(sql`status = 'sending'`),
  ],
);

/**
 * Counters per journey version, day (in the workspace's zone), node and metric, updated in the
 * transactions that change them: a date range is a sum over its days, never a scan of steps.
 */
export const nodeStats = pgTable(
  'node_stats',
  {
    workspaceId: workspaceId(),
    journeyId: text('journey_id').notNull(),
    version: integer('version').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    nodeId: text('node_id').notNull(),
    metric: text('metric').notNull(),
    count: bigint('count', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version, t.day, t.nodeId, t.metric] })],
);

/** Messages sent per customer, channel and local day, across journeys: the frequency cap. */
export const sendCounts = pgTable(
  'send_counts',
  {
    workspaceId: workspaceId(),
    customerId: text('customer_id').notNull(),
    channel: text('channel').notNull(),
    day: text('day').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.channel, t.day] })],
);

/**
 * One occurrence of a scheduled trigger — or a segment added by hand to a journey that starts by
 * API or by hand (`segmentId`, occurrence `by-hand:…`): its audience is enrolled in batches,
 * resuming from `cursor` (the last customer id scanned) if the job is retried, with progress for
 * people to watch.
 */
export const audienceRuns = pgTable(
  'audience_runs',
  {
    id: id(),
    workspaceId: workspaceId(),
    journeyId: text('journey_id').notNull(),
    version: integer('version').notNull(),
    occurrence: text('occurrence').notNull(),
    dueAt: at('due_at').notNull(),
    status: text('status').notNull().default('scheduled'),
    cursor: text('cursor'),
    scanComplete: boolean('scan_complete').notNull().default(false),
    total: integer('total'),
    scanned: integer('scanned').notNull().default(0),
    enrolled: integer('enrolled').notNull().default(0),
    deferred: integer('deferred').notNull().default(0),
    /** Added by hand: everyone in this segment enters (a scheduled entry names its segment itself). */
    segmentId: text('segment_id'),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [uniqueIndex('audience_runs_occurrence').on(t.journeyId, t.version, t.occurrence)],
);

/** Customers of a customer-local audience run whose local time has not come yet. */
export const audiencePending = pgTable(
  'audience_pending',
  {
    runId: text('run_id').notNull(),
    customerId: text('customer_id').notNull(),
    dueAt: at('due_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.customerId] }), index('audience_pending_due').on(t.runId, t.dueAt)],
);

/**
 * Work that failed on its own after being split from its batch and retried: an event, a timer or a
 * delivery, kept with its error so the rest moves on; retried by a person after a fix.
 */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: text('workspace_id'),
    kind: text('kind').notNull(),
    ref: text('ref').notNull(),
    customerId: text('customer_id'),
    payload: jsonb('payload').notNull().default({}),
    error: jsonb('error').$type<Record<string, unknown>>().notNull(),
    attempts: integer('attempts').notNull(),
    failedAt: at('failed_at').notNull().defaultNow(),
    retriedAt: at('retried_at'),
  },
  (t) => [uniqueIndex('dead_letters_open').on(t.kind, t.ref).where(sql`retried_at is null`), index('dead_letters_workspace').on(t.workspaceId, t.id)],
);

/** Failed sign-ins per account and per client address, for throttling (shared by every API process). */
export const signInThrottle = pgTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: at('window_started_at').notNull(),
  lockedUntil: at('locked_until'),
});

/**
 * The secrets that sign a workspace's webhooks, encrypted with the server's key. The newest is
 * current; a rotated one keeps signing beside it until `expiresAt`, so receivers can switch over.
 */
export const webhookSecrets = pgTable(
  'webhook_secrets',
  {
    id: id(),
    workspaceId: workspaceId(),
    secret: text('secret').notNull(),
    prefix: text('prefix').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    expiresAt: at('expires_at'),
  },
  (t) => [index('webhook_secrets_workspace').on(t.workspaceId, t.createdAt)],
);

/**
 * Entries a journey refused, one row per journey, customer and reason (re-entry rule, paused
 * journey, audience filter), with how often and when: "why didn't she get it?" has an answer.
 */
export const entryRefusals = pgTable(
  'entry_refusals',
  {
    workspaceId: workspaceId(),
    journeyId: text('journey_id').notNull(),
    customerId: text('customer_id').notNull(),
    reason: text('reason').notNull(),
    detail: text('detail').notNull(),
    version: integer('version').notNull(),
    count: integer('count').notNull().default(1),
    firstAt: at('first_at').notNull(),
    lastAt: at('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.customerId, t.reason] }), index('entry_refusals_customer').on(t.customerId)],
);

/**
 * Named, reusable rule groups over traits, events, consent and other segments. `status` is
 * `building` while its members are worked out from every customer (a new or changed definition,
 * in the background: `scanned` of `total`), then `ready`; events keep the members current after that.
 */
export const segments = pgTable(
  'segments',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    description: text('description'),
    rules: jsonb('rules').notNull(),
    /** The segment's number, which memberships store instead of its id (4 bytes instead of 37: rows a third the size). */
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    revision: integer('revision').notNull().default(1),
    status: text('status').notNull().default('building'),
    scanned: integer('scanned').notNull().default(0),
    total: integer('total').notNull().default(0),
    /** The customer id the build has passed (it pages in id order, so a retried job resumes). */
    cursor: text('cursor'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('segments_name').on(t.workspaceId, sql`lower(${t.name})`), uniqueIndex('segments_number').on(t.number)],
);

/**
 * Which segments a customer is in now, since when, and when time alone may change one of them:
 * one row per customer (however many segments), written once per customer and batch. `segments`
 * holds the segments' numbers (`segments.number`) and `entered_at` when each was entered, at the
 * same position. A segment's members are found through the GIN index on `segments`; its count is
 * kept in `segment_counts`. `recheck_at` is the earliest instant time alone may change a membership
 * (an event leaving a "within the last 7 days" window, a date trait coming into range;
 * `nextRuleChange`), when every segment time can change is checked again, the way timers fire;
 * null when time changes nothing. An instant that became stale only costs a check that changes nothing.
 */
export const customerSegments = pgTable(
  'customer_segments',
  {
    customerId: text('customer_id').primaryKey(),
    workspaceId: workspaceId(),
    segments: integer('segments').array().notNull().default(sql`'{}'::int4[]`),
    enteredAt: timestamp('entered_at', { withTimezone: true, mode: 'string' }).array().notNull().default(sql`'{}'::timestamptz[]`),
    recheckAt: at('recheck_at'),
  },
  (t) => [index('customer_segments_segments').using('gin', t.segments), index('customer_segments_recheck').on(t.recheckAt).where(sql`${t.recheckAt} is not null`)],
);

/**
 * How many customers each segment has, kept exact by the statements that change memberships
 * (`persistSegments`, `deleteMemberships`: each adds what it changed in the rows it wrote,
 * `addToCounts`), so a count reads a few rows instead of counting a million. One row per segment
 * and writing connection (`shard`, its backend pid), so concurrent batches never wait on each
 * other's counts; the sweep folds the rows of connections that are gone into shard 0. A segment's
 * count is the sum of its rows.
 */
export const segmentCounts = pgTable(
  'segment_counts',
  {
    segmentId: text('segment_id').notNull(),
    shard: integer('shard').notNull(),
    members: integer('members').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.shard] })],
);

/**
 * Memberships that ended: the segments (numbers) a customer left at `at`, and when each had been
 * entered, at the same position. With `customer_segments` (memberships going on, with their entry)
 * this is the customer's whole membership history, on the timeline and in their membership
 * history: an entry is written once, with the membership, and moves here only when it ends — so a
 * batch in which customers only enter segments writes no history row at all. Journeys saw each
 * change as its own event (`Segment Entered` / `Segment Exited`) in that batch already.
 */
export const segmentExits = pgTable(
  'segment_exits',
  {
    customerId: text('customer_id').notNull(),
    workspaceId: workspaceId(),
    at: at('at').notNull(),
    segments: integer('segments').array().notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true, mode: 'string' }).array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.at] })],
);

/**
 * Enrollment calls made with an idempotency key, with what they answered: a retried call gets the
 * same answer and enrolls nobody again. Written in the transaction that enrolls.
 */
export const enrollmentRequests = pgTable(
  'enrollment_requests',
  {
    workspaceId: workspaceId(),
    journeyId: text('journey_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    response: jsonb('response').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.journeyId, t.idempotencyKey] })],
);

/**
 * What came for a run while its journey was paused — a timer that came due, an event, a profile
 * change — kept in order and fed to the run when the journey resumes.
 */
export const heldInputs = pgTable(
  'held_inputs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: workspaceId(),
    journeyId: text('journey_id').notNull(),
    progressId: text('progress_id').notNull(),
    input: jsonb('input').notNull(),
    heldAt: at('held_at').notNull(),
  },
  (t) => [index('held_inputs_journey').on(t.journeyId, t.id), index('held_inputs_progress').on(t.progressId)],
);

/** Customers written for previews ("Ann, free plan, Istanbul, no SMS consent"), saved per workspace under a name unique in any case. */
export const testCustomers = pgTable(
  'test_customers',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    profile: jsonb('profile').$type<PreviewProfile>().notNull(),
    createdBy: text('created_by'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('test_customers_name').on(t.workspaceId, sql`lower(${t.name})`)],
);

/**
 * A workspace's sending account for one channel: SMTP for email, a Twilio-compatible API for SMS,
 * web push (VAPID) for push. Settings are kept in clear; the secret fields (password, auth token,
 * VAPID private key) as one sealed JSON object, never returned in full. A channel without a row
 * delivers to the sandbox.
 */
export const providers = pgTable(
  'providers',
  {
    id: id(),
    workspaceId: workspaceId(),
    channel: text('channel').notNull(),
    kind: text('kind').notNull(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    secrets: text('secrets'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('providers_channel').on(t.workspaceId, t.channel)],
);

/** A browser's web push subscription (its endpoint and keys), one of the customer's push identities. */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    workspaceId: workspaceId(),
    endpoint: text('endpoint').notNull(),
    customerId: text('customer_id').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.endpoint] }), index('push_subscriptions_customer').on(t.customerId)],
);

/**
 * The newest messages each channel's sandbox kept, per workspace (newest first, at most 50): one
 * row rewritten once per delivery batch, so "settings → channel → recent messages" needs no index
 * over all messages. Journey messages are referenced by id; test sends carry their content.
 */
export const sandboxRecent = pgTable(
  'sandbox_recent',
  {
    workspaceId: workspaceId(),
    channel: text('channel').notNull(),
    entries: jsonb('entries').$type<SandboxEntry[]>().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.channel] })],
);
export interface SandboxEntry {
  id: string;
  at: string;
  to?: string | null;
  content?: Record<string, unknown>;
  test?: boolean;
}
