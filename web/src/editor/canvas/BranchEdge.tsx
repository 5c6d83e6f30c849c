import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getSmoothStepPath } from '@xyflow/react';
import { memo } from 'react';
import { branchLabel } from '../nodes/branch-label.ts';
import { useEdgeMark } from '../preview/use-preview-marks.ts';
import { formatCount, formatShare } from '../stats/stats-format.ts';
import { useEdgeNumbers } from '../stats/use-stats-marks.ts';
import { useEditor } from '../store/editor-context.ts';
import type { EditorState } from '../store/editor-store.ts';

const labelOf = (source: string, handle: string | null | undefined) => (s: EditorState) => {
  const node = s.nodes.find((n) => n.id === source);
  return branchLabel(node?.type, node?.data, handle);
};

/**
 * Every connection: a rounded right-angled line with an arrow; a branch's name ("Yes", "Timeout:
 * 4 hours", "A 50%") sits on it once, where it turns towards its target, kept at least 12 px on
 * screen however far out you zoom. In the preview, the branches the run took are drawn along its path; with stats on, each
 * shows how many took it and its share of the step's exits, its width following the volume.
 */
export const BranchEdge = memo(function BranchEdge({ id, source, sourceHandleId, sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, selected }: EdgeProps) {
  const label = useEditor(labelOf(source, sourceHandleId));
  const mark = useEdgeMark(source, sourceHandleId);
  const numbers = useEdgeNumbers(source, sourceHandleId);
  const [path, midX, labelY] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, borderRadius: 12 });
  // On the elbow above a target below, not midway: branches of one node start close together, their
  // targets do not. A target beside or above keeps the middle (the elbow would be behind its card).
  const labelX = targetY > sourceY + 40 ? targetX : midX;
  const statsMark = numbers ? (numbers.count ? ' has-stats' : ' has-stats is-stats-unreached') : '';
  // A connection nobody took is drawn dashed, without a count: zeros would crowd a busy canvas.
  const count = numbers?.count ? `${formatCount(numbers.count, { compact: true })} · ${formatShare(numbers.share, 1)}` : null;
  const title = numbers
    ? numbers.count
      ? `${formatCount(numbers.count)} took this connection: ${formatShare(numbers.share, 1)} of those who left the step before`
      : 'Nobody took this connection in these days'
    : undefined;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd="url(#wm-arrow)"
        className={`wm-edge${selected ? ' is-selected' : ''}${mark}${statsMark}`}
        style={numbers && !selected ? { strokeWidth: numbers.width } : undefined}
      />
      {(label || count) && (
        <EdgeLabelRenderer>
          <div
            className={`wm-edge-label nodrag nopan${selected ? ' is-selected' : ''}${mark}${statsMark}${label ? '' : ' is-count-only'}`}
            style={{ transform: `translate(-50%, -50%) translate(${label ? labelX : midX}px, ${labelY}px) scale(var(--wm-unzoom, 1))` }}
            data-testid={`edge-label-${id}`}
            title={title}
          >
            {label}
            {count && (
              <span className="wm-edge-count" data-testid="edge-count">
                {count}
              </span>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
