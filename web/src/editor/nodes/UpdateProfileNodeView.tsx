import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../store/journey-graph.ts';
import { NodeShell } from './NodeShell.tsx';

/** The `update-profile` node on the canvas. */
export const UpdateProfileNodeView = memo(function UpdateProfileNodeView(props: NodeProps<CanvasNode>) {
  return <NodeShell {...props} />;
});
