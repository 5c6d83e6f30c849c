import type { Channel } from '../graph/index.ts';
import type { CustomerProfile } from './types.ts';

/** Whether the customer's consent allows this channel (SMS needs explicit consent). */
export function hasConsent(customer: CustomerProfile, channel: Channel): boolean {
  if (channel === 'webhook') return true;
  const consent = customer.channels[channel]?.consent;
  if (channel === 'sms') return consent === 'opted-in' || consent === 'subscribed';
  return consent !== 'unsubscribed';
}

/** The address a channel sends to, or null when there is none (in-app needs none). */
export function channelAddress(customer: CustomerProfile, channel: Channel): string | null {
  if (channel === 'webhook' || channel === 'in-app') return null;
  const address = customer.channels[channel]?.address;
  return address ? address : null;
}

/** Whether a message on this channel can reach the customer at all. */
export function isReachable(customer: CustomerProfile, channel: Channel): boolean {
  return channel === 'webhook' || channel === 'in-app' || channelAddress(customer, channel) !== null;
}

/** Channels quiet hours hold back; webhooks are system calls and in-app waits for the app anyway. */
export function respectsQuietHours(channel: Channel): boolean {
  return channel === 'email' || channel === 'sms' || channel === 'push';
}

/** Channels the global frequency cap counts. */
export function countsTowardCap(channel: Channel): boolean {
  return channel !== 'webhook';
}
