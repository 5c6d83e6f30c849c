import { z } from 'zod';
import { ConditionNode } from './condition-node.ts';
import { ExitNode } from './exit-node.ts';
import { SendNode } from './send-node.ts';
import { SplitNode } from './split-node.ts';
import { TriggerNode } from './trigger-node.ts';
import { UpdateProfileNode } from './update-profile-node.ts';
import { WaitForEventNode } from './wait-for-event-node.ts';
import { WaitNode } from './wait-node.ts';

/** Any node of a journey, discriminated by `type`. */
export const JourneyNode = z.discriminatedUnion('type', [TriggerNode, WaitNode, WaitForEventNode, ConditionNode, SplitNode, SendNode, UpdateProfileNode, ExitNode]);
export type JourneyNode = z.infer<typeof JourneyNode>;
export type NodeType = JourneyNode['type'];

/** Node schemas keyed by type, for forms and per-node validation. */
export const nodeSchemas = {
  trigger: TriggerNode,
  wait: WaitNode,
  'wait-for-event': WaitForEventNode,
  condition: ConditionNode,
  split: SplitNode,
  send: SendNode,
  'update-profile': UpdateProfileNode,
  exit: ExitNode,
} as const satisfies Record<NodeType, z.ZodType>;

export const nodeTypes = Object.keys(nodeSchemas) as NodeType[];

/** An outgoing handle of a node: its branch name, and whether an edge must leave it. */
export interface NodeHandle {
  id: string;
  required: boolean;
}

/**
 * The outgoing handles of a node. `next` of a linear node is optional: leaving it
 * unconnected ends the run there. Branch handles must be connected, except a holdout arm.
 */
export function nodeHandles(node: JourneyNode): NodeHandle[] {
  switch (node.type) {
    case 'trigger':
      return [{ id: 'next', required: true }];
    case 'wait':
    case 'send':
    case 'update-profile':
      return [{ id: 'next', required: false }];
    case 'wait-for-event':
      return [
        { id: 'event', required: true },
        { id: 'timeout', required: true },
      ];
    case 'condition':
      return [
        { id: 'yes', required: true },
        { id: 'no', required: true },
      ];
    case 'split':
      return node.data.arms.map((arm) => ({ id: arm.id, required: !arm.holdout }));
    case 'exit':
      return [];
  }
}
