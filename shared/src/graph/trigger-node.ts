import { z } from 'zod';
import { TimeOfDay, Weekday } from './duration.ts';
import { PropertyFilter, RuleGroup } from './rules.ts';
import { choiceOf, nodeOf } from './node-base.ts';

/** Enter when the customer performs an event (optionally matching a property filter). */
export const EventEntry = z.object({
  kind: choiceOf('event', 'Customers enter', 'When they do an event'),
  event: z.string().min(1, 'Name the event'),
  filter: PropertyFilter.optional(),
});

/** Enter when the customer comes to match rules; checked on every identify and track. */
export const SegmentEntry = z.object({
  kind: choiceOf('segment', 'Customers enter', 'When they come to match rules'),
  rules: RuleGroup,
});

/** Once at a local date and time, or on a recurring calendar. */
export const Schedule = z.discriminatedUnion('kind', [
  z.object({
    kind: choiceOf('once', 'Runs', 'Once'),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2026-12-01'),
    time: TimeOfDay,
  }),
  z.object({
    kind: choiceOf('recurring', 'Runs', 'On a recurring calendar'),
    frequency: z.enum(['daily', 'weekly', 'monthly']),
    time: TimeOfDay,
    weekdays: z.array(Weekday).min(1).optional(),
    dayOfMonth: z.number().int().min(1).max(31).optional(),
  }),
]);
export type Schedule = z.infer<typeof Schedule>;

/**
 * Enroll everyone who matches the rules at the scheduled moment — of the whole workspace, or only
 * the members of a saved segment (`segmentId`). With `timing: 'customer-local'` the moment is that
 * wall-clock time in each customer's own zone.
 */
export const ScheduleEntry = z.object({
  kind: choiceOf('schedule', 'Customers enter', 'On a schedule'),
  schedule: Schedule,
  timing: z.enum(['journey-zone', 'customer-local']).default('journey-zone'),
  segmentId: z
    .string()
    .min(1, 'Choose a segment')
    .optional()
    .meta({ title: 'Everyone in segment', description: 'Only the members of this segment at the scheduled moment; leave empty for every customer.' }),
  rules: RuleGroup.optional(),
});

/**
 * Enter when the customer enters (or leaves) a saved segment: the membership change itself, as it
 * happens (a `Segment Entered` / `Segment Exited` event with the segment's id).
 */
export const SegmentChangeEntry = z.object({
  kind: choiceOf('segment-change', 'Customers enter', 'When they enter or leave a segment'),
  segmentId: z.string().min(1, 'Choose a segment'),
  change: z.enum(['entered', 'exited']).default('entered'),
});

/** The events a saved segment's membership changes become, with the segment's id as `segmentId`. */
export const segmentEventNames = { entered: 'Segment Entered', exited: 'Segment Exited' } as const;

/** The name of an enrollment's trigger event (templates see it as `journey.trigger_event`; SPEC E4). */
export const enrolledEventName = 'Enrolled';

/** Enter only when the API (or a person, by hand) enrolls the customer. */
export const ApiEntry = z.object({ kind: choiceOf('api', 'Customers enter', 'By API or by hand') });

export const TriggerEntry = z.discriminatedUnion('kind', [EventEntry, SegmentEntry, SegmentChangeEntry, ScheduleEntry, ApiEntry]);
export type TriggerEntry = z.infer<typeof TriggerEntry>;

export const TriggerNodeData = z.object({ entry: TriggerEntry });
export type TriggerNodeData = z.infer<typeof TriggerNodeData>;

/** Where customers come in; exactly one per journey. Handle: `next`. */
export const TriggerNode = nodeOf('trigger', TriggerNodeData);
export type TriggerNode = z.infer<typeof TriggerNode>;
