import type { StatsSegment } from '@waymark/shared';
import { formatCount } from './stats-format.ts';

/* How the stats say which customers they count, in plain words. */

/** "Customers now in Pro buyers": the short name of a segment's numbers (the canvas, a table row). */
export const customersNowIn = (segment: Pick<StatsSegment, 'name'>) => `Customers now in ${segment.name}`;

/** A choice of the Segment filter: "Pro buyers (1,204)". */
export const segmentOption = (segment: StatsSegment) => `${segment.name} (${formatCount(segment.members)})`;

/** What narrowing to a segment means, under the filter. */
export function segmentMeaning(segment: StatsSegment): string {
  const who = `${formatCount(segment.members)} customer${segment.members === 1 ? '' : 's'}`;
  return `Only the ${who} in ${segment.name} now are counted, with everything they did in these days — whether or not they were in the segment then.`;
}

/** While a segment's members are still being worked out, its numbers may grow. */
export const segmentBuilding = (segment: StatsSegment) => `${segment.name} is still being worked out, so these numbers may grow as customers are added to it.`;
