import type { XYPosition } from '@xyflow/react';
import type { CanvasEdge, CanvasNode } from './journey-graph.ts';
import { handleIds } from './node-handles.ts';
import { nodeSize, rowGap } from './node-size.ts';
import { placeAfter } from './place-after.ts';

/** The handle a new node hangs from. */
export interface After {
  source: string;
  sourceHandle: string;
}

/** The edge id the store gives a connection: `source-handle-target`. */
export const edgeId = (source: string, handle: string, target: string) => `${source}-${handle}-${target}`;

function descendants(start: string, edges: CanvasEdge[], stop: string): Set<string> {
  const found = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const id = queue.shift()!;
    if (found.has(id) || id === stop) continue;
    found.add(id);
    queue.push(...edges.filter((e) => e.source === id).map((e) => e.target));
  }
  return found;
}

/**
 * Adds `node` after a handle and connects it. When the handle already leads somewhere, the new
 * node is spliced in: it takes over that edge with its own first handle, and the steps below move
 * down to make room. Without `position`, the node goes below its source, clear of other nodes.
 */
export function insertAfter(graph: { nodes: CanvasNode[]; edges: CanvasEdge[] }, node: Omit<CanvasNode, 'position'>, after: After, position?: XYPosition) {
  const source = graph.nodes.find((n) => n.id === after.source);
  const old = graph.edges.find((e) => e.source === after.source && (e.sourceHandle ?? 'next') === after.sourceHandle);
  const ownHandle = handleIds({ ...node, position: { x: 0, y: 0 } } as CanvasNode)[0];
  const moving = old && ownHandle ? descendants(old.target, graph.edges, after.source) : new Set<string>();
  const nodes = graph.nodes.map((n) => ({ ...n, selected: false, ...(moving.has(n.id) ? { position: { x: n.position.x, y: n.position.y + nodeSize.height + rowGap } } : {}) }));
  const handles = source ? handleIds(source) : [];
  const at = position ?? (source ? placeAfter(source, Math.max(0, handles.indexOf(after.sourceHandle)), handles.length, nodes) : { x: 0, y: 0 });
  const edges = graph.edges.filter((e) => e !== old);
  edges.push({ id: edgeId(after.source, after.sourceHandle, node.id), source: after.source, sourceHandle: after.sourceHandle, target: node.id });
  if (old && ownHandle) edges.push({ id: edgeId(node.id, ownHandle, old.target), source: node.id, sourceHandle: ownHandle, target: old.target });
  return { nodes: [...nodes, { ...node, position: at, selected: true } as CanvasNode], edges };
}
