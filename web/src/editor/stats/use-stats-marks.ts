import { usePreview } from '../preview/preview-context.ts';
import type { PreviewSnapshot } from '../preview/preview-store.ts';
import { edgeWidth } from './stats-format.ts';
import { useStats } from './stats-context.ts';
import type { StatsSnapshot } from './stats-store.ts';

/** A card's numbers: passes in, waiting now, conversions after it. */
export interface NodeNumbers {
  entered: number;
  waiting: number;
  converted: number;
}

/** A connection's numbers: passes along it, its share of the source's exits, and its stroke width. */
export interface EdgeNumbers {
  count: number;
  share: number;
  width: number;
}

const previewOpen = (s: PreviewSnapshot) => s.active;

const nodeNumbers = (id: string) => (s: StatsSnapshot) => {
  const counts = s.enabled ? s.stats?.nodes[id] : undefined;
  if (!s.enabled || !s.stats) return null;
  return { entered: counts?.entered ?? 0, waiting: counts?.waiting ?? 0, converted: counts?.converted ?? 0 };
};

const edgeNumbers = (source: string, handle: string) => (s: StatsSnapshot) => {
  if (!s.enabled || !s.stats) return null;
  const counts = s.stats.nodes[source] ?? {};
  const count = counts[`left:${handle}`] ?? 0;
  const exits = Object.entries(counts).reduce((sum, [metric, n]) => (metric.startsWith('left:') ? sum + n : sum), 0);
  return { count, share: exits ? count / exits : 0, width: edgeWidth(count, s.busiest) };
};

/** The numbers a card shows, or null while stats are off or the Preview tab is open (its marks win). */
export function useNodeNumbers(id: string): NodeNumbers | null {
  const numbers = useStats(nodeNumbers(id));
  return usePreview(previewOpen) ? null : numbers;
}

/** The numbers a connection shows, or null while stats are off or the Preview tab is open. */
export function useEdgeNumbers(source: string, handle: string | null | undefined): EdgeNumbers | null {
  const numbers = useStats(edgeNumbers(source, handle ?? 'next'));
  return usePreview(previewOpen) ? null : numbers;
}
