import { z } from 'zod';
import type { SplitReadout } from '../analytics/index.ts';

/** A calendar day, YYYY-MM-DD, that exists (no 2026-02-30), between 1900 and 9999. */
export const CalendarDay = z
  .string()
  .regex(/^(19|[2-9]\d)\d{2}-\d{2}-\d{2}$/, 'Use a day as YYYY-MM-DD.')
  .refine((value) => {
    const at = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(at) && new Date(at).toISOString().startsWith(value);
  }, 'No such day.');
const day = CalendarDay;

/** A saved segment's id, as the segments API gives it. */
const segmentId = z.string().trim().min(1, 'Name a segment by its id.').max(100);

const statsFields = {
  version: z
    .string()
    .regex(/^(live|all|[1-9]\d{0,8})$/, 'Use "live", "all" or a version number.')
    .optional(),
  from: day.optional(),
  to: day.optional(),
  /** Only customers who are members of this segment now (read from the steps at read time); absent: everyone, from the counters. */
  segment: segmentId.optional(),
};
const inOrder = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;
const backwards = () => ({ message: 'The range ends before it starts.', path: ['to'] });

/**
 * The numbers' filter: a version (`live`, the default; `all`, summed over every version; or its
 * number), a range of days in the workspace's time zone, both ends included (default: all time),
 * and optionally a saved segment whose members now are the only customers counted.
 */
export const StatsQuery = z.object(statsFields).refine(inOrder, backwards());
export type StatsQuery = z.infer<typeof StatsQuery>;

/** Most segments one comparison reads: each is a read of its members' runs and messages. */
export const maxComparedSegments = 10;

/**
 * The "by segment" table's filter: the stats filter (without `segment`) and the segments to compare,
 * comma-separated ids (at most 10); absent, the workspace's first 10 by name.
 */
export const SegmentComparisonQuery = z
  .object({
    version: statsFields.version,
    from: statsFields.from,
    to: statsFields.to,
    segments: z
      .string()
      .max(1_100)
      .transform((text) => [...new Set(text.split(',').map((id) => id.trim()))].filter(Boolean))
      .pipe(z.array(segmentId).min(1, 'Name at least one segment.').max(maxComparedSegments, `Compare at most ${maxComparedSegments} segments at once.`))
      .optional(),
  })
  .refine(inOrder, backwards());
export type SegmentComparisonQuery = z.input<typeof SegmentComparisonQuery>;

/** The segment numbers were narrowed to: who is in it now. */
export interface StatsSegment {
  id: string;
  name: string;
  /** Customers in it now. */
  members: number;
  /** Its members are still being worked out (a new or changed definition): the numbers may grow. */
  building: boolean;
}

/** The range the numbers cover, as asked and in which zone. */
export interface StatsRange {
  from: string | null;
  to: string | null;
  zone: string;
}

/** Milliseconds: more than `from`, at most `to` (null: no upper bound). */
export interface WaitSpan {
  from: number;
  to: number | null;
}

/** A wait's time spent, as bucket ranges: counted when a run leaves the wait. */
export interface WaitTimes {
  /** Runs that left the wait in the range. */
  count: number;
  median: WaitSpan;
  p90: WaitSpan;
}

/**
 * `GET /journeys/:id/stats`: counters per node over the range (metric → count; `entered` and
 * `left:<handle>` are passes, so a customer who comes back counts again), `waiting` as it is now,
 * distinct customers who entered, every split's A/B readout and every wait's time spent.
 */
export interface JourneyStats {
  journeyId: string;
  /** The version counted; null when all versions are summed. */
  version: number | null;
  versions: number[];
  range: StatsRange;
  nodes: Record<string, Record<string, number>>;
  /** Distinct customers who entered in the range (a run started in it). */
  customers: number;
  splits: Record<string, SplitReadout>;
  waits: Record<string, WaitTimes>;
  /** Present when only a segment's members now were counted (`?segment=`). */
  segment?: StatsSegment;
  generatedAt: string;
}

/** One day of a journey's report, in the workspace's zone. */
export interface ReportDay {
  day: string;
  entered: number;
  sent: number;
  opened: number;
  clicked: number;
  converted: number;
}

/** One channel of a journey's report: sends of all its send steps. */
export interface ReportChannel {
  channel: string;
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  skipped: number;
}

/** `GET /journeys/:id/report`: the stats plus a day-by-day series, a per-channel table and how runs ended. */
export interface JourneyReport {
  stats: JourneyStats;
  days: ReportDay[];
  channels: ReportChannel[];
  /** Runs ended in the range, by reason (`completed`, `converted`, `exit-node`, `exited-early`, `paused`, …). */
  exits: Record<string, number>;
}

/** Who a step has, now or over the range: waiting there, or sent, skipped or failed by a send step. */
export const NodeCustomersQuery = z.object({
  version: statsFields.version,
  from: day.optional(),
  to: day.optional(),
  segment: statsFields.segment,
  state: z.enum(['waiting', 'sent', 'skipped', 'failed']).default('waiting'),
  q: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type NodeCustomersQuery = z.input<typeof NodeCustomersQuery>;

/** One customer on a step: since when (waiting) or when (sent, skipped, failed), with the timer or the reason. */
export interface NodeCustomer {
  customerId: string;
  /** A name to show: the name or email trait, else the user id. */
  label: string;
  at: string;
  /** When the run's timer is due (waiting). */
  dueAt?: string;
  /** `skipped:no-consent`, the delivery error, … */
  reason?: string;
  version: number;
}

export interface NodeCustomersPage {
  total: number;
  page: number;
  pageSize: number;
  items: NodeCustomer[];
}

/** One row of the "by segment" table: a segment (null: all customers, from the counters) and its numbers over the range. */
export interface SegmentComparisonRow {
  segment: StatsSegment | null;
  /** Entries (runs started in the range; a customer who comes back counts again). */
  entered: number;
  /** Runs that converted in the range. */
  converted: number;
  /** Messages sent in the range, and the first opens and clicks recorded in it. */
  sent: number;
  opened: number;
  clicked: number;
}

/** `GET /journeys/:id/report/segments`: all customers, then each segment compared, over the same version and range. */
export interface SegmentComparison {
  range: StatsRange;
  all: SegmentComparisonRow;
  rows: SegmentComparisonRow[];
  /** Segments in the workspace (when more than were compared, the rest can be asked for by id). */
  available: number;
}
