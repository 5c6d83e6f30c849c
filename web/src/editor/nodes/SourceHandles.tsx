import { Handle, Position } from '@xyflow/react';
import { Plus } from 'lucide-react';
import type { NodeType } from '@waymark/shared';
import { useEditor } from '../store/editor-context.ts';
import type { EditorActions, EditorState } from '../store/editor-store.ts';
import { handleIds } from '../store/node-handles.ts';
import { branchLabel } from './branch-label.ts';
import { nodeName } from './node-name.ts';
import type { Data } from './rule-words.ts';

const connectedOf = (id: string) => (s: EditorState) => s.edges.filter((e) => e.source === id).map((e) => e.sourceHandle ?? 'next');
const selectActions = (s: EditorState & EditorActions) => ({ readOnly: s.readOnly, openMenu: s.openMenu, menu: s.menu });

/**
 * A node's outgoing handles along its bottom edge, each with a "+" that opens the insert menu.
 * A branch's name shows here only while the branch is unconnected; once connected it is on the edge.
 */
export function SourceHandles({ id, type, data }: { id: string; type: NodeType; data: Data }) {
  const connected = useEditor(connectedOf(id));
  const { readOnly, openMenu, menu } = useEditor(selectActions);
  const handles = handleIds({ id, type, data, position: { x: 0, y: 0 } });
  return (
    <div className="wm-node-handles">
      {handles.map((handle, i) => {
        const left = `${((i + 1) / (handles.length + 1)) * 100}%`;
        const isConnected = connected.includes(handle);
        const label = branchLabel(type, data, handle);
        const open = menu?.kind === 'insert' && menu.nodeId === id && menu.handle === handle;
        return (
          <div key={handle} className={`wm-branch${isConnected ? ' is-connected' : ''}${label ? ' has-label' : ''}`} style={{ left }}>
            <Handle type="source" position={Position.Bottom} id={handle} style={{ left }} data-testid={`handle-${id}-${handle}`} />
            {label && !isConnected && <span className="wm-handle-label">{label}</span>}
            {!readOnly && (
              <button
                type="button"
                className="wm-handle-add nodrag nopan"
                aria-label={`Add a step after ${nodeName(type, data)}${label ? ` (${label})` : ''}`}
                aria-haspopup="menu"
                aria-expanded={open}
                data-insert-anchor={`${id}:${handle}`}
                onClick={(event) => {
                  event.stopPropagation();
                  openMenu(open ? null : { kind: 'insert', nodeId: id, handle });
                }}
              >
                <Plus aria-hidden className="wm-add-glyph" />
              </button>
            )}
          </div>
        );
      })}
    </div>
  );
}
