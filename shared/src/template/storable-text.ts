const suspect = /[\0\uD800-\uDFFF]/;

/**
 * Text PostgreSQL can store (SPEC L7): NUL characters removed, lone UTF-16 surrogates replaced by
 * U+FFFD. Well-formed text comes back as the same string.
 */
export function storableText(text: string): string {
  if (!suspect.test(text)) return text;
  return text.replaceAll('\0', '').toWellFormed();
}

/** A parsed JSON value with `storableText` applied to every string in it, keys included. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storableJson(item)]));
  }
  return value;
}
