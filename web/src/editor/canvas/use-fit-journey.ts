import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { useEditorStore } from '../store/editor-context.ts';
import type { CanvasEdge, CanvasNode } from '../store/journey-graph.ts';
import { belowCard, nodeSize } from '../store/node-size.ts';
import { fitViewport } from './fit-viewport.ts';
import { type Box, minimapBox, minimapCorner } from './minimap-corner.ts';

const nodeBox = (node: CanvasNode): Box => ({ x: node.position.x, y: node.position.y, width: node.measured?.width ?? nodeSize.width, height: (node.measured?.height ?? nodeSize.height) + belowCard });

const union = (boxes: Box[]): Box => {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
};

const project = (boxes: Box[], { x, y, zoom }: { x: number; y: number; zoom: number }) => boxes.map((b) => ({ x: b.x * zoom + x, y: b.y * zoom + y, width: b.width * zoom, height: b.height * zoom }));

/**
 * Fit-to-view for journeys: never below the zoom where cards stop being readable (a big journey
 * shows its start instead), and leaving a corner free for the minimap when that costs little.
 */
export function useFitJourney() {
  const flow = useReactFlow<CanvasNode, CanvasEdge>();
  const store = useEditorStore();
  const flowStore = useStoreApi();
  return useCallback(
    async ({ duration = 250 }: { duration?: number } = {}) => {
      const nodes = store.getState().nodes;
      const { width, height } = flowStore.getState();
      if (!nodes.length || !width || !height) return;
      const boxes = nodes.map(nodeBox);
      const start = boxes[nodes.findIndex((n) => n.type === 'trigger')] ?? boxes[0]!;
      const options = { anchor: { x: start.x + start.width / 2, y: start.y } };
      let viewport = fitViewport(union(boxes), width, height, options);
      if (!minimapCorner(project(boxes, viewport), width, height)) {
        const roomy = fitViewport(union(boxes), width, height, { ...options, reserveRight: minimapBox.width + minimapBox.margin });
        if (minimapCorner(project(boxes, roomy), width, height)) viewport = roomy;
      }
      await flow.setViewport(viewport, { duration });
    },
    [flow, store, flowStore],
  );
}
