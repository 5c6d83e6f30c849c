import { createContext, useContext } from 'react';
import { useStoreWithEqualityFn } from 'zustand/traditional';
import { shallow } from 'zustand/shallow';
import { createPreviewStore, type PreviewSnapshot, type PreviewStore } from './preview-store.ts';

/** The open editor's preview store, provided by the editor page. */
export const PreviewStoreContext = createContext<PreviewStore | null>(null);

/** Outside an editor (tests of a single card) nothing is previewed. */
const idle = createPreviewStore();

/** Reads from the preview store; selectors should be module-scope, results compared shallowly. */
export function usePreview<T>(selector: (state: PreviewSnapshot) => T): T {
  return useStoreWithEqualityFn(useContext(PreviewStoreContext) ?? idle, selector, shallow);
}

/** The store itself, for actions called from event handlers. */
export function usePreviewStore(): PreviewStore {
  return useContext(PreviewStoreContext) ?? idle;
}
