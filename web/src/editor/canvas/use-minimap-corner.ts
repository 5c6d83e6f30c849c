import { type ReactFlowState, useStore } from '@xyflow/react';
import { useCallback, useEffect, useState } from 'react';
import { belowCard, nodeSize } from '../store/node-size.ts';
import { type Corner, minimapCorner } from './minimap-corner.ts';

/**
 * The corner where the minimap covers no node at the current pan and zoom, keeping its corner
 * while that stays free; null when none is free. Re-renders only when the answer changes.
 */
export function useMinimapCorner(): Corner | null {
  const [preferred, setPreferred] = useState<Corner>('bottom-right');
  const select = useCallback(
    (s: ReactFlowState) => {
      const [tx, ty, zoom] = s.transform;
      const boxes = [...s.nodeLookup.values()].map((n) => ({
        x: n.internals.positionAbsolute.x * zoom + tx,
        y: n.internals.positionAbsolute.y * zoom + ty,
        // Nodes off-screen are not rendered, so not measured: every card has the same size anyway.
        width: (n.measured.width ?? nodeSize.width) * zoom,
        height: ((n.measured.height ?? nodeSize.height) + belowCard) * zoom,
      }));
      return minimapCorner(boxes, s.width, s.height, preferred);
    },
    [preferred],
  );
  const corner = useStore(select);
  useEffect(() => {
    if (corner && corner !== preferred) setPreferred(corner);
  }, [corner, preferred]);
  return corner;
}
