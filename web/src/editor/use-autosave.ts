import { useEffect } from 'react';
import { api, ApiFailure } from '../api/client.ts';
import type { EditorStore } from './store/editor-store.ts';

const delayMs = 800;

/**
 * Saves the draft now, at the revision it was loaded at, and records the outcome in the store:
 * saved (or unsaved, if it changed meanwhile), a conflict when another tab saved first (409), or
 * an error. Failures are rethrown for callers that must not go on (publishing).
 */
export async function saveDraft(store: EditorStore, workspaceId: string): Promise<void> {
  const state = store.getState();
  const version = state.version;
  state.setSave({ state: 'saving' });
  try {
    const saved = await api<{ revision: number }>('PUT', `/api/workspaces/${workspaceId}/journeys/${state.journeyId}`, { document: state.document(), revision: state.revision });
    const now = store.getState();
    now.setSave(now.version === version ? { state: 'saved' } : { state: 'unsaved' }, saved.revision);
  } catch (error) {
    const failure = error instanceof ApiFailure ? error : null;
    store
      .getState()
      .setSave(
        failure?.code === 'draft-conflict'
          ? { state: 'conflict', message: 'This journey was changed in another tab or by someone else. Reload to see their version; your changes here are not saved.' }
          : { state: 'error', message: `${failure?.message ?? 'Saving failed.'} Your changes are kept here; saving is retried on your next edit.` },
      );
    throw error;
  }
}

/**
 * Saves the draft 0.8 s after the last change, at the revision it was loaded at. If another tab
 * saved in between, the server answers 409 and the editor shows the conflict instead of
 * overwriting the other tab's work.
 */
export function useAutosave(store: EditorStore, workspaceId: string) {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let saving = false;
    const save = async () => {
      const state = store.getState();
      if (saving || state.readOnly || state.save.state === 'conflict' || state.save.state === 'saved') return;
      saving = true;
      try {
        await saveDraft(store, workspaceId);
        // Edited while the request was out: save again.
        if (store.getState().save.state === 'unsaved') timer = setTimeout(save, delayMs);
      } catch {
        // The store shows the conflict or the error.
      } finally {
        saving = false;
      }
    };
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.version === previous.version) return;
      clearTimeout(timer);
      timer = setTimeout(save, delayMs);
    });
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (store.getState().save.state !== 'saved') event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      unsubscribe();
      clearTimeout(timer);
      window.removeEventListener('beforeunload', beforeUnload);
      void save();
    };
  }, [store, workspaceId]);
}
