import type { CanvasEdge, CanvasNode } from './journey-graph.ts';
import { handleIds } from './node-handles.ts';

/**
 * Node ids in the order a customer meets them: depth first from the trigger, branches in the
 * order of their handles; nodes the trigger does not reach come after, top to bottom, left to right.
 */
export function flowOrder(nodes: CanvasNode[], edges: CanvasEdge[]): string[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (id: string) => {
    const node = byId.get(id);
    if (!node || seen.has(id)) return;
    seen.add(id);
    order.push(id);
    const handles = handleIds(node);
    const out = edges.filter((e) => e.source === id).sort((a, b) => handles.indexOf(a.sourceHandle ?? 'next') - handles.indexOf(b.sourceHandle ?? 'next'));
    for (const edge of out) visit(edge.target);
  };
  for (const trigger of nodes.filter((n) => n.type === 'trigger')) visit(trigger.id);
  const rest = nodes.filter((n) => !seen.has(n.id)).sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
  for (const node of rest) visit(node.id);
  return order;
}
