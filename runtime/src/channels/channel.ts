/** A message as a channel adapter receives it. */
export interface OutgoingMessage {
  id: string;
  workspaceId: string;
  channel: string;
  to: string | null;
  content: Record<string, unknown>;
  customerId: string;
}

/** A failure that retrying cannot fix (a 4xx from a webhook, a bad address). */
export class PermanentDeliveryError extends Error {}

/** The one thing a channel does. Throws to fail: `PermanentDeliveryError` ends retries. */
export interface Channel {
  send(message: OutgoingMessage): Promise<{ providerId?: string }>;
  /** Sending only records the message (the sandbox): delivery is then one statement per batch. */
  readonly recordsOnly?: boolean;
}
