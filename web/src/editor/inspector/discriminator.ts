import { isRecord, resolveSchema, stringEnum, type JsonSchema } from './json-schema.ts';

/** One variant of a discriminated union: its `const` tag and its (resolved) object schema. */
export interface UnionVariant {
  tag: string;
  schema: JsonSchema;
}

/** A `oneOf`/`anyOf` whose object variants share a property with a distinct string `const`. */
export interface Discriminator {
  key: string;
  variants: UnionVariant[];
}

const constOf = (schema: JsonSchema | undefined): string | undefined => {
  if (!schema) return undefined;
  if (typeof schema.const === 'string') return schema.const;
  const single = stringEnum(schema);
  return single?.length === 1 ? single[0] : undefined;
};

/** The discriminator of a union schema (`kind`, `mode`, `op`…), or null when it is not one. */
export function discriminatorOf(schema: JsonSchema, root: JsonSchema): Discriminator | null {
  const options = (schema.oneOf ?? schema.anyOf)?.map((variant) => resolveSchema(variant, root));
  const first = options?.[0];
  if (!options || !first?.properties) return null;
  for (const key of Object.keys(first.properties)) {
    const tags = options.map((variant) => constOf(variant.properties?.[key]));
    if (tags.every((tag): tag is string => tag !== undefined) && new Set(tags).size === tags.length) {
      return { key, variants: options.map((variant, i) => ({ tag: tags[i]!, schema: variant })) };
    }
  }
  return null;
}

/** The variant a value currently is, by its tag. */
export function currentVariant(discriminator: Discriminator, value: unknown): UnionVariant | undefined {
  const tag = isRecord(value) ? value[discriminator.key] : undefined;
  return discriminator.variants.find((variant) => variant.tag === tag);
}
