import type { XYPosition } from '@xyflow/react';
import type { ELK } from 'elkjs/lib/elk.bundled.js';
import { handleIds } from './store/node-handles.ts';
import type { CanvasEdge, CanvasNode } from './store/journey-graph.ts';
import { nodeSize, rowGap } from './store/node-size.ts';

/** elkjs is large (1.4 MB), so it is loaded the first time someone asks for a layout. */
let elk: Promise<ELK> | null = null;
const loadElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK()));

/**
 * Top-to-bottom layered layout (elkjs): branches side by side in the order of their handles (yes
 * left of no), rows far enough apart for a branch label and the "+" under each card; returns each
 * node's new position, snapped to the canvas grid.
 */
export async function layoutJourney(nodes: CanvasNode[], edges: CanvasEdge[]): Promise<Record<string, XYPosition>> {
  const ports = new Set<string>();
  const children = nodes.map((n) => {
    const width = n.measured?.width ?? nodeSize.width;
    const height = n.measured?.height ?? nodeSize.height;
    const handles = handleIds(n);
    // Ports where the card draws its handles: the input centred on top, outputs spread along the bottom.
    const out = handles.map((handle, i) => ({ id: `${n.id}:${handle}`, x: (width * (i + 1)) / (handles.length + 1), y: height, width: 1, height: 1 }));
    const all = [{ id: `${n.id}:in`, x: width / 2, y: 0, width: 1, height: 1 }, ...out];
    for (const port of all) ports.add(port.id);
    return { id: n.id, width, height, layoutOptions: { 'elk.portConstraints': 'FIXED_POS' }, ports: all };
  });
  const graph = await (await loadElk()).layout({
    id: 'journey',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.spacing.nodeNode': '60',
      'elk.layered.spacing.nodeNodeBetweenLayers': String(rowGap),
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children,
    edges: edges.map((e) => ({ id: e.id, sources: [`${e.source}:${e.sourceHandle ?? 'next'}`], targets: [`${e.target}:in`] })).filter((e) => ports.has(e.sources[0]!) && ports.has(e.targets[0]!)),
  });
  const snap = (v: number | undefined) => Math.round((v ?? 0) / 20) * 20;
  return Object.fromEntries((graph.children ?? []).map((c) => [c.id, { x: snap(c.x), y: snap(c.y) }]));
}
