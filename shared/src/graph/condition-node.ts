import { z } from 'zod';
import { RuleGroup } from './rules.ts';
import { nodeOf } from './node-base.ts';

export const ConditionNodeData = z.object({ rules: RuleGroup });
export type ConditionNodeData = z.infer<typeof ConditionNodeData>;

/** Branches on rules. Handles: `yes`, `no`. */
export const ConditionNode = nodeOf('condition', ConditionNodeData);
export type ConditionNode = z.infer<typeof ConditionNode>;
