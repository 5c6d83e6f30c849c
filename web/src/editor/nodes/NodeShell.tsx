import { Handle, Position, type NodeProps } from '@xyflow/react';
import { useState } from 'react';
import { nodeHandles, nodeTypes, type JourneyNode, type NodeType } from '@waymark/shared';
import { useEditor, useEditorStore } from '../store/editor-context.ts';
import type { CanvasNode } from '../store/journey-graph.ts';
import { channelLook, nodeLook } from './node-look.ts';
import { nodeSummary, sendChannel } from './node-summary.ts';

const problemCount = (id: string) => (s: { problems: { nodeId?: string }[] }) => s.problems.filter((p) => p.nodeId === id).length;
const readOnlyOf = (s: { readOnly: boolean }) => s.readOnly;

/** The box every node type draws: icon and colour, what it does, its labelled branch handles. */
export function NodeShell({ id, type, data, selected, positionAbsoluteX, positionAbsoluteY }: NodeProps<CanvasNode>) {
  const kind = type as NodeType;
  const look = nodeLook[kind];
  const channel = kind === 'send' ? channelLook[sendChannel(data) ?? ''] : undefined;
  const problems = useEditor(problemCount(id));
  const readOnly = useEditor(readOnlyOf);
  const store = useEditorStore();
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const handles = nodeHandles({ id, type: kind, data } as JourneyNode);
  const color = channel?.color ?? look.color;

  return (
    <div className={`wm-node${selected ? ' is-selected' : ''}${problems ? ' has-problems' : ''}`} style={{ borderColor: color }} data-testid={`node-${id}`}>
      {kind !== 'trigger' && <Handle type="target" position={Position.Top} />}
      <div className="wm-node-head" style={{ background: color }}>
        <span aria-hidden>{channel?.icon ?? look.icon}</span> {look.title}
        {problems > 0 && (
          <span className="wm-node-problems" title={`${problems} problem(s)`}>
            {problems}
          </span>
        )}
      </div>
      <div className="wm-node-summary">{nodeSummary(kind, data)}</div>
      <div className="wm-node-id">{id}</div>
      <div className="wm-node-handles">
        {handles.map((handle, i) => {
          const left = `${((i + 1) / (handles.length + 1)) * 100}%`;
          return (
            <div key={handle.id}>
              <Handle type="source" position={Position.Bottom} id={handle.id} style={{ left }} data-testid={`handle-${id}-${handle.id}`} />
              {handle.id !== 'next' && (
                <span className="wm-handle-label" style={{ left }}>
                  {handle.id}
                </span>
              )}
              {!readOnly && (
                <button
                  type="button"
                  className="wm-handle-add nodrag"
                  style={{ left }}
                  aria-label={`Add a node after ${id} (${handle.id})`}
                  onClick={() => setMenuFor(menuFor === handle.id ? null : handle.id)}
                >
                  +
                </button>
              )}
              {menuFor === handle.id && (
                <div className="wm-handle-menu nodrag" role="menu" style={{ left }}>
                  {nodeTypes
                    .filter((t) => t !== 'trigger')
                    .map((t) => (
                      <button
                        key={t}
                        type="button"
                        role="menuitem"
                        onClick={() => {
                          setMenuFor(null);
                          store.getState().addNode(t, { x: positionAbsoluteX + (i - (handles.length - 1) / 2) * 260, y: positionAbsoluteY + 160 }, { source: id, sourceHandle: handle.id });
                        }}
                      >
                        {nodeLook[t].icon} {nodeLook[t].title}
                      </button>
                    ))}
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
