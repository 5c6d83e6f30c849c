/** A refusal or failure of a Waymark call, with the HTTP status and Waymark's error code when there was an answer. */
export class WaymarkError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  constructor(message: string, status: number, code?: string) {
    super(message);
    this.name = 'WaymarkError';
    this.status = status;
    this.code = code;
  }
}

/**
 * Calls Waymark's `/v1` API with the write key as the user name of HTTP Basic auth (write keys are
 * public: they only let a site send data about its visitors).
 */
export function createClient(writeKey: string, host: string) {
  const authorization = `Basic ${btoa(`${writeKey}:`)}`;
  const base = host.replace(/\/+$/, '');
  return {
    host: base,
    /** Sends JSON and returns the parsed answer; `keepalive` lets a call outlive a navigation. */
    async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, keepalive = false): Promise<T> {
      const response = await fetch(`${base}/v1/${path}`, {
        method,
        headers: body === undefined ? { authorization } : { authorization, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        keepalive,
      });
      const text = await response.text();
      let parsed: { error?: { code?: string; message?: string } } | null = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON (a proxy's error page): the status says enough.
      }
      if (!response.ok) throw new WaymarkError(parsed?.error?.message ?? `Waymark answered ${response.status} to ${method} /v1/${path}.`, response.status, parsed?.error?.code);
      return parsed as T;
    },
  };
}
export type WaymarkClient = ReturnType<typeof createClient>;
