import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../store/journey-graph.ts';
import { NodeShell } from './NodeShell.tsx';

/** The `trigger` node on the canvas. */
export const TriggerNodeView = memo(function TriggerNodeView(props: NodeProps<CanvasNode>) {
  return <NodeShell {...props} />;
});
