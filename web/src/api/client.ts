import type { ErrorBody } from '@waymark/shared';

/** An API answer that was not 2xx: the stable code, the sentence, and what it is about. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, body: ErrorBody | null) {
    super(body?.error.message ?? `The server answered ${status}.`);
    this.status = status;
    this.code = body?.error.code ?? 'http-error';
    this.details = body?.error.details;
  }
}

/** Calls the runtime's API with the session cookie; JSON in, JSON out; throws `ApiFailure`. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, { error: { code: 'offline', message: 'Waymark could not be reached. Check that it is running, then retry.' } });
  }
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) throw new ApiFailure(response.status, parsed as ErrorBody | null);
  return parsed as T;
}
