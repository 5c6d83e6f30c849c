import { z } from 'zod';

/** The channels a send node can use. */
export const Channel = z.enum(['email', 'sms', 'push', 'webhook', 'in-app']);
export type Channel = z.infer<typeof Channel>;

/** Channels that reach a person and therefore need consent and an address. */
export const personChannels = ['email', 'sms', 'push', 'in-app'] as const satisfies readonly Channel[];

/** A Liquid template over `customer`, `event` and `journey`. Syntax is checked by the validator. */
export function Template(title: string, required?: string) {
  const text = required ? z.string().refine((value) => value.trim() !== '', required) : z.string();
  return text.max(100_000).meta({ title, template: true });
}

export const EmailContent = z.object({
  subject: Template('Subject', 'Write a subject'),
  preheader: Template('Preheader').optional(),
  fromName: Template('From name').optional(),
  html: Template('HTML body', 'Write an HTML body'),
  text: Template('Text body').optional(),
});
export type EmailContent = z.infer<typeof EmailContent>;

export const SmsContent = z.object({
  text: Template('Message', 'Write the message'),
});
export type SmsContent = z.infer<typeof SmsContent>;

export const PushContent = z.object({
  title: Template('Title', 'Write a title'),
  body: Template('Body', 'Write a body'),
  deepLink: Template('Deep link').optional(),
  imageUrl: Template('Image URL').optional(),
});
export type PushContent = z.infer<typeof PushContent>;

export const WebhookContent = z.object({
  method: z.enum(['POST', 'PUT', 'PATCH', 'GET', 'DELETE']),
  url: Template('URL', 'Give the URL'),
  headers: z.record(z.string(), Template('Header value')).optional(),
  /** A Liquid template that must render to JSON. */
  body: Template('JSON body').optional(),
});
export type WebhookContent = z.infer<typeof WebhookContent>;

export const InAppContent = z.object({
  title: Template('Title', 'Write a title'),
  body: Template('Body', 'Write a body'),
  cta: z.object({ label: Template('Button label'), url: Template('Button URL') }).optional(),
  /** Hours after delivery when the message leaves the inbox (at most a year); absent: it stays until dismissed. */
  expiresInHours: z.number().min(1).max(8_760).optional().meta({ title: 'Expires after (hours)' }),
});
export type InAppContent = z.infer<typeof InAppContent>;

/** Content for each channel a send node may use, keyed by channel. */
export const ChannelContent = z.object({
  email: EmailContent.optional(),
  sms: SmsContent.optional(),
  push: PushContent.optional(),
  webhook: WebhookContent.optional(),
  'in-app': InAppContent.optional(),
});
export type ChannelContent = z.infer<typeof ChannelContent>;
