import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import { useEditorStore } from '../store/editor-context.ts';
import { firstFreeHandle, handleIds } from '../store/node-handles.ts';
import { nodeSize } from '../store/node-size.ts';
import { useAutoLayout } from './use-auto-layout.ts';
import { useFitJourney } from './use-fit-journey.ts';
import { useRevealNode } from './use-reveal-node.ts';

const arrows: Record<string, [number, number]> = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
/** Where typing or a menu / dialog owns the keys. */
const ownKeys = 'input, textarea, select, [contenteditable="true"], iframe, [role="menu"], [role="dialog"]';

/**
 * Canvas shortcuts without a mouse (undo, copy and delete are in `useEditorKeys`): J/K select the
 * next/previous step, arrows move the selection, A opens "+", C connects, L lays out, Shift+1 fits,
 * +/- zoom, Shift+0 is 100% (around the selected step), Escape clears the selection, ? opens the help.
 */
export function useCanvasKeys({ onHelp }: { onHelp(): void }) {
  const store = useEditorStore();
  const flow = useReactFlow();
  const fit = useFitJourney();
  const layout = useAutoLayout();
  const reveal = useRevealNode();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.defaultPrevented || event.altKey || target?.closest(ownKeys)) return;
      const s = store.getState();
      const mod = event.metaKey || event.ctrlKey;
      const key = event.key.toLowerCase();
      const chosen = s.nodes.filter((n) => n.selected);
      const single = chosen.length === 1 ? chosen[0]! : null;
      const act = (fn: () => void) => {
        event.preventDefault();
        fn();
      };
      if (mod) {
        if (key === 'a') act(s.selectAll);
        return;
      }
      if (event.key === '?') act(onHelp);
      else if (key === 'j' || key === 'k')
        act(() => {
          const id = s.selectAdjacent(key === 'j' ? 1 : -1);
          if (id) reveal(id, { focus: true });
        });
      else if (arrows[event.key] && chosen.length && !s.readOnly) {
        const [dx, dy] = arrows[event.key]!;
        const step = event.shiftKey ? 80 : 20;
        act(() => s.nudgeSelection(dx * step, dy * step));
      } else if (key === 'a' && single && !s.readOnly) {
        const handle = firstFreeHandle(single, s.edges) ?? handleIds(single)[0];
        if (handle) act(() => s.openMenu({ kind: 'insert', nodeId: single.id, handle }));
      } else if (key === 'c' && single && !s.readOnly) act(() => s.openMenu({ kind: 'connect', nodeId: single.id, handle: '' }));
      else if (key === 'l' && !s.readOnly) act(() => void layout());
      else if (event.shiftKey && event.code === 'Digit1') act(() => void fit());
      else if (event.shiftKey && event.code === 'Digit0')
        act(() => {
          // 100% around the selected step when there is one, so it stays in view.
          const at = single ? { x: single.position.x + (single.measured?.width ?? nodeSize.width) / 2, y: single.position.y + (single.measured?.height ?? nodeSize.height) / 2 } : null;
          void (at ? flow.setCenter(at.x, at.y, { zoom: 1, duration: 200 }) : flow.zoomTo(1, { duration: 200 }));
        });
      else if (key === '+' || key === '=') act(() => void flow.zoomIn({ duration: 200 }));
      else if (key === '-' || key === '_') act(() => void flow.zoomOut({ duration: 200 }));
      else if (key === 'escape' && (chosen.length || s.menu)) act(() => (s.menu ? s.openMenu(null) : s.selectOnly(null)));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, flow, fit, layout, reveal, onHelp]);
}
