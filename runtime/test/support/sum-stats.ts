import type { JourneyStats } from '@waymark/shared';

/** Every count of two stats answers summed, node by node and metric by metric. */
export function sumStats(a: JourneyStats['nodes'], b: JourneyStats['nodes']): JourneyStats['nodes'] {
  const total: JourneyStats['nodes'] = structuredClone(a);
  for (const [node, counts] of Object.entries(b)) {
    const into = total[node] ?? {};
    total[node] = into;
    for (const [metric, n] of Object.entries(counts)) into[metric] = (into[metric] ?? 0) + n;
  }
  return total;
}
