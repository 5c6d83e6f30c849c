import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getSmoothStepPath } from '@xyflow/react';
import { memo } from 'react';
import { branchLabel } from '../nodes/branch-label.ts';
import { useEdgeMark } from '../preview/use-preview-marks.ts';
import { useEditor } from '../store/editor-context.ts';
import type { EditorState } from '../store/editor-store.ts';

const labelOf = (source: string, handle: string | null | undefined) => (s: EditorState) => {
  const node = s.nodes.find((n) => n.id === source);
  return branchLabel(node?.type, node?.data, handle);
};

/**
 * Every connection: a rounded right-angled line with an arrow; a branch's name ("Yes", "Timeout:
 * 4 hours", "A 50%") sits on it once, where it turns towards its target, kept at least 12 px on
 * screen however far out you zoom. In the preview, the branches the run took are drawn along its path.
 */
export const BranchEdge = memo(function BranchEdge({ id, source, sourceHandleId, sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, selected }: EdgeProps) {
  const label = useEditor(labelOf(source, sourceHandleId));
  const mark = useEdgeMark(source, sourceHandleId);
  const [path, midX, labelY] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, borderRadius: 12 });
  // On the elbow above a target below, not midway: branches of one node start close together, their
  // targets do not. A target beside or above keeps the middle (the elbow would be behind its card).
  const labelX = targetY > sourceY + 40 ? targetX : midX;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd="url(#wm-arrow)" className={`wm-edge${selected ? ' is-selected' : ''}${mark}`} />
      {label && (
        <EdgeLabelRenderer>
          <div
            className={`wm-edge-label nodrag nopan${selected ? ' is-selected' : ''}${mark}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px) scale(var(--wm-unzoom, 1))` }}
            data-testid={`edge-label-${id}`}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
