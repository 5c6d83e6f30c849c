import { discriminatorOf } from './discriminator.ts';
import { resolveSchema, schemaType, stringEnum, type JsonSchema } from './json-schema.ts';

/**
 * The value a new field of this schema starts with: its `default`, its `const`, else the
 * smallest value of its type. Objects get their required properties only, so optional fields
 * stay absent; undefined when nothing sensible exists.
 */
export function defaultValue(input: JsonSchema, root: JsonSchema, depth = 0): unknown {
  const schema = resolveSchema(input, root);
  if (depth > 16) return undefined;
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (schema.const !== undefined) return schema.const;
  const union = discriminatorOf(schema, root);
  if (union) return defaultValue(union.variants[0]!.schema, root, depth + 1);
  const options = stringEnum(schema);
  if (options) return options[0];
  switch (schemaType(schema)) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        const child = schema.properties?.[key];
        const filled = child ? defaultValue(child, root, depth + 1) : undefined;
        if (filled !== undefined) value[key] = filled;
      }
      return value;
    }
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return Math.max(0, schema.minimum ?? 0);
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return undefined;
  }
}

/** A union value switched to another variant: shared fields stay, the new variant's required defaults fill in. */
export function switchVariant(value: unknown, key: string, variant: JsonSchema, tag: string, root: JsonSchema): Record<string, unknown> {
  const filled = defaultValue(variant, root) as Record<string, unknown>;
  const kept = Object.entries(typeof value === 'object' && value !== null ? value : {}).filter(([name]) => name !== key && variant.properties?.[name] !== undefined);
  return { [key]: tag, ...filled, ...Object.fromEntries(kept) };
}
