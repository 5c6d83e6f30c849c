import { useEffect, useState } from 'react';
import { PreviewContext, type PreviewSubject } from '@waymark/shared';
import type { CustomerDraft } from './preview-draft.ts';
import { fetchPreviewSubject } from './preview-api.ts';

const answers = new Map<string, Promise<PreviewSubject>>();

/** What the runtime would read for this customer and journey; asked once per customer while the page is open. */
export function previewSubject(workspaceId: string, journeyId: string, source: CustomerDraft['source'], id: string | null): Promise<PreviewSubject> {
  const who = source === 'real' && id ? { customerId: id } : source === 'test' && id ? { testCustomerId: id } : {};
  const key = `${workspaceId}|${journeyId}|${JSON.stringify(who)}`;
  let answer = answers.get(key);
  if (!answer) {
    answer = fetchPreviewSubject(workspaceId, journeyId, who);
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
  }
  return answer;
}

/**
 * The context the preview decides with (earlier runs, recent events, sends today, the workspace's
 * cap and zone, paused): read for the chosen customer; when it cannot be read, an empty one and why.
 */
export function usePreviewSubject(workspaceId: string, journeyId: string, customer: CustomerDraft) {
  const [state, setState] = useState<{ key: string; context: PreviewContext | null; error: string | null }>({ key: '', context: null, error: null });
  const key = `${customer.source}|${customer.id ?? ''}`;
  useEffect(() => {
    let live = true;
    previewSubject(workspaceId, journeyId, customer.source, customer.id).then(
      (subject) => live && setState({ key, context: subject.context, error: null }),
      (error: Error) => live && setState({ key, context: PreviewContext.parse({}), error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [workspaceId, journeyId, customer.source, customer.id, key]);
  return state.key === key ? state : { key, context: null, error: null };
}
