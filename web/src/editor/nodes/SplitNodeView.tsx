import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../store/journey-graph.ts';
import { NodeShell } from './NodeShell.tsx';

/** The `split` node on the canvas. */
export const SplitNodeView = memo(function SplitNodeView(props: NodeProps<CanvasNode>) {
  return <NodeShell {...props} />;
});
