/** Operators that compare with nothing ("plan exists"): a comparison with one has no value to ask for. */
const comparesNothing = new Set(['exists', 'not-exists']);

/**
 * Whether the field at dotted `path` of the form's `value` is one its rule does not read: the
 * value (or where it comes from) of an "exists" / "does not exist" comparison. The form hides it.
 */
export function isUnusedField(value: unknown, path: string): boolean {
  const keys = path.split('.');
  const last = keys.pop();
  if (last !== 'value' && last !== 'valueFrom') return false;
  let parent: unknown = value;
  for (const key of keys) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
  const operator = parent !== null && typeof parent === 'object' ? (parent as { operator?: unknown }).operator : undefined;
  return typeof operator === 'string' && comparesNothing.has(operator);
}
