/** The part of JSON Schema (draft 2020-12, as `toJSONSchema` writes it) the inspector reads. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  [keyword: string]: unknown;
}

/** A plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows local `$ref`s (`#`, `#/$defs/x`, `#/definitions/x`) against the form's root schema. */
export function resolveSchema(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined && hops < 32; hops++) {
    const ref = current.$ref;
    if (ref === '#') current = root;
    else {
      const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
      const target = match ? root[match[1] as '$defs' | 'definitions']?.[decodeURIComponent(match[2]!)] : undefined;
      // An unresolvable reference is left as-is; the field falls back to JSON.
      if (!target) return current;
      current = target;
    }
  }
  return current;
}

/** The first type a schema declares, or undefined for several or none. */
export function schemaType(schema: JsonSchema): string | undefined {
  return typeof schema.type === 'string' ? schema.type : undefined;
}

/** The string options of an `enum`, or null when it has none or non-string members. */
export function stringEnum(schema: JsonSchema): string[] | null {
  const options = schema.enum;
  if (!options || options.length === 0 || !options.every((o): o is string => typeof o === 'string')) return null;
  return options;
}
