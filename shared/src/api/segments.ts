import { z } from 'zod';
import { comparesTimes, type Rule, RuleGroup } from '../graph/rules.ts';
import { Page } from './contracts.ts';

/** A segment as saved: a name people recognise and the rules customers must match. */
export const SegmentInput = z.object({
  name: z.string().trim().min(1, 'Name the segment.').max(120),
  description: z.string().max(500).optional(),
  rules: RuleGroup,
});
export type SegmentInput = z.infer<typeof SegmentInput>;

export const UpdateSegmentRequest = SegmentInput.extend({ revision: z.number().int().min(1).max(2_147_483_647) });

export const SegmentStatus = z.enum(['building', 'ready']);

/** A segment with its live member count and, while its members are being worked out, how far that got. */
export const SegmentSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  rules: RuleGroup,
  revision: z.number(),
  status: SegmentStatus,
  members: z.number(),
  build: z.object({ scanned: z.number(), total: z.number() }).nullable(),
  updatedAt: z.string(),
});
export type SegmentSummary = z.infer<typeof SegmentSummary>;

export const SegmentMember = z.object({ customerId: z.string(), name: z.string().nullable(), email: z.string().nullable(), userId: z.string().nullable(), enteredAt: z.string() });
export const SegmentMembers = Page(SegmentMember);
export type SegmentMembers = z.infer<typeof SegmentMembers>;

/** How many customers rules would match now: exact in small workspaces, else estimated from a sample. */
export const SegmentEstimate = z.object({
  matching: z.number(),
  checked: z.number(),
  total: z.number(),
  exact: z.boolean(),
  sample: z.array(SegmentMember.omit({ enteredAt: true })),
});
export type SegmentEstimate = z.infer<typeof SegmentEstimate>;
export const SegmentEstimateRequest = z.object({ rules: RuleGroup });

export const SegmentMembersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

/** A rule a segment cannot hold, with where it is (`rules.rules.0…`) and why. */
export interface SegmentProblem {
  field: string;
  message: string;
}

/**
 * Rules that need a journey run cannot define a segment: the trigger event's properties and a
 * run's messages. Segment rules name other segments (cycles are refused where segments are known).
 */
export function segmentProblems(rule: Rule, field = 'rules'): SegmentProblem[] {
  switch (rule.kind) {
    case 'group':
      return rule.rules.flatMap((child, i) => segmentProblems(child, `${field}.rules.${i}`));
    case 'event-property':
      return [{ field, message: "A segment has no trigger event: compare a trait, or count the customer's events instead." }];
    case 'message':
      return [{ field, message: 'A segment cannot ask about the messages of a journey run; use it in a condition of that journey instead.' }];
    case 'trait':
      return rule.valueFrom?.source === 'trigger-event' ? [{ field: `${field}.valueFrom`, message: 'A segment has no trigger event to compare with.' }] : [];
    case 'event-count':
      return (rule.filter ?? []).flatMap((f, i) =>
        f.valueFrom?.source === 'trigger-event' ? [{ field: `${field}.filter.${i}.valueFrom`, message: 'A segment has no trigger event to compare with.' }] : [],
      );
    default:
      return [];
  }
}

/** What a segment's rules read, so an event re-evaluates only the segments it can change. */
export interface SegmentReads {
  /** Traits, consent or addresses: an identify (or a consent change) can change it. */
  profile: boolean;
  /** Names of the events it counts: a track of one of these can change it. */
  events: Set<string>;
  /** Segments it refers to: a change in one of these can change it. */
  segments: Set<string>;
  /** Whether time alone can change it (event counts in a window, dates compared with now): only then is it checked again later. */
  timed: boolean;
}

export function segmentReads(rules: Rule): SegmentReads {
  const reads: SegmentReads = { profile: false, events: new Set(), segments: new Set(), timed: false };
  const walk = (r: Rule) => {
    switch (r.kind) {
      case 'group':
        r.rules.forEach(walk);
        return;
      case 'trait':
        reads.profile = true;
        if (comparesTimes(r.operator)) reads.timed = true;
        return;
      case 'channel':
        reads.profile = true;
        return;
      case 'event-count':
        reads.timed = true;
        reads.events.add(r.event);
        if (r.filter?.some((f) => f.valueFrom?.source === 'trait')) reads.profile = true;
        return;
      case 'segment':
        reads.segments.add(r.segmentId);
        return;
      default:
        return;
    }
  };
  walk(rules);
  return reads;
}
