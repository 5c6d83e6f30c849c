import { DoorOpen, Target } from 'lucide-react';
import { useMemo } from 'react';
import { useCatalog } from '../catalog-context.ts';
import { useEditor } from '../store/editor-context.ts';
import type { EditorState } from '../store/editor-store.ts';
import { goalWords } from './goal-words.ts';

const selectSettings = (s: EditorState) => s.meta.settings;

/** The journey's goal and exit criteria, pinned above the canvas in words. */
export function JourneyGoal() {
  const settings = useEditor(selectSettings);
  const catalog = useCatalog();
  const segmentNames = useMemo(() => new Map((catalog?.segments ?? []).map((s) => [s.id, s.name])), [catalog]);
  const { goal, exits } = goalWords(settings, segmentNames);
  return (
    <div className="wm-canvas-goal" data-testid="journey-goal">
      <span className={settings?.goal ? 'wm-goal' : 'wm-goal is-missing'} title={goal}>
        <Target aria-hidden size={16} className="wm-goal-icon" />
        <span>{goal}</span>
      </span>
      {exits && (
        <span className="wm-goal" title={exits}>
          <DoorOpen aria-hidden size={16} className="wm-goal-icon" />
          <span>{exits}</span>
        </span>
      )}
    </div>
  );
}
