import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An error the API answers with `{ error: { code, message, details } }`, its status and any headers (`Retry-After`). */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;
  constructor(status: ContentfulStatusCode, code: string, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

/** 503 with `Retry-After`: the server cannot take this now, the client should send the same request again. */
export const unavailable = (message: string, retryAfterSeconds = 1) => new ApiError(503, 'unavailable', message, undefined, { 'retry-after': String(retryAfterSeconds) });
