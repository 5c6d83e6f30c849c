import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../store/journey-graph.ts';
import { NodeShell } from './NodeShell.tsx';

/** The `wait` node on the canvas. */
export const WaitNodeView = memo(function WaitNodeView(props: NodeProps<CanvasNode>) {
  return <NodeShell {...props} />;
});
