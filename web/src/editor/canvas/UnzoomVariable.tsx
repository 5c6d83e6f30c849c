import { type ReactFlowState, useStore } from '@xyflow/react';
import { type RefObject, useEffect } from 'react';

const selectZoom = (s: ReactFlowState) => s.transform[2];

/** Sets `--wm-unzoom` (1 / zoom, at least 1) on the canvas, so edge labels can stay readable when zoomed out. */
export function UnzoomVariable({ target }: { target: RefObject<HTMLElement | null> }) {
  const zoom = useStore(selectZoom);
  useEffect(() => {
    target.current?.style.setProperty('--wm-unzoom', String(Math.max(1, 1 / zoom)));
  }, [zoom, target]);
  return null;
}
