import { z } from 'zod';

/**
 * The sending accounts a workspace connects, one per channel: SMTP for email, a Twilio-compatible
 * HTTP API for SMS, web push (VAPID) for push. Secrets are written here and never read back: a
 * provider as the API returns it names which secrets are set and shows their last characters.
 */

/** Messages per second a provider may be sent, across the workspace; absent: as fast as it answers. */
const RatePerSecond = z.number().int().min(1).max(10_000).optional();

const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'must be a host name or an IP address');

export const SmtpSettings = z.object({
  host: hostName,
  port: z.number().int().min(1).max(65_535),
  /** `implicit`: TLS from the first byte (port 465); `starttls`: upgrade required (587); `none`: plain (tests, relays on localhost). */
  tls: z.enum(['implicit', 'starttls', 'none']),
  user: z.string().max(320).optional(),
  fromName: z.string().max(200).optional(),
  fromAddress: z.email().max(320),
  replyTo: z.email().max(320).optional(),
  /** Connections kept open and reused (nodemailer's pool). */
  maxConnections: z.number().int().min(1).max(50).optional(),
  ratePerSecond: RatePerSecond,
});
export type SmtpSettings = z.infer<typeof SmtpSettings>;
export const SmtpSecrets = z.object({ password: z.string().max(1_000).optional() });

export const TwilioSettings = z
  .object({
    accountSid: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9]+$/, 'must be letters and digits (AC…)'),
    /** E.164 sender, or … */
    fromNumber: z
      .string()
      .regex(/^\+[1-9]\d{4,14}$/, 'must be an E.164 number such as +15005550006')
      .optional(),
    /** … a messaging service that picks the sender. */
    messagingServiceSid: z
      .string()
      .regex(/^MG[A-Za-z0-9]{1,62}$/, 'must start with MG')
      .optional(),
    /** Where the API is: Twilio's, or a compatible provider's. */
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .default('https://api.twilio.com'),
    ratePerSecond: RatePerSecond,
  })
  .refine((s) => s.fromNumber || s.messagingServiceSid, { message: 'give a from number or a messaging service SID', path: ['fromNumber'] });
export type TwilioSettings = z.infer<typeof TwilioSettings>;
export const TwilioSecrets = z.object({ authToken: z.string().min(1).max(200).optional() });

export const WebPushSettings = z.object({
  /** Who push services contact about this sender: `mailto:` or an https URL (VAPID `sub`). */
  subject: z
    .string()
    .max(500)
    .regex(/^(mailto:[^\s]+|https:\/\/[^\s]+)$/, 'must be a mailto: address or an https URL'),
  /** The icon shown with notifications unless a message sets its own. */
  icon: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .optional(),
  ratePerSecond: RatePerSecond,
});
export type WebPushSettings = z.infer<typeof WebPushSettings>;

/** Creating or changing a provider: secrets left out keep their stored value. */
export const ProviderInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('smtp'), settings: SmtpSettings, secrets: SmtpSecrets.optional() }).strict(),
  z.object({ kind: z.literal('twilio'), settings: TwilioSettings, secrets: TwilioSecrets.optional() }).strict(),
  z.object({ kind: z.literal('web-push'), settings: WebPushSettings }).strict(),
]);
export type ProviderInput = z.infer<typeof ProviderInput>;
export type ProviderKind = ProviderInput['kind'];

/** The channel each kind of provider sends on. */
export const providerChannel: Record<ProviderKind, 'email' | 'sms' | 'push'> = { smtp: 'email', twilio: 'sms', 'web-push': 'push' };

/** A provider as the API returns it: secrets only as "set, ending in …". */
export const ProviderView = z.object({
  id: z.string(),
  channel: z.enum(['email', 'sms', 'push']),
  kind: z.enum(['smtp', 'twilio', 'web-push']),
  settings: z.record(z.string(), z.unknown()),
  secrets: z.record(z.string(), z.object({ set: z.literal(true), last4: z.string() })),
  /** Web push: the VAPID public key browsers subscribe with. */
  publicKey: z.string().optional(),
  /** Where SMS delivery-status callbacks and replies are posted, to configure at the provider. */
  callbackUrls: z.record(z.string(), z.string()).optional(),
  updatedAt: z.string(),
});
export type ProviderView = z.infer<typeof ProviderView>;

/** "Send test" as the settings screen shows it: what was sent, and what the provider answered. */
export const SendTestResult = z.object({
  ok: z.literal(true),
  id: z.string(),
  providerId: z.string().nullable(),
  sandbox: z.boolean(),
  /** The provider's answer in its own words (SMTP reply, API response), secrets removed. */
  response: z.string().nullable(),
  /** The message as it left: subject / text / title … after tracking. */
  rendered: z.record(z.string(), z.unknown()),
});
export type SendTestResult = z.infer<typeof SendTestResult>;

// The consent policy is the engine's (it decides sends); the settings API speaks of it too.
export { ConsentMode, ConsentPolicy, defaultConsentPolicy } from '../engine/types.ts';

/** A topic recipients can leave on the preference page without leaving the channel ("Product news"). */
export const Topic = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _'),
  name: z.string().min(1).max(120),
});
export type Topic = z.infer<typeof Topic>;

/** A message the sandbox kept instead of sending, for "settings → channel → recent messages". */
export const SandboxMessage = z.object({
  id: z.string(),
  channel: z.string(),
  to: z.string().nullable(),
  content: z.record(z.string(), z.unknown()),
  journeyId: z.string().nullable(),
  customerId: z.string().nullable(),
  at: z.string(),
  test: z.boolean(),
});
export type SandboxMessage = z.infer<typeof SandboxMessage>;
