import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import { useEditorStore } from '../store/editor-context.ts';
import type { CanvasEdge, CanvasNode } from '../store/journey-graph.ts';
import { nodeSize } from '../store/node-size.ts';

const nodeElement = (id: string) => document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);

/**
 * Brings a node into view and, with `focus`, moves keyboard focus to it. It pans only when the
 * node is not wholly in view, or with `onlyIfCentreHidden` only when its centre is out of view
 * (a node dropped at the edge of the canvas is where the person put it).
 */
export function useRevealNode() {
  const flow = useReactFlow<CanvasNode, CanvasEdge>();
  const store = useEditorStore();
  return useCallback(
    (id: string, { focus = false, onlyIfCentreHidden = false } = {}) => {
      const node = store.getState().nodes.find((n) => n.id === id);
      const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
      if (!node || !pane) return;
      const { x, y, zoom } = flow.getViewport();
      const width = (node.measured?.width ?? nodeSize.width) * zoom;
      const height = (node.measured?.height ?? nodeSize.height) * zoom;
      const left = node.position.x * zoom + x;
      const top = node.position.y * zoom + y;
      const margin = 24;
      const centre = { x: left + width / 2, y: top + height / 2 };
      const inside = onlyIfCentreHidden
        ? centre.x >= 0 && centre.y >= 0 && centre.x <= pane.width && centre.y <= pane.height
        : left >= margin && top >= margin && left + width <= pane.width - margin && top + height + 40 * zoom <= pane.height - margin;
      if (!inside) void flow.setCenter(node.position.x + width / zoom / 2, node.position.y + height / zoom / 2, { zoom, duration: 200 });
      if (!focus) return;
      // A new node is hidden until React Flow has measured it, and off-screen ones are not rendered
      // at all (onlyRenderVisibleElements): try for a few frames until focus lands.
      let tries = 0;
      const tryFocus = () => {
        const element = nodeElement(id);
        element?.focus({ preventScroll: true });
        if (element !== document.activeElement && tries++ < 30) requestAnimationFrame(tryFocus);
      };
      requestAnimationFrame(tryFocus);
    },
    [flow, store],
  );
}
