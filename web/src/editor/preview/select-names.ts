import type { NodeType } from '@waymark/shared';
import { nodeName } from '../nodes/node-name.ts';
import type { EditorActions, EditorState } from '../store/editor-store.ts';

/** Each node's name as its card shows it; read with `shallow`, so moving nodes changes nothing. */
export const selectNodeNames = (s: EditorState & EditorActions): Record<string, string> => Object.fromEntries(s.nodes.map((n) => [n.id, nodeName(n.type as NodeType, n.data)]));
