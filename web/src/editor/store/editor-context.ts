import { createContext, useContext } from 'react';
import { useStoreWithEqualityFn } from 'zustand/traditional';
import { shallow } from 'zustand/shallow';
import type { EditorActions, EditorState, EditorStore } from './editor-store.ts';

/** The open editor's store, provided by the editor page. */
export const EditorContext = createContext<EditorStore | null>(null);

/** Reads from the open editor's store; selectors should be module-scope, results compared shallowly. */
export function useEditor<T>(selector: (state: EditorState & EditorActions) => T): T {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditor must be used inside an EditorContext provider');
  return useStoreWithEqualityFn(store, selector, shallow);
}

/** The store itself, for actions called from event handlers. */
export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditorStore must be used inside an EditorContext provider');
  return store;
}
