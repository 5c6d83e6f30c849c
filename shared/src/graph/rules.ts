import { z } from 'zod';
import { Channel } from './channel.ts';
import { Duration } from './duration.ts';
import { choiceOf } from './node-base.ts';

/** Comparison operators shared by trait, event-property and filter rules. */
export const Operator = z.enum([
  'equals',
  'not-equals',
  'contains',
  'not-contains',
  'starts-with',
  'in',
  'not-in',
  'greater-than',
  'greater-or-equal',
  'less-than',
  'less-or-equal',
  'exists',
  'not-exists',
  'before',
  'after',
  'within-last',
  'within-next',
]);
export type Operator = z.infer<typeof Operator>;

/** "Is set" / "is not set" compare with nothing: a value or reference on such a rule is not read. */
export function comparesNothing(operator: string): boolean {
  return operator === 'exists' || operator === 'not-exists';
}

/** Operators that compare with a point or span of time ("before 3 days ago", "within the last 7 days"). */
export function comparesTimes(operator: string): boolean {
  return operator === 'before' || operator === 'after' || operator === 'within-last' || operator === 'within-next';
}

/** A literal a rule compares against. Lists are for `in` / `not-in`. */
export const Literal = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);
export type Literal = z.infer<typeof Literal>;

/**
 * Where a compared value comes from when it is not a literal: a trait of the customer or a
 * property of the event that started this run. `trigger-event` is what scopes a wait to one
 * run ("order_completed whose cartId equals the trigger's cartId").
 */
export const ValueRef = z.object({
  source: z.enum(['trait', 'trigger-event']),
  path: z.string().min(1),
});
export type ValueRef = z.infer<typeof ValueRef>;

/** An absolute instant, or a point relative to now ("3 days ago"). Used by `before` / `after`. */
export const RelativeDate = z.object({
  amount: z.number().int().min(0),
  unit: Duration.shape.unit,
  direction: z.enum(['ago', 'from-now']),
});
export type RelativeDate = z.infer<typeof RelativeDate>;

/** One comparison of a field against a literal (`value`) or a referenced value (`valueFrom`). */
export const PropertyComparison = z.object({
  path: z.string().min(1).meta({ title: 'Field', label: 'Property', description: 'Its name, such as total, or a path into it, such as items.0.sku.' }),
  operator: Operator,
  value: z.union([Literal, RelativeDate, Duration]).optional(),
  valueFrom: ValueRef.optional().meta({ label: 'Value from a trait or the trigger' }),
});
export type PropertyComparison = z.infer<typeof PropertyComparison>;

/** A rule's kind, as forms offer it: "Based on" · "How often an event happened". */
const ruleKind = <const T extends string>(tag: T, choice: string) => choiceOf(tag, 'Based on', choice);

/** Compares a profile trait ("plan equals pro"). */
export const TraitRule = PropertyComparison.extend({
  kind: ruleKind('trait', 'A trait'),
  path: z.string().min(1).meta({ title: 'Field', label: 'Trait', description: 'Its name, such as plan, or a path into it, such as address.city.' }),
});
export type TraitRule = z.infer<typeof TraitRule>;

/** Compares a property of the event being tested: the trigger event in conditions, the candidate in filters. */
export const EventPropertyRule = PropertyComparison.extend({ kind: ruleKind('event-property', 'A property of the trigger event') });
export type EventPropertyRule = z.infer<typeof EventPropertyRule>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2026-11-01');

/** Whole days, both included, in UTC: `from` at 00:00 to the end of `to`. */
export const DateRange = z
  .object({ from: day.meta({ title: 'From' }), to: day.meta({ title: 'To' }) })
  .refine((range) => range.from <= range.to, { message: 'The first date must not be after the last', path: ['to'] });
export type DateRange = z.infer<typeof DateRange>;

/**
 * "Performed `purchase` at least 2 times in the last 30 days", or between two dates (UTC days):
 * the rule counts in one window, `within` or `between`.
 */
export const EventCountRule = z
  .object({
    kind: ruleKind('event-count', 'How often an event happened'),
    event: z.string().min(1),
    comparison: z.enum(['at-least', 'at-most', 'exactly']),
    count: z.number().int().min(0),
    within: Duration.optional().meta({ title: 'In the last' }),
    between: DateRange.optional().meta({ title: 'Between dates (UTC)', description: 'Instead of "in the last": count only events on these days, both included.' }),
    filter: z.array(PropertyComparison).optional(),
  })
  .refine((rule) => (rule.within ? 1 : 0) + (rule.between ? 1 : 0) === 1, { message: 'Count in one window: in the last …, or between two dates', path: ['within'] })
  // A new rule in the builder starts counting over the last 7 days (the form fills required fields only).
  .meta({ default: { kind: 'event-count', event: '', comparison: 'at-least', count: 1, within: { amount: 7, unit: 'days' } } });
export type EventCountRule = z.infer<typeof EventCountRule>;

/** "Is reachable and consented on email" (or the reverse). */
export const ChannelRule = z.object({
  kind: ruleKind('channel', 'Reachability on a channel'),
  channel: Channel,
  state: z.enum(['reachable-and-consented', 'not-reachable-or-consented']),
});
export type ChannelRule = z.infer<typeof ChannelRule>;

/** "Opened the email sent by node `welcome-email` in this run". */
export const MessageRule = z.object({
  kind: ruleKind('message', 'A message of this journey'),
  nodeId: z.string().min(1),
  activity: z.enum(['delivered', 'opened', 'clicked', 'not-opened', 'not-clicked']),
});
export type MessageRule = z.infer<typeof MessageRule>;

/** "Is in the segment Churn risk" (or not), as the segment's membership stands now. */
export const SegmentRule = z.object({
  kind: ruleKind('segment', 'Segment membership'),
  segmentId: z.string().min(1, 'Choose a segment'),
  state: z.enum(['in', 'not-in']),
});
export type SegmentRule = z.infer<typeof SegmentRule>;

export type Rule = TraitRule | EventPropertyRule | EventCountRule | ChannelRule | MessageRule | SegmentRule | RuleGroup;

/** Rules combined with all / any; groups nest. */
export interface RuleGroup {
  kind: 'group';
  match: 'all' | 'any';
  rules: Rule[];
}

export const RuleGroup: z.ZodType<RuleGroup> = z.lazy(() =>
  z.object({
    kind: ruleKind('group', 'A group of rules'),
    match: z.enum(['all', 'any']),
    rules: z.array(Rule),
  }),
);

export const Rule: z.ZodType<Rule> = z.lazy(() =>
  z.discriminatedUnion('kind', [TraitRule, EventPropertyRule, EventCountRule, ChannelRule, MessageRule, SegmentRule, RuleGroup as never]),
) as z.ZodType<Rule>;

/** A filter over an event's properties: every comparison must hold. */
export const PropertyFilter = z.array(PropertyComparison);
export type PropertyFilter = z.infer<typeof PropertyFilter>;
