import { comparesNothing } from '@waymark/shared';

/** The operator of the comparison holding the field at dotted `path` of the form's `value`, if that field sits in one. */
export function comparisonOperator(value: unknown, path: string): string | undefined {
  const keys = path.split('.');
  keys.pop();
  let parent: unknown = value;
  for (const key of keys) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
  const operator = parent !== null && typeof parent === 'object' ? (parent as { operator?: unknown }).operator : undefined;
  return typeof operator === 'string' ? operator : undefined;
}

/**
 * Whether the field at dotted `path` of the form's `value` is one its rule does not read: the
 * value (or where it comes from) of an "exists" / "does not exist" comparison. The form hides it.
 */
export function isUnusedField(value: unknown, path: string): boolean {
  const last = path.split('.').at(-1);
  if (last !== 'value' && last !== 'valueFrom') return false;
  return comparesNothing(comparisonOperator(value, path) ?? '');
}

/** The comparison without the fields its operator does not read (`value`, `valueFrom` of "exists"), or itself when it has none. */
export function withoutUnusedFields(object: Record<string, unknown>): Record<string, unknown> {
  if (typeof object.operator !== 'string' || !comparesNothing(object.operator) || (object.value === undefined && object.valueFrom === undefined)) return object;
  const { value: _value, valueFrom: _valueFrom, ...rest } = object;
  return rest;
}
