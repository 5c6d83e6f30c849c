import type { NodeType } from '@waymark/shared';
import { useCatalog } from '../catalog-context.ts';
import { useEditor } from '../store/editor-context.ts';
import type { EditorState } from '../store/editor-store.ts';
import { nodeName } from './node-name.ts';
import { nodeSummary } from './node-summary.ts';
import type { Data } from './rule-words.ts';

/** Module-scope per node kind: only conditions read other nodes (the step a message rule points at). */
const selectNames = (s: EditorState) => Object.fromEntries(s.nodes.map((n) => [n.id, nodeName(n.type!, n.data)]));
const selectNothing = () => null;

/** A node's summary; for conditions, message rules name the step they point at instead of its id. */
export function useNodeSummary(type: NodeType, data: Data): string {
  const names = useEditor(type === 'condition' ? selectNames : selectNothing);
  // Segments by name, once the workspace's catalog has loaded.
  const segments = useCatalog()?.segments;
  const segmentOf = segments ? (id: string) => segments.find((s) => s.id === id)?.name : undefined;
  return nodeSummary(type, data, names ? (id) => names[id] : undefined, segmentOf);
}
