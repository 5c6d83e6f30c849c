import { ConsentState, type CustomerProfile } from '../engine/types.ts';
import { personChannels } from '../graph/channel.ts';

/** What an identify's `consent` may say per channel. */
const consentValues: ReadonlySet<string> = new Set(ConsentState.options);
/** The channels consent is kept for (webhooks need none). */
const consentChannels: ReadonlySet<string> = new Set(personChannels);

/**
 * Separates channel facts from plain traits in an identify call: `email`, `phone`, `push_token`
 * are addresses (and stay traits too, for templates); `consent: { email: 'unsubscribed' }` and
 * Customer.io's `unsubscribed: true` set consent. The runtime stores identify calls this way and
 * the preview applies scripted ones the same way.
 */
export function splitTraits(input: Record<string, unknown>): { traits: Record<string, unknown>; channels: Record<string, Record<string, unknown>> } {
  const channels: Record<string, Record<string, unknown>> = {};
  const set = (channel: string, field: string, value: unknown) => {
    channels[channel] = { ...channels[channel], [field]: value };
  };
  if (typeof input.email === 'string') set('email', 'address', input.email);
  if (typeof input.phone === 'string') set('sms', 'address', input.phone);
  if (typeof input.push_token === 'string') set('push', 'address', input.push_token);
  if (input.unsubscribed === true) set('email', 'consent', 'unsubscribed');
  if (input.consent && typeof input.consent === 'object') {
    for (const [channel, value] of Object.entries(input.consent as Record<string, unknown>)) {
      // Only channels consent is kept for (ingestion refuses any other; a profile never gets a made-up channel).
      if (consentChannels.has(channel) && typeof value === 'string' && consentValues.has(value)) set(channel, 'consent', value);
    }
  }
  const { consent: _consent, ...traits } = input;
  return { traits, channels };
}

/**
 * A profile after an identify call with these traits, as the runtime stores it: traits merge at
 * the top level (the call's values win, `null` included), channels merge field by field (a new
 * address drops the old one's bounce), and a `preferred_channel` trait sets the preferred channel.
 */
export function applyIdentify(profile: CustomerProfile, input: Record<string, unknown>): CustomerProfile {
  const { traits, channels } = splitTraits(input);
  const merged = { ...profile.channels } as Record<string, Record<string, unknown>>;
  for (const [channel, fields] of Object.entries(channels)) {
    const before = { ...merged[channel] };
    // A bounce belongs to the address that bounced: a new address arrives without it.
    if ('address' in fields && fields.address !== before.address) delete before.bounced;
    merged[channel] = { ...before, ...fields };
  }
  const preferred = typeof traits.preferred_channel === 'string' ? traits.preferred_channel : undefined;
  return {
    ...profile,
    traits: { ...profile.traits, ...traits },
    channels: merged as CustomerProfile['channels'],
    ...(preferred ? { preferredChannel: preferred as CustomerProfile['preferredChannel'] } : {}),
  };
}
