import { z } from 'zod';
import { nodeOf } from './node-base.ts';

export const SplitArm = z.object({
  /** Also the handle name of this arm's edge. */
  id: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'Use a short lowercase id such as "a"'),
  label: z.string().max(80).optional(),
  /** Percent of customers, whole or fractional; the arms sum to 100. */
  weight: z.number().min(0).max(100),
  /** A control group: may have no edge, and then holds customers for the goal window without messaging them. */
  holdout: z.boolean().default(false),
});
export type SplitArm = z.infer<typeof SplitArm>;

export const SplitNodeData = z.object({
  arms: z.array(SplitArm).min(2, 'A split needs at least 2 arms').max(8, 'A split has at most 8 arms'),
});
export type SplitNodeData = z.infer<typeof SplitNodeData>;

/** A/B/n test or holdout, deterministic per customer. Handles: one per arm id. */
export const SplitNode = nodeOf('split', SplitNodeData);
export type SplitNode = z.infer<typeof SplitNode>;
