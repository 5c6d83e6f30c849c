import type { Channel } from '../graph/index.ts';
import { type ConsentPolicy, type CustomerProfile, defaultConsentPolicy, type StepReason } from './types.ts';

/** How channels are named in sentences. */
const channelWords: Record<Channel, string> = { email: 'email', sms: 'SMS', push: 'push', webhook: 'webhook', 'in-app': 'in-app' };

/** The consent mode of a channel under a workspace's policy (webhooks need no consent: opt-out). */
export function consentMode(channel: Channel, policy: ConsentPolicy = defaultConsentPolicy) {
  if (channel === 'webhook') return 'opt-out' as const;
  return policy[channel] ?? defaultConsentPolicy[channel];
}

/**
 * Why consent refuses this channel, or null when it allows it: `unsubscribed` always refuses,
 * `opted-in`/`subscribed` always allow, no state is what the policy says (for push, a push
 * address — a subscription — is itself the yes); an email with a topic
 * the customer left (`topics[topic] === false`) is refused too.
 */
export function consentRefusal(customer: CustomerProfile, channel: Channel, policy?: ConsentPolicy, topic?: string): string | null {
  if (channel === 'webhook') return null;
  const state = customer.channels[channel];
  const consent = state?.consent;
  if (consent === 'unsubscribed') return 'unsubscribed';
  // Push is opt-in by subscription: a push address exists only because a browser or device
  // subscribed with the person's permission, so with no state an address is the yes, and no
  // address is a matter of reachability ("no address"), not of consent.
  if (consent === undefined && channel !== 'push' && consentMode(channel, policy) === 'opt-in') return `no ${channelWords[channel]} consent (the workspace requires opt-in)`;
  if (topic !== undefined && channel === 'email' && state?.topics?.[topic] === false) return `left the topic ${topic}`;
  return null;
}

/** Whether the customer's consent allows this channel under the workspace's policy (and the topic, for email). */
export function hasConsent(customer: CustomerProfile, channel: Channel, policy?: ConsentPolicy, topic?: string): boolean {
  return consentRefusal(customer, channel, policy, topic) === null;
}

/** The address a channel sends to, or null when there is none (in-app needs none). */
export function channelAddress(customer: CustomerProfile, channel: Channel): string | null {
  if (channel === 'webhook' || channel === 'in-app') return null;
  const address = customer.channels[channel]?.address;
  return address ? address : null;
}

/** Whether the channel's address hard-bounced (and no new address has arrived since). */
export function hasBounced(customer: CustomerProfile, channel: Channel): boolean {
  if (channel === 'webhook' || channel === 'in-app') return false;
  return customer.channels[channel]?.bounced === true;
}

/** Whether a message on this channel can reach the customer at all: an address that has not bounced. */
export function isReachable(customer: CustomerProfile, channel: Channel): boolean {
  return channel === 'webhook' || channel === 'in-app' || (channelAddress(customer, channel) !== null && !hasBounced(customer, channel));
}

/**
 * Why a send on this channel cannot happen — consent first, then the address, then a bounce — or
 * null when it can. The detail names the channel ("sms: no SMS consent (the workspace requires opt-in)").
 */
export function channelRefusal(customer: CustomerProfile, channel: Channel, policy?: ConsentPolicy, topic?: string): { reason: StepReason; detail: string } | null {
  const consent = consentRefusal(customer, channel, policy, topic);
  if (consent !== null) return { reason: 'skipped:no-consent', detail: `${channel}: ${consent}` };
  if (channel === 'webhook' || channel === 'in-app') return null;
  if (channelAddress(customer, channel) === null) return { reason: 'skipped:no-address', detail: `${channel}: no address` };
  if (hasBounced(customer, channel)) return { reason: 'skipped:bounced', detail: `${channel}: address bounced` };
  return null;
}

/** Channels quiet hours hold back; webhooks are system calls and in-app waits for the app anyway. */
export function respectsQuietHours(channel: Channel): boolean {
  return channel === 'email' || channel === 'sms' || channel === 'push';
}

/** Channels the global frequency cap counts. */
export function countsTowardCap(channel: Channel): boolean {
  return channel !== 'webhook';
}
