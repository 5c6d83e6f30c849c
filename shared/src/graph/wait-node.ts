import { z } from 'zod';
import { Duration, TimeOfDay, TimeZoneName, Weekday } from './duration.ts';
import { choiceOf, nodeOf } from './node-base.ts';

/** Wait a fixed span ("2 days"). */
export const DurationWait = z.object({ kind: choiceOf('duration', 'Wait for', 'A set time'), duration: Duration });

/** Wait until the next HH:MM (optionally only on some weekdays) in the customer's zone. */
export const TimeOfDayWait = z.object({
  kind: choiceOf('time-of-day', 'Wait for', 'A time of day'),
  time: TimeOfDay,
  weekdays: z.array(Weekday).min(1).optional(),
  fallbackTimeZone: TimeZoneName.optional(),
});

/**
 * Wait until a date read from a trait or the trigger event, shifted by an offset
 * (`trial_ends_at` − 3 days), optionally at a local time of day on that date.
 */
export const DateWait = z.object({
  kind: choiceOf('date', 'Wait for', 'A date from a trait or the trigger'),
  source: z.enum(['trait', 'trigger-event']),
  path: z.string().min(1, 'Name the date field'),
  offset: z.object({ amount: z.number().int().min(0), unit: Duration.shape.unit, direction: z.enum(['before', 'after']) }).optional(),
  time: TimeOfDay.optional(),
  fallbackTimeZone: TimeZoneName.optional(),
  /** What happens when the field is missing or not a date. */
  ifMissing: z.enum(['exit', 'continue']).default('exit'),
});

export const WaitSpec = z.discriminatedUnion('kind', [DurationWait, TimeOfDayWait, DateWait]);
export type WaitSpec = z.infer<typeof WaitSpec>;

export const WaitNodeData = z.object({ wait: WaitSpec });
export type WaitNodeData = z.infer<typeof WaitNodeData>;

/** Holds the customer until a time; handle: `next`. */
export const WaitNode = nodeOf('wait', WaitNodeData);
export type WaitNode = z.infer<typeof WaitNode>;
