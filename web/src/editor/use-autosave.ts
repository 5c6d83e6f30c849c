import { useEffect } from 'react';
import { api, ApiFailure } from '../api/client.ts';
import type { EditorStore } from './store/editor-store.ts';

const delayMs = 800;

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
      const version = state.version;
      state.setSave({ state: 'saving' });
      try {
        const saved = await api<{ revision: number }>('PUT', `/api/workspaces/${workspaceId}/journeys/${state.journeyId}`, { document: state.document(), revision: state.revision });
        const now = store.getState();
        now.setSave(now.version === version ? { state: 'saved' } : { state: 'unsaved' }, saved.revision);
        if (now.version !== version) timer = setTimeout(save, delayMs);
      } catch (error) {
        const failure = error instanceof ApiFailure ? error : null;
        store.getState().setSave(failure?.code === 'draft-conflict'
          ? { state: 'conflict', message: 'This journey was changed in another tab or by someone else. Reload to see their version; your changes here are not saved.' }
          : { state: 'error', message: `${failure?.message ?? 'Saving failed.'} Your changes are kept here; saving is retried on your next edit.` });
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
