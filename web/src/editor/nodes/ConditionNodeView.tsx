import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../store/journey-graph.ts';
import { NodeShell } from './NodeShell.tsx';

/** The `condition` node on the canvas. */
export const ConditionNodeView = memo(function ConditionNodeView(props: NodeProps<CanvasNode>) {
  return <NodeShell {...props} />;
});
