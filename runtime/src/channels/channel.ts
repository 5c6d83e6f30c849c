/** A message as a channel adapter receives it. */
export interface OutgoingMessage {
  id: string;
  workspaceId: string;
  channel: string;
  to: string | null;
  content: Record<string, unknown>;
  customerId: string;
}

/** What a provider said about a failure, kept on the message and acted on. */
export interface FailureDetail {
  /** The provider's code: SMTP reply code, Twilio error code, push service status. */
  code?: string;
  /** The address does not exist or refuses mail for good: later sends to it skip (`skipped:bounced`). */
  bounced?: boolean;
  /** The address (a push subscription) is gone and was removed. */
  gone?: boolean;
}

/** A failure that retrying cannot fix (a 4xx from a webhook, SMTP 5xx, an invalid number): ends retries at once. */
export class PermanentDeliveryError extends Error {
  readonly detail: FailureDetail;
  constructor(message: string, detail: FailureDetail & ErrorOptions = {}) {
    super(message, detail.cause === undefined ? undefined : { cause: detail.cause });
    this.detail = detail;
  }
}

/** A passing failure (5xx, a timeout, SMTP 4xx): retried with backoff, after `retryAfterMs` when the provider said. */
export class TransientDeliveryError extends Error {
  readonly detail: { code?: string; retryAfterMs?: number };
  constructor(message: string, detail: { code?: string; retryAfterMs?: number } & ErrorOptions = {}) {
    super(message, detail.cause === undefined ? undefined : { cause: detail.cause });
    this.detail = detail;
  }
}

/** What a send reports: the provider's id for the message, its answer in words, SMS segments billed. */
export interface SendResult {
  providerId?: string;
  /** The provider's reply as it would help someone debugging ("250 2.0.0 Ok: queued as 4F…"), no secrets. */
  response?: string;
  segments?: number;
}

/** The one thing a channel does. Throws to fail: `PermanentDeliveryError` ends retries. */
export interface Channel {
  send(message: OutgoingMessage): Promise<SendResult>;
  /** Sending only records the message (the sandbox): delivery is then one statement per batch. */
  readonly recordsOnly?: boolean;
  /** Releases pooled connections when the provider is changed or the runtime stops. */
  close?(): Promise<void> | void;
}
