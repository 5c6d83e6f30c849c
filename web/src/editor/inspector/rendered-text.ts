/** A rendered field as text; absent optional fields are ''. */
export function renderedText(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
