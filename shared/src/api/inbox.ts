import { z } from 'zod';

/**
 * What browsers on customers' sites call with the public write key (`/v1/push/*`, `/v1/inbox`):
 * web push subscriptions and the in-app inbox. Every field is someone else's input, so each is
 * bounded and storable (no NUL, no lone surrogate).
 */

const storable = (value: string) => !value.includes('\u0000') && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
const Id = z.union([z.string().min(1).max(256).refine(storable, 'must be text without NUL characters or lone surrogates'), z.number().transform(String)]);
const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/** Who is asking: the customer is found by `userId`, else by `anonymousId` (Segment's ids). */
export const CustomerRef = z
  .object({ userId: Id.nullish(), anonymousId: Id.nullish() })
  .refine((ref) => ref.userId != null || ref.anonymousId != null, { message: 'give a userId or an anonymousId', path: ['userId'] });
export type CustomerRef = z.infer<typeof CustomerRef>;

/** A browser's `PushSubscription.toJSON()`: where its push service takes messages, and the keys to encrypt them for it. */
export const PushSubscriptionJson = z.object({
  endpoint: z
    .url({ protocol: /^https?$/ })
    .max(2_048)
    .refine(storable, 'must be text without NUL characters'),
  expirationTime: z.number().nullish(),
  keys: z.object({
    /** The browser's P-256 public key: 65 bytes, 87 characters of base64url. */
    p256dh: base64url(80, 100),
    /** The shared authentication secret: 16 bytes, 22 characters of base64url. */
    auth: base64url(16, 44),
  }),
});
export type PushSubscriptionJson = z.infer<typeof PushSubscriptionJson>;

/** `POST /v1/push/subscriptions`: attaches the browser's subscription to the customer (a re-subscription moves it). */
export const PushSubscribeRequest = z
  .object({
    userId: Id.nullish(),
    anonymousId: Id.nullish(),
    subscription: PushSubscriptionJson,
    userAgent: z.string().max(512).refine(storable, 'must be text without NUL characters').optional(),
  })
  .refine((ref) => ref.userId != null || ref.anonymousId != null, { message: 'give a userId or an anonymousId', path: ['userId'] });
export type PushSubscribeRequest = z.infer<typeof PushSubscribeRequest>;

/** `DELETE /v1/push/subscriptions`: the browser unsubscribed. */
export const PushUnsubscribeRequest = z.object({ endpoint: z.string().min(1).max(2_048) });
export type PushUnsubscribeRequest = z.infer<typeof PushUnsubscribeRequest>;

/** `GET /v1/push/key`: the VAPID public key (base64url) browsers subscribe with. */
export const PushKeyResponse = z.object({ publicKey: z.string() });
export type PushKeyResponse = z.infer<typeof PushKeyResponse>;

/** What a push message carries to the service worker (encrypted for the browser, at most 4 KB). */
export const PushPayload = z.object({
  title: z.string(),
  body: z.string(),
  icon: z.string().optional(),
  /** The tracked click (`/t/c/:message/0`) when the message has a deep link. */
  url: z.string().optional(),
  messageId: z.string(),
});
export type PushPayload = z.infer<typeof PushPayload>;

/** `GET /v1/inbox`: the customer, and a page of their messages newest first (`before`: an ISO time, the last `createdAt` seen). */
export const InboxQuery = z
  .object({
    userId: z.string().min(1).max(256).refine(storable, 'must be text without NUL characters').optional(),
    anonymousId: z.string().min(1).max(256).refine(storable, 'must be text without NUL characters').optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    before: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((ref) => ref.userId !== undefined || ref.anonymousId !== undefined, { message: 'give a userId or an anonymousId', path: ['userId'] });
export type InboxQuery = z.infer<typeof InboxQuery>;

export const InboxItem = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  cta: z.object({ label: z.string(), url: z.string() }).nullable(),
  createdAt: z.string(),
  openedAt: z.string().nullable(),
  clickedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type InboxItem = z.infer<typeof InboxItem>;

/** The inbox: messages not dismissed and not expired, and how many of all those are unopened. */
export const InboxResponse = z.object({ unread: z.number().int(), items: z.array(InboxItem) });
export type InboxResponse = z.infer<typeof InboxResponse>;

/** What the recipient did with an inbox message. */
export const InboxAction = z.enum(['opened', 'clicked', 'dismissed']);
export type InboxAction = z.infer<typeof InboxAction>;
