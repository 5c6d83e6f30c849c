import type { NodeTypes } from '@xyflow/react';
import type { NodeType } from '@waymark/shared';
import { ConditionNodeView } from './ConditionNodeView.tsx';
import { ExitNodeView } from './ExitNodeView.tsx';
import { SendNodeView } from './SendNodeView.tsx';
import { SplitNodeView } from './SplitNodeView.tsx';
import { TriggerNodeView } from './TriggerNodeView.tsx';
import { UpdateProfileNodeView } from './UpdateProfileNodeView.tsx';
import { WaitForEventNodeView } from './WaitForEventNodeView.tsx';
import { WaitNodeView } from './WaitNodeView.tsx';

/** Module scope, so React Flow never sees a new map and remounts every node. */
export const canvasNodeTypes = {
  trigger: TriggerNodeView,
  wait: WaitNodeView,
  'wait-for-event': WaitForEventNodeView,
  condition: ConditionNodeView,
  split: SplitNodeView,
  send: SendNodeView,
  'update-profile': UpdateProfileNodeView,
  exit: ExitNodeView,
} satisfies Record<NodeType, unknown> as NodeTypes;
