import { z } from 'zod';
import { nodeOf } from './node-base.ts';

export const ExitNodeData = z.object({ reason: z.string().max(120).optional() });
export type ExitNodeData = z.infer<typeof ExitNodeData>;

/** Ends the run. No handles. */
export const ExitNode = nodeOf('exit', ExitNodeData);
export type ExitNode = z.infer<typeof ExitNode>;
