import { templateScope, type CustomerProfile, type Progress } from '@waymark/shared';

/** The customer a preview renders for: their traits and channel addresses. */
export interface SampleCustomer {
  traits?: Record<string, unknown>;
  channels?: CustomerProfile['channels'];
}

/** Used when the caller has no real customer to show. */
export const defaultSampleCustomer: SampleCustomer = {
  traits: { first_name: 'Ada', last_name: 'Lovelace', plan: 'pro', timezone: 'Europe/London' },
  channels: {
    email: { address: 'ada@example.com', consent: 'subscribed' },
    sms: { address: '+447700900123', consent: 'opted-in' },
  },
};

export interface PreviewInput {
  customer: SampleCustomer;
  /** Properties of the trigger event, seen by templates as `event`. */
  event: Record<string, unknown>;
  journeyName: string;
  /** The render's moment (ISO-8601); `entered_at` and `"now"` use it. */
  now: string;
}

/** The Liquid scope for a preview: the engine's `templateScope` over a sample run of the sample customer. */
export function previewScope({ customer, event, journeyName, now }: PreviewInput): object {
  const traits = customer.traits ?? {};
  const profile: CustomerProfile = { id: 'sample-customer', traits, channels: customer.channels ?? {} };
  const progress: Progress = {
    id: 'preview',
    journeyId: 'preview',
    customerId: profile.id,
    key: null,
    status: 'active',
    position: null,
    trigger: { name: 'preview', properties: event, timestamp: now },
    lastEvent: null,
    visits: {},
    enteredAt: now,
    updatedAt: now,
    endedAt: null,
    endReason: null,
    convertedAt: null,
  };
  const zone = typeof traits.timezone === 'string' && traits.timezone !== '' ? traits.timezone : 'UTC';
  return templateScope(progress, profile, journeyName, { zone, now });
}
