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

/**
 * A request's idempotency key, from the body or the `Idempotency-Key` header (not both, unless
 * they agree); undefined when neither has one. A 400 names what is wrong.
 */
export function idempotencyKeyOf(header: string | undefined, body: string | undefined): string | undefined {
  if (header !== undefined && body !== undefined && header !== body) {
    throw new ApiError(400, 'invalid-request', 'The Idempotency-Key header and idempotencyKey in the body differ; send one of them.', { field: 'idempotencyKey' });
  }
  if (header !== undefined && (header.length < 1 || header.length > 200)) throw new ApiError(400, 'invalid-request', 'Idempotency-Key must be 1 to 200 characters.', { field: 'Idempotency-Key' });
  return body ?? header;
}
