import { Handle, type NodeProps, Position } from '@xyflow/react';
import { TriangleExclamationPoint } from 'lucide-react';
import type { CSSProperties } from 'react';
import type { NodeType } from '@waymark/shared';
import { useCardDetail } from '../canvas/use-card-detail.ts';
import { useNodeMark } from '../preview/use-preview-marks.ts';
import { NodeStatsRow } from '../stats/NodeStatsRow.tsx';
import { useNodeNumbers } from '../stats/use-stats-marks.ts';
import { useEditor } from '../store/editor-context.ts';
import type { CanvasNode } from '../store/journey-graph.ts';
import { channelLook, nodeLook } from './node-look.ts';
import { nodeName } from './node-name.ts';
import { sendChannel } from './node-summary.ts';
import { SourceHandles } from './SourceHandles.tsx';
import { useNodeSummary } from './use-node-summary.ts';

const problemsOf = (id: string) => (s: { problems: { nodeId?: string; message: string }[] }) => s.problems.filter((p) => p.nodeId === id).map((p) => p.message);

/** The card every node type draws: type icon, its name (own or generated), what it does in words, problems, its handles, where it is on the preview's path, and its numbers while stats are on. */
export function NodeShell({ id, type, data, selected }: NodeProps<CanvasNode>) {
  const kind = type as NodeType;
  const channel = kind === 'send' ? channelLook[sendChannel(data) ?? ''] : undefined;
  const Icon = channel?.icon ?? nodeLook[kind].icon;
  const color = channel?.color ?? nodeLook[kind].color;
  const problems = useEditor(problemsOf(id));
  const summary = useNodeSummary(kind, data);
  const detail = useCardDetail();
  const name = nodeName(kind, data);
  const mark = useNodeMark(id);
  const numbers = useNodeNumbers(id);
  const statsMark = numbers ? (numbers.entered === 0 && kind !== 'trigger' ? ' has-stats is-stats-unreached' : ' has-stats') : '';
  const problemText = `${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.join(' ')}`;

  return (
    <div
      className={`wm-node is-${detail}${selected ? ' is-selected' : ''}${problems.length ? ' has-problems' : ''}${mark}${statsMark}`}
      style={{ '--node-color': color } as CSSProperties}
      data-testid={`node-${id}`}
    >
      {kind !== 'trigger' && <Handle type="target" position={Position.Top} />}
      <div className="wm-node-head">
        <span className="wm-node-icon" aria-hidden>
          <Icon className="wm-node-glyph" />
        </span>
        <span className={detail === 'icon' ? 'wm-sr' : 'wm-node-name'} data-testid="node-name">
          {name}
        </span>
      </div>
      {/* Zoomed out, the summary stays as a transparent layer over the card: its tooltip, and what a screen reader reads. */}
      <div className="wm-node-summary" title={detail === 'full' ? summary : `${name}: ${summary}`}>
        {summary}
      </div>
      {numbers && detail !== 'icon' && <NodeStatsRow id={id} kind={kind} numbers={numbers} compact={detail === 'compact'} />}
      {problems.length > 0 && (
        <span className="wm-node-problems" title={problemText} role="img" aria-label={problemText}>
          <TriangleExclamationPoint aria-hidden className="wm-problem-glyph" />
          {problems.length}
        </span>
      )}
      <SourceHandles id={id} type={kind} data={data} />
    </div>
  );
}
