import { nodeHandles, type JourneyNode } from '@waymark/shared';
import type { CanvasEdge, CanvasNode } from './journey-graph.ts';

/** The ids of a canvas node's outgoing handles, in the order they sit on its card (left to right). */
export function handleIds(node: CanvasNode): string[] {
  return nodeHandles({ id: node.id, type: node.type!, data: node.data } as JourneyNode).map((h) => h.id);
}

/** The first handle of `node` with no edge leaving it, if any. */
export function firstFreeHandle(node: CanvasNode, edges: CanvasEdge[]): string | undefined {
  return handleIds(node).find((handle) => !edges.some((e) => e.source === node.id && (e.sourceHandle ?? 'next') === handle));
}
