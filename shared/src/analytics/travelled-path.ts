import type { JourneyEdge } from '../graph/journey-document.ts';

/** Counters of one node: metric → count (`entered`, `left:<handle>`, …). */
export type NodeCounts = Record<string, number>;

/** One step of a funnel: how many reached it and the share of those who entered the journey. */
export interface FunnelStep {
  nodeId: string;
  /** The handle taken out of the previous step to get here (absent for the first). */
  via?: string;
  entered: number;
  /** Of those who reached the first step. */
  shareOfStart: number;
  /** Of those who reached the previous step. */
  shareOfPrevious: number;
}

/**
 * The path most customers took: from `start`, follow the edge whose handle was left most often,
 * until a step with no way out or one already on the path. Pure.
 */
export function mostTravelledPath(start: string, edges: JourneyEdge[], counts: Record<string, NodeCounts>): string[] {
  const path = [start];
  let at = start;
  for (;;) {
    const ways = edges.filter((e) => e.source === at && !path.includes(e.target));
    if (!ways.length) return path;
    const busiest = ways.reduce((a, b) => ((counts[at]?.[`left:${b.sourceHandle}`] ?? 0) > (counts[at]?.[`left:${a.sourceHandle}`] ?? 0) ? b : a));
    path.push(busiest.target);
    at = busiest.target;
  }
}

/** A funnel along `path` (node ids in order), read from the per-node counters. Pure. */
export function funnelAlong(path: string[], edges: JourneyEdge[], counts: Record<string, NodeCounts>): FunnelStep[] {
  const first = counts[path[0] ?? '']?.entered ?? 0;
  return path.map((nodeId, i) => {
    const entered = counts[nodeId]?.entered ?? 0;
    const previous = i ? (counts[path[i - 1]!]?.entered ?? 0) : entered;
    const via = i ? edges.find((e) => e.source === path[i - 1] && e.target === nodeId)?.sourceHandle : undefined;
    return { nodeId, ...(via ? { via } : {}), entered, shareOfStart: first ? entered / first : 0, shareOfPrevious: previous ? entered / previous : 0 };
  });
}
