import { useEffect } from 'react';
import type { EditorStore } from './store/editor-store.ts';

/** Where typing or a menu / dialog owns the keys. */
const ownKeys = 'input, textarea, select, [contenteditable="true"], iframe, [role="menu"], [role="dialog"]';

/** Keyboard shortcuts while focus is not in a form field, menu or dialog: undo/redo, copy/paste/duplicate, delete. */
export function useEditorKeys(store: EditorStore) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.defaultPrevented || target?.closest(ownKeys)) return;
      const s = store.getState();
      const mod = event.metaKey || event.ctrlKey;
      const key = event.key.toLowerCase();
      const act = (fn: () => void) => {
        event.preventDefault();
        fn();
      };
      if (mod && key === 'z' && event.shiftKey) act(s.redo);
      else if (mod && key === 'z') act(s.undo);
      else if (mod && key === 'y') act(s.redo);
      else if (mod && key === 'c') act(s.copySelection);
      else if (mod && key === 'v') act(s.paste);
      else if (mod && key === 'd') act(s.duplicateSelection);
      else if (!mod && (key === 'backspace' || key === 'delete')) act(s.deleteSelection);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
