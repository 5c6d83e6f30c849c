import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../store/journey-graph.ts';
import { NodeShell } from './NodeShell.tsx';

/** The `wait-for-event` node on the canvas. */
export const WaitForEventNodeView = memo(function WaitForEventNodeView(props: NodeProps<CanvasNode>) {
  return <NodeShell {...props} />;
});
