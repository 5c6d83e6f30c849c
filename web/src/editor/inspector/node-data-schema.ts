import { nodeSchemas, type NodeType } from '@waymark/shared';
import type { JsonSchema } from './json-schema.ts';

/** The part of a zod schema this file touches; avoids a direct dependency on zod. */
interface ZodSchemaLike {
  toJSONSchema(params: { io: 'input'; unrepresentable: 'any' }): object;
  shape?: Record<string, unknown>;
  _zod?: { def: { in?: unknown; innerType?: unknown } };
}

/** The `data` schema of a node type, reaching through wrappers (pipes, defaults) around the node object. */
function dataSchemaOf(type: NodeType): ZodSchemaLike {
  let node = nodeSchemas[type] as unknown as ZodSchemaLike;
  for (let depth = 0; !node.shape && depth < 8; depth++) {
    const def = node._zod?.def;
    const inner = def?.in ?? def?.innerType;
    if (!inner) break;
    node = inner as ZodSchemaLike;
  }
  const data = node.shape?.data as ZodSchemaLike | undefined;
  if (!data) throw new Error(`The "${type}" node schema has no data shape.`);
  return data;
}

const cache = new Map<NodeType, JsonSchema>();

/**
 * The JSON Schema (input side) of a node type's `data`, computed once per type. Refinements
 * (zod 4 keeps them on the object) do not show in JSON Schema; their errors still arrive as problems.
 */
export function nodeDataJsonSchema(type: NodeType): JsonSchema {
  let schema = cache.get(type);
  if (!schema) {
    schema = dataSchemaOf(type).toJSONSchema({ io: 'input', unrepresentable: 'any' }) as JsonSchema;
    cache.set(type, schema);
  }
  return schema;
}
