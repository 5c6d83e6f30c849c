const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * Upper bounds of the time-spent buckets of a wait, in milliseconds. The runtime counts each
 * run leaving a wait into one bucket (`waited:<index>`), so a median over any date range is a
 * sum of counters, exact to the bucket.
 */
export const waitBucketBounds = [
  minute,
  5 * minute,
  15 * minute,
  30 * minute,
  hour,
  2 * hour,
  4 * hour,
  8 * hour,
  12 * hour,
  day,
  2 * day,
  3 * day,
  5 * day,
  7 * day,
  14 * day,
  30 * day,
  60 * day,
  90 * day,
  Number.POSITIVE_INFINITY,
] as const;

/** The counter name for a run that spent `ms` in a wait. */
export function waitMetric(ms: number): string {
  return `waited:${waitBucketBounds.findIndex((bound) => ms <= bound)}`;
}

/** The time range of one bucket: more than `from`, at most `to` milliseconds. */
export interface WaitRange {
  from: number;
  to: number;
}

/**
 * The bucket holding the q-quantile (0.5 = median, 0.9 = p90) of the times counted in
 * `counts` (metric → count, other metrics ignored); null when nothing was counted.
 */
export function waitQuantile(counts: Record<string, number>, q: number): WaitRange | null {
  const perBucket = waitBucketBounds.map((_, i) => counts[`waited:${i}`] ?? 0);
  const total = perBucket.reduce((a, b) => a + b, 0);
  if (!total) return null;
  let seen = 0;
  for (const [i, n] of perBucket.entries()) {
    seen += n;
    if (seen >= q * total) return { from: i ? waitBucketBounds[i - 1]! : 0, to: waitBucketBounds[i]! };
  }
  return null;
}

/** "under 1 h", "1–2 d", "over 90 d": a bucket in words. */
export function describeWaitRange(range: WaitRange): string {
  if (range.from === 0) return `under ${shortDuration(range.to)}`;
  if (!Number.isFinite(range.to)) return `over ${shortDuration(range.from)}`;
  const from = shortDuration(range.from);
  const to = shortDuration(range.to);
  const unit = to.replace(/^[\d.]+ /, '');
  return from.endsWith(` ${unit}`) ? `${from.replace(/ \S+$/, '')}–${to}` : `${from}–${to}`;
}

function shortDuration(ms: number): string {
  if (ms >= day) return `${ms / day} d`;
  if (ms >= hour) return `${ms / hour} h`;
  return `${ms / minute} min`;
}
