import { z } from 'zod';
import { Channel, Duration } from '../graph/index.ts';
import { ConsentPolicy, CustomerEvent, type CustomerProfile, type Effect, type ExitReason, type Progress, type StepReason } from '../engine/types.ts';

const Instant = z.iso.datetime({ offset: true }).meta({ title: 'Time' });
const Properties = z.record(z.string(), z.unknown());

/**
 * How the test customer enters: with an event (the trigger's, unless another is named, which
 * shows the journey would not start) at a time, or by audience (segment and scheduled journeys).
 * `delay` is how long after its timestamp the event reaches Waymark.
 */
export const StoryEntry = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('event'),
    at: Instant,
    name: z.string().min(1).max(200).optional(),
    properties: Properties.default({}),
    delay: Duration.optional(),
  }),
  z.object({ kind: z.literal('audience'), at: Instant }),
]);
export type StoryEntry = z.infer<typeof StoryEntry>;

/**
 * What the customer does after entering, each at a time after entry (`after`): a tracked event
 * (which may reach Waymark `delay` after its timestamp), an identify call (traits, addresses,
 * consent, time zone, as the runtime merges them), or engagement with a message the run sent.
 */
export const StoryItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('track'), after: Duration, name: z.string().min(1).max(200), properties: Properties.default({}), delay: Duration.optional() }),
  z.object({ kind: z.literal('identify'), after: Duration, traits: Properties }),
  z.object({ kind: z.literal('engagement'), after: Duration, nodeId: z.string().min(1), activity: z.enum(['delivered', 'opened', 'clicked', 'unsubscribed']) }),
]);
export type StoryItem = z.infer<typeof StoryItem>;

export const Story = z.object({
  entry: StoryEntry,
  items: z.array(StoryItem).max(500).default([]),
  /** How far to run after entry (default 400 days); timers due later are shown as pending. */
  horizon: Duration.optional(),
});
export type Story = z.infer<typeof Story>;
export type StoryInput = z.input<typeof Story>;

/** An earlier run of the same journey, for the re-entry decision. */
export const PastRunInput = z.object({
  key: z.string().nullable().default(null),
  status: z.enum(['active', 'completed', 'converted', 'exited']),
  enteredAt: Instant,
});

/**
 * What the runtime would also decide from, beyond the profile: earlier runs of this journey
 * (re-entry), whether it is paused, the customer's recent events (event-count rules), messages
 * other journeys already sent on the day of entry (the frequency cap), the workspace's caps and
 * zone (whose calendar day the cap counts in when the customer has none), and its consent policy
 * (what "no consent state" means per channel; channels left out have their defaults).
 */
export const PreviewContext = z.object({
  pastRuns: z.array(PastRunInput).max(1_000).default([]),
  paused: z.boolean().default(false),
  events: z.array(CustomerEvent).max(5_000).default([]),
  sentToday: z.partialRecord(Channel, z.number().int().min(0).max(1_000_000)).default({}),
  frequencyCap: z.partialRecord(Channel, z.number().int().min(0).max(1_000_000)).default({}),
  workspaceZone: z.string().max(64).default('UTC'),
  consentPolicy: ConsentPolicy.default({}),
});
export type PreviewContext = z.infer<typeof PreviewContext>;
export type PreviewContextInput = z.input<typeof PreviewContext>;

/** Why the preview's customer would not enter: the runtime's refusal codes, and two of the preview's own. */
export type PreviewRefusal = 'paused' | 'other-event' | 'audience-filter' | 'not-in-audience' | 'no-key' | 'already-in-journey' | 're-entry-never' | 're-entry-cooldown';

export type PreviewEntry = { enters: true; at: string; key: string | null } | { enters: false; at: string; code: PreviewRefusal; reason: string };

/** A message as the customer would get it. */
export type PreviewMessage = Omit<Extract<Effect, { type: 'send-message' }>, 'type' | 'idempotencyKey'>;

/** What a scripted input did, in a code: acted on, ignored (and why), or something after the run. */
export type InputOutcome =
  | 'moved-on'
  | 'profile-changed'
  | 'not-waiting-for-it'
  | 'run-ended'
  | 'converted'
  | 'late-conversion'
  | 'exited-early'
  | 'engaged'
  | 'no-such-message'
  | 'would-enter-again'
  | 'refused-again';

/** One line of the preview's timeline, in time order. `index` orders lines at the same instant. */
export type PreviewRow = { index: number; at: string } & (
  | { kind: 'entry'; entry: PreviewEntry; event: CustomerEvent | null; receivedAt: string }
  | { kind: 'step'; nodeId: string; handle: string | null; reason: StepReason; detail: string; message?: PreviewMessage; until?: string }
  | { kind: 'input'; item: StoryItem; event?: CustomerEvent; receivedAt: string; outcome: InputOutcome; detail: string; again?: PreviewEntry }
  | { kind: 'conversion'; event: string; late: boolean }
  | { kind: 'exit'; reason: ExitReason; nodeId: string | null }
  | { kind: 'pending'; nodeId: string; until: string; detail: string }
);

export interface PreviewResult {
  entry: PreviewEntry;
  /** The zone times are shown in: the customer's, else the journey's. */
  zone: string;
  rows: PreviewRow[];
  /** The run at the end of the story, or null when it would not enter. */
  run: Progress | null;
  customer: CustomerProfile;
  messages: PreviewMessage[];
  /** Steps the run passed, in order, and the branches it took (`source:handle`). */
  visited: string[];
  taken: string[];
}
