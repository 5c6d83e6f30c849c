import { z } from 'zod';
import { Channel, type PropertyComparison } from '../graph/index.ts';

/** An ISO-8601 instant; the engine reads and writes time only in this form. */
const Instant = z.string();

/** A customer event (track call), as the engine sees it. */
export const CustomerEvent = z.object({
  id: z.string().optional(),
  name: z.string(),
  properties: z.record(z.string(), z.unknown()).default({}),
  timestamp: Instant,
});
export type CustomerEvent = z.infer<typeof CustomerEvent>;

/**
 * Consent per channel, in Braze's terms: `opted-in` and `subscribed` always allow, `unsubscribed`
 * always refuses; no state means what the workspace's consent policy says for the channel.
 */
export const ConsentState = z.enum(['opted-in', 'subscribed', 'unsubscribed']);
export type ConsentState = z.infer<typeof ConsentState>;

/** Whether a channel may send to a customer who never said: opt-out channels may, opt-in ones need a yes. */
export const ConsentMode = z.enum(['opt-in', 'opt-out']);
export type ConsentMode = z.infer<typeof ConsentMode>;
/** A workspace's consent mode per channel; a channel left out has its default. */
export const ConsentPolicy = z.object({ email: ConsentMode, sms: ConsentMode, push: ConsentMode, 'in-app': ConsentMode }).partial();
export type ConsentPolicy = z.infer<typeof ConsentPolicy>;

/** The defaults: email and in-app opt-out, SMS opt-in, push opt-in (a subscription is the yes). */
export const defaultConsentPolicy: Required<ConsentPolicy> = { email: 'opt-out', sms: 'opt-in', push: 'opt-in', 'in-app': 'opt-out' };

export const ChannelState = z.object({
  /** Email address, phone number or push token. */
  address: z.string().nullish(),
  consent: ConsentState.optional(),
  /** A hard bounce of this address: it is not reachable until a new address arrives. */
  bounced: z.boolean().optional(),
  /** Email topics the customer joined (`true`) or left (`false`); a topic not listed counts as joined. */
  topics: z.record(z.string(), z.boolean()).optional(),
});
export type ChannelState = z.infer<typeof ChannelState>;

/** The customer's profile as the engine needs it; the IANA zone is the `timezone` trait. */
export const CustomerProfile = z.object({
  id: z.string(),
  /** The id the customer's own systems use (Segment's userId); templates see it as `customer.id`. */
  externalId: z.string().optional(),
  traits: z.record(z.string(), z.unknown()).default({}),
  channels: z.partialRecord(Channel, ChannelState).default({}),
  preferredChannel: Channel.optional(),
  /** Ids of the segments the customer is in now, for "is in segment" rules. */
  segments: z.array(z.string()).optional(),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

/** Where an active run is parked, and the one timer that may move it on. */
export const RunPosition = z.object({
  nodeId: z.string(),
  waiting: z.enum(['timer', 'event', 'quiet-hours', 'holdout']),
  until: Instant,
  timerId: z.string(),
});
export type RunPosition = z.infer<typeof RunPosition>;

export const RunStatus = z.enum(['active', 'completed', 'converted', 'exited']);
export type RunStatus = z.infer<typeof RunStatus>;

/** One run of one customer through one journey version. */
export const Progress = z.object({
  id: z.string(),
  journeyId: z.string(),
  customerId: z.string(),
  /** The trigger property value in per-key journeys (one run per `cartId`). */
  key: z.string().nullable(),
  status: RunStatus,
  position: RunPosition.nullable(),
  trigger: CustomerEvent.nullable(),
  /** The event that released the latest wait-for-event, readable in templates. */
  lastEvent: CustomerEvent.nullable(),
  visits: z.record(z.string(), z.number().int()),
  enteredAt: Instant,
  updatedAt: Instant,
  endedAt: Instant.nullable(),
  endReason: z.string().nullable(),
  convertedAt: Instant.nullable(),
});
export type Progress = z.infer<typeof Progress>;

/** What happened to a run. */
export const EngineInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('enter') }),
  z.object({ type: z.literal('timer-fired'), timerId: z.string() }),
  z.object({ type: z.literal('event'), event: CustomerEvent }),
  z.object({ type: z.literal('goal'), event: CustomerEvent }),
  z.object({ type: z.literal('profile-changed') }),
]);
export type EngineInput = z.infer<typeof EngineInput>;

