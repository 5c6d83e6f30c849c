import { funnelAlong, type JourneyDocumentInput, mostTravelledPath, type NodeType } from '@waymark/shared';
import { branchLabel } from '../../editor/nodes/branch-label.ts';
import { nodeName } from '../../editor/nodes/node-name.ts';
import type { FunnelBar } from './FunnelChart.tsx';

type Edges = Parameters<typeof mostTravelledPath>[1];
type Counts = Record<string, Record<string, number>>;

/** A way through the journey from its trigger: node ids in order, and its name in branch words. */
export interface JourneyPath {
  nodes: string[];
  label: string;
}

/** At most this many paths are offered: a journey with many branches lists its busiest ones. */
export const maxPaths = 30;

const edgesOf = (document: JourneyDocumentInput): Edges => document.graph.edges.map((e) => ({ ...e, sourceHandle: (e as { sourceHandle?: string }).sourceHandle ?? 'next' })) as Edges;

/**
 * Every way from the trigger to a step with no way out (or back to a step already on the way),
 * named by the branches it takes ("Subject B: urgency 45%", "No → Nudge SMS"). Pure.
 */
export function journeyPaths(document: JourneyDocumentInput): JourneyPath[] {
  const nodes = document.graph.nodes;
  const edges = edgesOf(document);
  const start = nodes.find((n) => n.type === 'trigger');
  if (!start) return [];
  const paths: JourneyPath[] = [];
  const walk = (at: string, path: string[], words: string[]) => {
    if (paths.length >= maxPaths) return;
    const ways = edges.filter((e) => e.source === at && !path.includes(e.target));
    if (!ways.length) {
      paths.push({ nodes: path, label: words.length ? words.join(' → ') : 'The only path' });
      return;
    }
    const node = nodes.find((n) => n.id === at);
    for (const way of ways) {
      const word = ways.length > 1 || edges.filter((e) => e.source === at).length > 1 ? branchLabel(node?.type as NodeType, node?.data as Record<string, unknown>, way.sourceHandle) : undefined;
      walk(way.target, [...path, way.target], word ? [...words, word] : words);
    }
  };
  walk(start.id, [start.id], []);
  return paths;
}

/** The path most customers took from the trigger (node ids). */
export function busiestPath(document: JourneyDocumentInput, counts: Counts): string[] {
  const start = document.graph.nodes.find((n) => n.type === 'trigger');
  return start ? mostTravelledPath(start.id, edgesOf(document), counts) : [];
}

/** The funnel along `path`, each step by its name. */
export function funnelBars(document: JourneyDocumentInput, path: string[], counts: Counts): FunnelBar[] {
  const nodes = document.graph.nodes;
  return funnelAlong(path, edgesOf(document), counts).map((step) => {
    const node = nodes.find((n) => n.id === step.nodeId)!;
    return { name: nodeName(node.type as NodeType, (node.data ?? {}) as Record<string, unknown>), entered: step.entered, shareOfStart: step.shareOfStart, shareOfPrevious: step.shareOfPrevious };
  });
}
