import { z } from 'zod';
import { Duration, TimeOfDay, TimeZoneName } from './duration.ts';
import { choiceOf } from './node-base.ts';
import { PropertyFilter } from './rules.ts';

/** When a customer who has been in the journey before may enter again. */
export const ReEntry = z.discriminatedUnion('mode', [
  z.object({ mode: choiceOf('never', 'Can enter again', 'Never') }),
  z.object({ mode: choiceOf('always', 'Can enter again', 'Every time they qualify') }),
  z.object({ mode: choiceOf('after', 'Can enter again', 'After a cooldown'), cooldown: Duration }),
]);
export type ReEntry = z.infer<typeof ReEntry>;

/**
 * One run at a time per customer, or one run per value of a trigger-event property
 * (one abandoned-cart run per `cartId`).
 */
export const Concurrency = z.discriminatedUnion('mode', [
  z.object({ mode: choiceOf('single', 'Runs at once', 'One per customer') }),
  z.object({ mode: choiceOf('per-key', 'Runs at once', 'One per value of a trigger property'), property: z.string().min(1, 'Name the trigger property') }),
]);
export type Concurrency = z.infer<typeof Concurrency>;

/** The conversion: counted at most once per run inside the window, and by default ends the run. */
export const Goal = z.object({
  event: z.string().min(1, 'Name the goal event'),
  filter: PropertyFilter.optional(),
  window: Duration,
  exitOnConversion: z.boolean().default(true),
});
export type Goal = z.infer<typeof Goal>;

/** Events that remove a customer wherever they are ("exited early"); not a conversion. */
export const ExitCriteria = z.object({
  events: z.array(z.object({ event: z.string().min(1), filter: PropertyFilter.optional() })).default([]),
  /** Saved segments whose leaving removes the customer ("exits when they leave Active trial"). */
  segments: z
    .array(z.object({ segmentId: z.string().min(1, 'Choose a segment') }))
    .default([])
    .meta({ title: 'Leaves segment', description: 'Customers who leave any of these segments exit the journey wherever they are.' }),
  /**
   * For segment entries: leave when the customer stops matching the entry rules; for "enters
   * segment" triggers, when they leave that segment.
   */
  whenEntryRulesStopMatching: z.boolean().default(false),
});
export type ExitCriteria = z.infer<typeof ExitCriteria>;

/** Messages due inside the window wait for it to open (`defer`) or are skipped (`skip`). */
export const QuietHours = z.object({
  start: TimeOfDay,
  end: TimeOfDay,
  behavior: z.enum(['defer', 'skip']).default('defer'),
});
export type QuietHours = z.infer<typeof QuietHours>;

export const JourneySettings = z.object({
  reEntry: ReEntry.default({ mode: 'never' }).meta({ label: 'Re-entry' }),
  concurrency: Concurrency.default({ mode: 'single' }),
  goal: Goal.optional(),
  exitCriteria: ExitCriteria.optional(),
  quietHours: QuietHours.optional(),
  /** Zone for customers without a valid `timezone` trait. */
  timeZone: TimeZoneName.default('UTC'),
  /** When true the workspace's per-channel frequency cap does not apply to this journey. */
  bypassFrequencyCap: z.boolean().default(false),
  /**
   * What happens at resume to the waits that ended and the events that came while the journey was
   * paused: `send-missed` moves those customers on as if it were then (their messages go out now);
   * `skip-missed` moves them on too, but the messages they reach right then are skipped as stale.
   */
  afterPause: z
    .enum(['send-missed', 'skip-missed'])
    .default('send-missed')
    .meta({ title: 'After a pause', description: 'What customers whose wait ended during a pause get when you resume: the messages now, or none of those (they move on without them).' }),
});
export type JourneySettings = z.infer<typeof JourneySettings>;
