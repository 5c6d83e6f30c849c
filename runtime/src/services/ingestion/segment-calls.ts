import { z } from 'zod';

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

/** Fields every Segment call shares. At least one of userId / anonymousId is required. */
const Common = {
  messageId: z.string().min(1).max(256).optional(),
  userId: Id.nullish(),
  anonymousId: Id.nullish(),
  timestamp: Timestamp.optional(),
  sentAt: Timestamp.optional(),
  context: Props.optional(),
  integrations: Props.optional(),
};

export const TrackCall = z.object({ type: z.literal('track'), event: z.string().min(1, 'a track call needs an event name').max(200), properties: Props.optional(), ...Common });
export const IdentifyCall = z.object({ type: z.literal('identify'), traits: Props.optional(), ...Common });
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
