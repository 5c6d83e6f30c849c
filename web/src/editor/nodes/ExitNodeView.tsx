import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../store/journey-graph.ts';
import { NodeShell } from './NodeShell.tsx';

/** The `exit` node on the canvas. */
export const ExitNodeView = memo(function ExitNodeView(props: NodeProps<CanvasNode>) {
  return <NodeShell {...props} />;
});
