import { deliveryChannels, type Channel, type JourneySettings } from '../graph/index.ts';
import type { StateOf } from '../compile/index.ts';
import { channelAddress, channelRefusal, countsTowardCap, respectsQuietHours } from './channel-policy.ts';
import { quietHoursEnd } from './quiet-hours.ts';
import { renderContent } from './render-content.ts';
import type { ConsentPolicy, CustomerProfile, StepReason } from './types.ts';

export interface SendInputs {
  now: number;
  zone: string;
  customer: CustomerProfile;
  settings: JourneySettings;
  scope: object;
  sentToday: Partial<Record<Channel, number>>;
  frequencyCap: Partial<Record<Channel, number>>;
  /** What "no consent state" means per channel; absent: `defaultConsentPolicy`. */
  consentPolicy?: ConsentPolicy;
}

export type SendPlan =
  | { kind: 'send'; channel: Channel; to: string | null; content: Record<string, unknown>; detail: string }
  | { kind: 'defer'; until: number; detail: string }
  | { kind: 'skip'; reason: StepReason; detail: string };

/**
 * Decides what a send node does now, checking in order: a channel the customer consents to (under
 * the workspace's policy, and the node's topic for email) and can be reached on (an address that
 * has not bounced), quiet hours, the frequency cap, then rendering. Never throws: every way a
 * message cannot go out is a skip with a reason.
 */
export function planSend(state: StateOf<'send'>, input: SendInputs): SendPlan {
  const chosen = chooseChannel(state, input.customer, input.consentPolicy);
  if ('reason' in chosen) return { kind: 'skip', reason: chosen.reason, detail: chosen.detail };
  const { channel } = chosen;
  const bypass = state.transactional;

  if (!bypass && input.settings.quietHours && respectsQuietHours(channel)) {
    const opens = quietHoursEnd(input.settings.quietHours, input.now, input.zone);
    if (opens !== null) {
      const window = `${input.settings.quietHours.start}–${input.settings.quietHours.end} ${input.zone}`;
      return input.settings.quietHours.behavior === 'defer'
        ? { kind: 'defer', until: opens, detail: `quiet hours (${window}); ${channel} waits until they end` }
        : { kind: 'skip', reason: 'skipped:quiet-hours', detail: `quiet hours (${window})` };
    }
  }

  const cap = input.frequencyCap[channel];
  if (!bypass && !input.settings.bypassFrequencyCap && countsTowardCap(channel) && cap !== undefined) {
    const sent = input.sentToday[channel] ?? 0;
    if (sent >= cap) return { kind: 'skip', reason: 'skipped:frequency-cap', detail: `${sent} ${channel} messages today; the cap is ${cap}` };
  }

  const rendered = renderContent(channel, state.content, input.scope);
  if (!rendered.ok) return { kind: 'skip', reason: 'skipped:template-error', detail: `${rendered.field}: ${rendered.error}` };
  const to = channelAddress(input.customer, channel);
  return { kind: 'send', channel, to, content: rendered.content, detail: `${channel}${to ? ` to ${to}` : ''}` };
}

/**
 * The channel to use: the node's channel, or in preferred-channel mode the customer's preferred
 * channel if listed, then the listed ones in order; the first that is consented and reachable.
 * A channel refused for consent, a missing address or a bounce is passed over alike.
 */
function chooseChannel(state: StateOf<'send'>, customer: CustomerProfile, policy: ConsentPolicy | undefined): { channel: Channel } | { reason: StepReason; detail: string } {
  const listed = deliveryChannels(state.delivery);
  const preferred = state.delivery.mode === 'preferred-channel' && customer.preferredChannel && listed.includes(customer.preferredChannel);
  const order = preferred ? [customer.preferredChannel!, ...listed.filter((c) => c !== customer.preferredChannel)] : listed;
  const refused: { reason: StepReason; detail: string }[] = [];
  for (const channel of order) {
    const refusal = channelRefusal(customer, channel, policy, state.topic);
    if (!refusal) return { channel };
    refused.push(refusal);
  }
  if (state.delivery.mode === 'channel') return refused[0] ?? { reason: 'skipped:no-address', detail: '' };
  return { reason: 'skipped:no-reachable-channel', detail: refused.map((r) => r.detail).join('; ') };
}
