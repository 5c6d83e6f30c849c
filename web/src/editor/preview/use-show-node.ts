import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import { useEditorStore } from '../store/editor-context.ts';
import type { CanvasEdge, CanvasNode } from '../store/journey-graph.ts';
import { nodeSize } from '../store/node-size.ts';

/** Selects a node and centres it on the canvas at the current zoom (a preview row was chosen). */
export function useShowNode() {
  const flow = useReactFlow<CanvasNode, CanvasEdge>();
  const store = useEditorStore();
  return useCallback(
    (id: string) => {
      const node = store.getState().nodes.find((n) => n.id === id);
      if (!node) return;
      store.getState().selectOnly(id);
      const width = node.measured?.width ?? nodeSize.width;
      const height = node.measured?.height ?? nodeSize.height;
      void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom: flow.getZoom(), duration: 300 });
    },
    [flow, store],
  );
}
