import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useRevealNode } from '../canvas/use-reveal-node.ts';
import { usePreview, usePreviewStore } from './preview-context.ts';
import type { PreviewSnapshot } from './preview-store.ts';

const selectScrub = (s: PreviewSnapshot) => ({ cursor: s.cursor, count: s.result?.rows.length ?? 0 });

/** Steps through the timeline row by row (buttons, the slider, its arrow keys); the canvas follows with the path so far. */
export function Scrubber() {
  const { cursor, count } = usePreview(selectScrub);
  const preview = usePreviewStore();
  const reveal = useRevealNode();
  if (count < 2) return null;
  const go = (index: number) => {
    preview.getState().setCursor(index);
    const node = preview.getState().path.current;
    if (node) reveal(node);
  };
  return (
    <fieldset className="wm-pv-scrubber">
      <legend className="wm-sr">Step through the story</legend>
      <button type="button" className="wm-icon-button" aria-label="Back one row" disabled={cursor <= 0} onClick={() => go(cursor - 1)}>
        <ChevronLeft aria-hidden size={16} />
      </button>
      <input type="range" min={0} max={count - 1} value={cursor} aria-label="Position in the timeline" aria-valuetext={`Row ${cursor + 1} of ${count}`} onChange={(e) => go(Number(e.target.value))} />
      <button type="button" className="wm-icon-button" aria-label="Forward one row" disabled={cursor >= count - 1} onClick={() => go(cursor + 1)}>
        <ChevronRight aria-hidden size={16} />
      </button>
      <span className="wm-pv-count">
        {cursor + 1} of {count}
      </span>
    </fieldset>
  );
}