/** Message engagement of this run, for "opened the email of node X" conditions. */
export const MessageActivity = z.object({
  nodeId: z.string(),
  activity: z.enum(['delivered', 'opened', 'clicked']),
});
export type MessageActivity = z.infer<typeof MessageActivity>;

/** Everything a decision may depend on. Time is `now`; nothing else is read. */
export interface EngineContext {
  now: string;
  customer: CustomerProfile;
  /** The customer's recent events, for event-count rules. */
  events?: readonly CustomerEvent[];
  messageActivity?: readonly MessageActivity[];
  /** Messages already sent to this customer today (their zone), per channel, across journeys. */
  sentToday?: Partial<Record<Channel, number>>;
  /** The workspace's per-customer daily cap per channel; absent means no cap. */
  frequencyCap?: Partial<Record<Channel, number>>;
  /** The workspace's consent mode per channel (what "no state" means); channels left out have `defaultConsentPolicy`. */
  consentPolicy?: ConsentPolicy;
  /** Loop guard: instantaneous states one input may run through. Default 100. */
  stepCap?: number;
  /**
   * Sends this input reaches are skipped (`skipped:paused`) with this sentence: a journey resumed
   * with "skip messages that came due while paused" delivers the late inputs this way (SPEC P2).
   */
  skipSends?: string;
}

/** Why a step went the way it did; `skipped:*` and `deferred:*` are sends that did not happen now. */
export const StepReason = z.enum([
  'entered',
  'waiting',
  'wait-elapsed',
  'wait-already-due',
  'wait-date-missing',
  'waiting-for-event',
  'event-matched',
  'event-timeout',
  'rules-matched',
  'rules-not-matched',
  'split-assigned',
  'holdout',
  'sent',
  'deferred:quiet-hours',
  'skipped:quiet-hours',
  'skipped:no-consent',
  'skipped:no-address',
  'skipped:bounced',
  'skipped:no-reachable-channel',
  'skipped:frequency-cap',
  'skipped:template-error',
  'skipped:paused',
  'profile-updated',
  'exit-node',
]);
export type StepReason = z.infer<typeof StepReason>;

export const ExitReason = z.enum(['completed', 'exit-node', 'converted', 'exited-early', 'entry-rules-unmatched', 'date-missing', 'holdout', 'step-cap']);
export type ExitReason = z.infer<typeof ExitReason>;

/** Rendered content: the channel's content with every template filled in. */
export type RenderedContent = Record<string, unknown>;

/** The engine's plans; the runtime and the preview carry them out. */
export type Effect =
  | {
      type: 'send-message';
      idempotencyKey: string;
      nodeId: string;
      channel: Channel;
      /** Address, phone number or token; null for webhooks and in-app. */
      to: string | null;
      content: RenderedContent;
      transactional: boolean;
    }
  | { type: 'schedule-timer'; timerId: string; nodeId: string; at: string; purpose: RunPosition['waiting'] }
  | { type: 'await-event'; nodeId: string; event: string; filter: PropertyComparison[]; until: string }
  | { type: 'update-profile'; nodeId: string; set: Record<string, unknown>; unset: string[] }
  | { type: 'record-step'; nodeId: string; handle: string | null; reason: StepReason; detail: string; at: string }
  | { type: 'convert'; event: string; at: string }
  | { type: 'exit'; reason: ExitReason; nodeId: string | null; at: string };

/** Why an input changed nothing. */
export type IgnoredReason = 'not-active' | 'already-entered' | 'stale-timer' | 'not-waiting';

export interface AdvanceResult {
  progress: Progress;
  effects: Effect[];
  /** Set when the input did not apply to this run; `effects` is then empty. */
  ignored?: IgnoredReason;
}
