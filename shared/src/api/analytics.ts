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

/**
 * The numbers' filter: a version (`live`, the default; `all`, summed over every version; or its
 * number) and a range of days in the workspace's time zone, both ends included (default: all time).
 */
export const StatsQuery = z
  .object({
    version: z
      .string()
      .regex(/^(live|all|[1-9]\d{0,8})$/, 'Use "live", "all" or a version number.')
      .optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'The range ends before it starts.', path: ['to'] });
export type StatsQuery = z.infer<typeof StatsQuery>;

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
  version: StatsQuery.shape.version,
  from: day.optional(),
  to: day.optional(),
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
