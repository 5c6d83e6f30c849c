import { ApiError } from './api-error.ts';

/** A whole number from a path or query parameter (a version, a page), or a 400 naming it. */
export function wholeNumber(value: string | undefined, name: string, { min = 0, max = 1_000_000_000 } = {}): number {
  const parsed = value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!(parsed >= min && parsed <= max)) throw new ApiError(400, 'invalid-request', `"${name}" must be a whole number from ${min} to ${max.toLocaleString('en')}.`, { field: name });
  return parsed;
}

/** `limit` and `offset` of a paged list from the query (default 50 per page, at most 500). */
export function paging(query: (name: string) => string | undefined, { defaultLimit = 50, maxLimit = 500 } = {}) {
  const limit = query('limit') === undefined ? defaultLimit : wholeNumber(query('limit'), 'limit', { min: 1, max: maxLimit });
  const offset = query('offset') === undefined ? 0 : wholeNumber(query('offset'), 'offset', { max: 10_000_000 });
  return { limit, offset };
}
