import ELK from 'elkjs/lib/elk.bundled.js';
import type { XYPosition } from '@xyflow/react';
import type { CanvasEdge, CanvasNode } from './store/journey-graph.ts';

const elk = new ELK();

/** Top-to-bottom layered layout (elkjs), branches side by side; returns each node's new position. */
export async function layoutJourney(nodes: CanvasNode[], edges: CanvasEdge[]): Promise<Record<string, XYPosition>> {
  const graph = await elk.layout({
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
