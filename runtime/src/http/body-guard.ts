import { createMiddleware } from 'hono/factory';
import { ApiError } from './api-error.ts';
import { findUnstorable } from './find-unstorable.ts';
import { parseJson, readBody } from './read-body.ts';

const jsonType = /^application\/([\w.+-]*\+)?json\s*(;|$)/i;

/**
 * Reads a request's body before its handler, within `maxBytes` (streamed, compressed bodies
 * included: see `readBody`). With `json`, a non-empty body must be JSON (415 otherwise), nest at
 * most `maxDepth` deep and hold only storable text (400 naming the field); handlers then read the
 * checked body through `c.req.json()` as usual. A body read once is not read again by an outer guard.
 */
export const guardBody = ({ maxBytes, json = true, maxDepth = 32 }: { maxBytes: number; json?: boolean; maxDepth?: number }) =>
  createMiddleware(async (c, next) => {
    const cache = c.req.bodyCache;
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || cache.text !== undefined || cache.arrayBuffer !== undefined) return next();
    const bytes = await readBody(c.req.raw, maxBytes);
    if (json && bytes.byteLength > 0) {
      if (!jsonType.test(c.req.header('content-type') ?? '')) throw new ApiError(415, 'unsupported-media-type', 'Send the body as JSON, with "Content-Type: application/json".');
      const value = parseJson(bytes, maxDepth);
      const unstorable = findUnstorable(value);
      if (unstorable) throw new ApiError(400, 'unstorable-text', `The body has text that cannot be stored at "${unstorable.field}": ${unstorable.problem}.`, { field: unstorable.field });
      // Hono keeps a read body as a promise here (its types say otherwise); c.req.json() parses it from this.
      (cache as Record<string, unknown>).text = Promise.resolve(new TextDecoder().decode(bytes)); // a leading BOM dropped, as parseJson did
    } else {
      (cache as Record<string, unknown>).arrayBuffer = Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
    return next();
  });
