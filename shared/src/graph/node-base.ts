import { z } from 'zod';

/** Canvas position of a node; the engine ignores it. */
export const Position = z.object({ x: z.number(), y: z.number() });
export type Position = z.infer<typeof Position>;

/** Node ids are also state ids in the compiled machine and appear in idempotency keys. */
export const NodeId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, "-" and "_" only');

/**
 * A union's tag as the builder's forms offer it, in a marketer's words: `label` names the select
 * and `choice` this option ("Based on" · "How often an event happened", not "Kind" · "Event
 * count"). `choice` is this schema's own keyword; validation ignores both.
 */
export const choiceOf = <const T extends string>(tag: T, label: string, choice: string) => z.literal(tag).meta({ label, choice });

/** Builds the `{ id, type, position, data }` shape every node shares. */
export function nodeOf<const T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.object({
    id: NodeId,
    type: z.literal(type),
    position: Position,
    data,
  });
}
