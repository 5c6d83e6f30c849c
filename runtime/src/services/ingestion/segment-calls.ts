import { z } from 'zod';
import { ConsentState, personChannels } from '@waymark/shared';

const Id = z.union([z.string().min(1).max(256), z.number().transform(String)]);
/** Years PostgreSQL and ISO 8601 text both hold; anything outside is a client bug, refused rather than stored wrong. */
const plausibleTime = (value: string) => {
  const year = new Date(value).getUTCFullYear();
  return year >= 1900 && year <= 9999;
};
const Timestamp = z
  .union([z.iso.datetime({ offset: true }), z.iso.date(), z.coerce.date().transform((d) => (Number.isNaN(d.getTime()) ? 'invalid' : d.toISOString()))])
  .refine(plausibleTime, 'must be a date between the years 1900 and 9999');
/**
 * A JSON object kept exactly as parsed: a record schema would copy it key by key, dropping an own
 * `__proto__` key (and costing a copy of every key of a large context).
 */
const Props = z.custom<Record<string, unknown>>((value) => value !== null && typeof value === 'object' && !Array.isArray(value), 'must be a JSON object');

/**
 * Prefixes of the message ids Waymark gives the events it records itself (a consent change, an
 * open, a click, an unsubscribe, an SMS reply, an import's rows): the timeline and journeys trust
 * them, so a client's call may not take one (nor take the id of such an event before it is written).
 */
const ownPrefixes = ['consent:', 'opened:', 'clicked:', 'unsubscribed:', 'sms-received:', 'import:'];

/** Fields every Segment call shares. At least one of userId / anonymousId is required. */
const Common = {
  messageId: z
    .string()
    .min(1)
    .max(256)
    .refine((id) => !ownPrefixes.some((prefix) => id.startsWith(prefix)), `must not start with ${ownPrefixes.join(', ')}: Waymark names its own events so`)
    .optional(),
  userId: Id.nullish(),
  anonymousId: Id.nullish(),
  timestamp: Timestamp.optional(),
  sentAt: Timestamp.optional(),
  context: Props.optional(),
  integrations: Props.optional(),
};

export const TrackCall = z.object({ type: z.literal('track'), event: z.string().min(1, 'a track call needs an event name').max(200), properties: Props.optional(), ...Common });
const consentWords: readonly string[] = ConsentState.options;
const consentChannels: readonly string[] = personChannels;
/** The words and channels as a sentence says them ("opted-in, subscribed, or unsubscribed"). */
const oneOfTheWords = new Intl.ListFormat('en', { type: 'disjunction' }).format(consentWords);
const theChannels = new Intl.ListFormat('en', { type: 'conjunction' }).format(consentChannels);

/**
 * An identify's traits, with the two Waymark reads itself checked, so one it could not apply is
 * refused naming the key rather than acknowledged and dropped: `consent`, an object of channel
 * (email, sms, push, in-app) to opted-in, subscribed or unsubscribed (null: no change); and
 * `unsubscribed`, true or false (Customer.io's; only true changes anything).
 */
const IdentifyTraits = Props.superRefine((traits, ctx) => {
  const consent = Object.hasOwn(traits, 'consent') ? traits.consent : undefined;
  if (consent != null) {
    if (typeof consent !== 'object' || Array.isArray(consent)) {
      ctx.addIssue({ code: 'custom', path: ['consent'], message: `must be an object of channel to ${oneOfTheWords}, such as { "sms": "opted-in" }` });
    } else {
      for (const [channel, value] of Object.entries(consent)) {
        if (!consentChannels.includes(channel)) ctx.addIssue({ code: 'custom', path: ['consent', channel], message: `consent is kept for ${theChannels} only` });
        else if (value !== null && !consentWords.includes(value as string)) ctx.addIssue({ code: 'custom', path: ['consent', channel], message: `must be ${oneOfTheWords}` });
      }
    }
  }
  const unsubscribed = Object.hasOwn(traits, 'unsubscribed') ? traits.unsubscribed : undefined;
  if (unsubscribed != null && typeof unsubscribed !== 'boolean') ctx.addIssue({ code: 'custom', path: ['unsubscribed'], message: 'must be true or false' });
});

export const IdentifyCall = z.object({ type: z.literal('identify'), traits: IdentifyTraits.optional(), ...Common });
export const PageCall = z.object({ type: z.literal('page'), name: z.string().nullish(), properties: Props.optional(), ...Common });
export const ScreenCall = z.object({ type: z.literal('screen'), name: z.string().nullish(), properties: Props.optional(), ...Common });
export const GroupCall = z.object({ type: z.literal('group'), groupId: Id, traits: Props.optional(), ...Common });
export const AliasCall = z.object({ type: z.literal('alias'), previousId: Id, ...Common, userId: Id });

/** One call of the Segment HTTP Tracking API. */
export const SegmentCall = z
  .discriminatedUnion('type', [TrackCall, IdentifyCall, PageCall, ScreenCall, GroupCall, AliasCall])
  .refine((call) => call.userId != null || call.anonymousId != null, { message: 'a call needs a userId or an anonymousId', path: ['userId'] });
export type SegmentCall = z.infer<typeof SegmentCall>;

export const callTypes = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;

/** Per-call and per-batch limits (Segment's). */
export const limits = { callBytes: 32 * 1024, batchBytes: 500 * 1024, batchCalls: 2_500 };
