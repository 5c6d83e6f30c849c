import { discriminatorOf } from './discriminator.ts';
import { isRecord, resolveSchema, schemaType, stringEnum, type JsonSchema } from './json-schema.ts';

/** Which control renders a schema; `json` is the fallback for anything else. */
export type FieldKind = 'object' | 'union' | 'enum' | 'string' | 'number' | 'boolean' | 'enum-list' | 'list' | 'const' | 'value' | 'json';

const listable = new Set<FieldKind>(['object', 'union', 'enum', 'string', 'number', 'boolean']);

/** Picks the control for a (resolved) schema; the form and the validator read the same schema. */
export function fieldKind(schema: JsonSchema, root: JsonSchema): FieldKind {
  if (schema.oneOf || schema.anyOf) return discriminatorOf(schema, root) ? 'union' : takesText(schema, root) ? 'value' : 'json';
  if (stringEnum(schema)) return 'enum';
  // A fixed value (a group's `kind: 'group'`) has nothing to edit.
  if (schema.const !== undefined) return 'const';
  switch (schemaType(schema)) {
    case 'object':
      // A record (`additionalProperties` schema, no named properties) has no fixed fields to show.
      return isRecord(schema.additionalProperties) && !schema.properties ? 'json' : 'object';
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      if (!schema.items) return 'json';
      const items = resolveSchema(schema.items, root);
      if (stringEnum(items)) return 'enum-list';
      return listable.has(fieldKind(items, root)) ? 'list' : 'json';
    }
    default:
      return 'json';
  }
}

/** A union one of whose options (nested unions included) is plain text: a rule's compared value. */
function takesText(schema: JsonSchema, root: JsonSchema, depth = 0): boolean {
  const options = schema.oneOf ?? schema.anyOf ?? [];
  return options.some((option) => {
    const resolved = resolveSchema(option, root);
    return (schemaType(resolved) === 'string' && !stringEnum(resolved)) || (depth < 3 && (resolved.oneOf || resolved.anyOf) !== undefined && takesText(resolved, root, depth + 1));
  });
}

const longTextNames = new Set(['html', 'body', 'text']);

/** Fields whose content is long (message bodies) get a textarea. */
export function isLongText(name: string): boolean {
  return longTextNames.has(name);
}
