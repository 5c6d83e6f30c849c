import { useEffect } from 'react';
import { useEditorStore } from '../store/editor-context.ts';
import { useRevealNode } from './use-reveal-node.ts';

/** A step added off-screen (from the palette, by paste) is brought into view, so keyboard users see what they made. */
export function useRevealNewNodes() {
  const store = useEditorStore();
  const reveal = useRevealNode();
  useEffect(
    () =>
      store.subscribe((state, before) => {
        if (state.nodes === before.nodes || state.nodes.length <= before.nodes.length) return;
        const known = new Set(before.nodes.map((n) => n.id));
        const added = state.nodes.filter((n) => !known.has(n.id) && n.selected);
        if (added.length) requestAnimationFrame(() => reveal(added.at(-1)!.id, { onlyIfCentreHidden: true }));
      }),
    [store, reveal],
  );
}
