import { useCallback } from 'react';
import { layoutJourney } from '../layout-journey.ts';
import { useEditorStore } from '../store/editor-context.ts';
import { useFitJourney } from './use-fit-journey.ts';

/** Lays the journey out top to bottom (elkjs) as one undo step, then fits it in view. */
export function useAutoLayout() {
  const store = useEditorStore();
  const fit = useFitJourney();
  return useCallback(async () => {
    const { nodes, edges, moveNodes, readOnly } = store.getState();
    if (readOnly || !nodes.length) return;
    moveNodes(await layoutJourney(nodes, edges));
    requestAnimationFrame(() => void fit());
  }, [store, fit]);
}
