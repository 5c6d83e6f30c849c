import type { XYPosition } from '@xyflow/react';
import type { ELK } from 'elkjs/lib/elk.bundled.js';
import type { CanvasEdge, CanvasNode } from './store/journey-graph.ts';

/** elkjs is large (1.4 MB), so it is loaded the first time someone asks for a layout. */
let elk: Promise<ELK> | null = null;
const loadElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK()));

/** Top-to-bottom layered layout (elkjs), branches side by side; returns each node's new position. */
export async function layoutJourney(nodes: CanvasNode[], edges: CanvasEdge[]): Promise<Record<string, XYPosition>> {
  const graph = await (await loadElk()).layout({
    id: 'journey',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.spacing.nodeNode': '60',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: nodes.map((n) => ({ id: n.id, width: n.measured?.width ?? 220, height: n.measured?.height ?? 90 })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  return Object.fromEntries((graph.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
}
