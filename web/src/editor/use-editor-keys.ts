import { useEffect } from 'react';
import type { EditorStore } from './store/editor-store.ts';

/** Keyboard shortcuts while focus is not in a form field: undo/redo, copy/paste/duplicate, delete. */
export function useEditorKeys(store: EditorStore) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"], iframe')) return;
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
      else if (key === 'backspace' || key === 'delete') act(s.deleteSelection);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
