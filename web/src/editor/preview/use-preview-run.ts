import { useEffect, useRef, useState } from 'react';
import { type CompileError, compileJourney, customerTimeZone, entryEventName, JourneyInvalidError, type PreviewContext, type PreviewResult, previewJourney } from '@waymark/shared';
import { useEditor, useEditorStore } from '../store/editor-context.ts';
import type { EditorActions, EditorState } from '../store/editor-store.ts';
import { usePreviewStore } from './preview-context.ts';
import { type PreviewDraft, previewProfile } from './preview-draft.ts';
import { toStory } from './story-draft.ts';

export type PreviewRun =
  | { state: 'waiting' }
  | { state: 'invalid'; problems: CompileError[] }
  | { state: 'story'; errors: string[] }
  | { state: 'done'; result: PreviewResult; zone: string; entryAt: number };

const selectVersion = (s: EditorState & EditorActions) => s.version;
/** Changes settle this long before the preview runs again. */
const debounceMs = 250;
/** A preview still not shown this long after a change shows a spinner. */
const slowMs = 500;

/**
 * Plays the story on the journey as it is on the canvas (unsaved edits included), in the browser,
 * again whenever the canvas, the customer, the story or the context changes (debounced), and hands
 * the result to the preview store for the canvas. Each run is timed as `waymark:preview` (compile
 * and preview) in the page's performance timeline.
 */
export function usePreviewRun(draft: PreviewDraft, context: Partial<PreviewContext> | null): { run: PreviewRun; slow: boolean } {
  const version = useEditor(selectVersion);
  const editor = useEditorStore();
  const preview = usePreviewStore();
  const [run, setRun] = useState<PreviewRun>({ state: 'waiting' });
  const [slow, setSlow] = useState(false);
  const first = useRef(true);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` moves with every edit of the document read through the store
  useEffect(() => {
    if (!context) return;
    const slowTimer = setTimeout(() => setSlow(true), slowMs);
    const play = () => {
      const started = performance.now();
      const next = playPreview(editor.getState().document(), draft, context);
      performance.measure('waymark:preview', { start: started, end: performance.now() });
      setRun(next);
      preview.getState().show(next.state === 'done' ? next.result : null);
      clearTimeout(slowTimer);
      setSlow(false);
    };
    const timer = setTimeout(play, first.current ? 0 : debounceMs);
    first.current = false;
    return () => {
      clearTimeout(timer);
      clearTimeout(slowTimer);
    };
  }, [version, draft, context, editor, preview]);

  return { run, slow };
}

/** Compiles the document and plays the draft's story on it; or the problems that stop it. */
export function playPreview(document: unknown, draft: PreviewDraft, context: Partial<PreviewContext>): PreviewRun {
  let machine: ReturnType<typeof compileJourney>;
  try {
    machine = compileJourney(document);
  } catch (error) {
    if (error instanceof JourneyInvalidError) return { state: 'invalid', problems: error.errors };
    throw error;
  }
  const customer = previewProfile(draft.customer);
  const zone = customerTimeZone(customer, machine.settings.timeZone);
  const story = toStory(draft.story, { zone, audience: entryEventName(machine.entry) === null });
  if (!story.story) return { state: 'story', errors: story.errors };
  const merged: Partial<PreviewContext> = {
    ...context,
    ...(draft.overrides.sentToday ? { sentToday: draft.overrides.sentToday } : {}),
    ...(draft.overrides.paused !== undefined ? { paused: draft.overrides.paused } : {}),
  };
  const result = previewJourney({ machine, customer, story: story.story, context: merged });
  return { state: 'done', result, zone: result.zone, entryAt: Date.parse(story.story.entry.at) };
}
