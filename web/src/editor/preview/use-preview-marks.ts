import { usePreview } from './preview-context.ts';
import type { PreviewSnapshot } from './preview-store.ts';

/**
 * How a card shows in the preview: the step of the current row, on the path up to it, reached
 * later, or never reached (dimmed); '' while the Preview tab is closed or has no result.
 */
const nodeMark = (id: string) => (s: PreviewSnapshot) => {
  if (!s.active || !s.result) return '';
  if (s.path.current === id) return ' is-preview-current is-preview-path';
  if (s.path.visited.has(id)) return ' is-preview-path';
  return s.reached.has(id) ? ' is-preview-later' : ' is-preview-dimmed';
};

/** How a connection shows: taken up to the current row, taken later, or never (dimmed). */
const edgeMark = (source: string, handle: string) => (s: PreviewSnapshot) => {
  if (!s.active || !s.result) return '';
  const key = `${source}:${handle}`;
  if (s.path.taken.has(key)) return ' is-preview-taken';
  return s.reachedBranches.has(key) ? ' is-preview-later' : ' is-preview-dimmed';
};

/** The preview classes of a node card (with a leading space), or ''. */
export const useNodeMark = (id: string) => usePreview(nodeMark(id));
/** The preview classes of a connection from `source`'s `handle` (with a leading space), or ''. */
export const useEdgeMark = (source: string, handle: string | null | undefined) => usePreview(edgeMark(source, handle ?? 'next'));
