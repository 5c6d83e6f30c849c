import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../store/journey-graph.ts';
import { NodeShell } from './NodeShell.tsx';

/** The `send` node on the canvas. */
export const SendNodeView = memo(function SendNodeView(props: NodeProps<CanvasNode>) {
  return <NodeShell {...props} />;
});
