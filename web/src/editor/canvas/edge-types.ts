import type { EdgeTypes } from '@xyflow/react';
import { BranchEdge } from './BranchEdge.tsx';

/** Module scope, so React Flow never sees a new map; `default` replaces React Flow's own edge for every connection. */
export const canvasEdgeTypes: EdgeTypes = { default: BranchEdge };
