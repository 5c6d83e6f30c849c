import { useCallback, useEffect, useState } from 'react';
import { loadDraft, type PreviewDraft, saveDraft } from './preview-draft.ts';

/** The preview's customer, story and context changes for a journey, kept in localStorage as they change. */
export function usePreviewDraft(journeyId: string, zone: string) {
  const [draft, setDraft] = useState<PreviewDraft>(() => loadDraft(journeyId, zone));
  useEffect(() => saveDraft(journeyId, draft), [journeyId, draft]);
  const update = useCallback((patch: Partial<PreviewDraft>) => setDraft((current) => ({ ...current, ...patch })), []);
  return [draft, update] as const;
}
