import { PermanentDeliveryError } from './channel.ts';

/** Why an outbound request was refused before anything was sent. */
export type RefusedReason = 'refused: private address' | 'refused: not an http(s) URL' | 'refused: too many redirects';

/**
 * An outbound request to a destination a journey author may not reach. Permanent, and the message is
 * only the reason: the same whether or not anything listens there, so it cannot be used to scan.
 */
export class RefusedDestinationError extends PermanentDeliveryError {
  constructor(reason: RefusedReason) {
    super(reason);
    this.name = 'RefusedDestinationError';
  }
}
