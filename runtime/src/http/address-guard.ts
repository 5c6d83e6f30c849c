import { createMiddleware } from 'hono/factory';
import { ApiError } from './api-error.ts';
import { findUnstorable } from './find-unstorable.ts';

/**
 * Refuses an address whose path or query holds what no id or search can be: percent-encoding that
 * is not UTF-8, a NUL, a lone surrogate (400, before any of it reaches a query).
 */
export const addressGuard = () =>
  createMiddleware(async (c, next) => {
    const url = new URL(c.req.url);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      throw new ApiError(400, 'invalid-address', 'The address is not valid percent-encoded UTF-8.', { field: 'path' });
    }
    const problem = findUnstorable(path) ? 'path' : [...url.searchParams].find(([key, value]) => findUnstorable(key) || findUnstorable(value))?.[0];
    if (problem !== undefined)
      throw new ApiError(400, 'invalid-address', `The address has a character no name or id can hold (a NUL or a lone surrogate) in ${problem === 'path' ? 'its path' : `"${problem}"`}.`, {
        field: problem,
      });
    return next();
  });
