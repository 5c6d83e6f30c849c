import type { TraitType } from '@waymark/shared';

/* What codes mean, in the words a marketer uses. */

/** Channel names as the app writes them elsewhere ("SMS", "In-app"). */
const counted = new Intl.NumberFormat('en');

/** "1 customer", "1,204 customers". */
export const customerCount = (n: number) => `${counted.format(n)} customer${n === 1 ? '' : 's'}`;

export const channelNames: Record<string, string> = { email: 'Email', sms: 'SMS', push: 'Push', webhook: 'Webhook', 'in-app': 'In-app' };
/** A channel's name; "Message" when it is not known. */
export const channelName = (channel: string | null) => (channel ? (channelNames[channel] ?? channel) : 'Message');

/** A trait's type as the traits table says it. */
export const traitTypeNames: Record<TraitType, string> = { text: 'text', number: 'number', boolean: 'true/false', date: 'date', list: 'list', object: 'object', empty: 'empty' };

/** Consent as the customer gave it; `null` is no recorded choice. */
export function consentWords(consent: string | null): string {
  if (consent === 'subscribed') return 'Subscribed';
  if (consent === 'opted-in') return 'Opted in';
  if (consent === 'unsubscribed') return 'Unsubscribed';
  return 'No choice recorded';
}

/** What each way of knowing a customer is called. */
export const identityNames: Record<string, string> = { user_id: 'User ID', anonymous_id: 'Anonymous ID', email: 'Email', phone: 'Phone', push_token: 'Push token' };

/** A run's state: "In the journey", "Finished", "Converted", "Left early". */
export function runStatusWords(status: string, endReason: string | null): string {
  if (status === 'active') return 'In the journey';
  if (status === 'converted' || endReason === 'converted') return 'Converted';
  if (status === 'exited') return endReason === 'date-missing' ? 'Left: date missing' : endReason === 'entry-rules-unmatched' ? 'Left: no longer matches' : 'Left early';
  if (endReason === 'exit-node') return 'Reached an exit';
  if (endReason === 'holdout') return 'Held out';
  if (endReason === 'step-cap') return 'Stopped: too many steps';
  return 'Finished';
}

const reasons: Record<string, string> = {
  entered: 'Entered',
  waiting: 'Waiting',
  'wait-elapsed': 'Wait over',
  'wait-already-due': 'Wait already over',
  'wait-date-missing': 'Date missing',
  'waiting-for-event': 'Waiting for an event',
  'event-matched': 'Event arrived',
  'event-timeout': 'Timed out',
  'rules-matched': 'Yes',
  'rules-not-matched': 'No',
  'split-assigned': 'Assigned',
  holdout: 'Held out',
  sent: 'Sent',
  'deferred:quiet-hours': 'Held for quiet hours',
  'skipped:quiet-hours': 'Not sent: quiet hours',
  'skipped:no-consent': 'Not sent: no consent',
  'skipped:no-address': 'Not sent: no address',
  'skipped:bounced': 'Not sent: address bounced',
  'skipped:no-reachable-channel': 'Not sent: no reachable channel',
  'skipped:frequency-cap': 'Not sent: frequency cap',
  'skipped:template-error': 'Not sent: template error',
  'skipped:paused': 'Not sent: journey paused',
  'profile-updated': 'Profile updated',
  'exit-node': 'Exited',
  'delivery-failed': 'Delivery failed',
};

/** A step's reason code in words; an unknown `skipped:x` still reads "Not sent: x". */
export function reasonWords(reason: string): string {
  return reasons[reason] ?? (reason.startsWith('skipped:') ? `Not sent: ${reason.slice(8).replaceAll('-', ' ')}` : reason.replaceAll('-', ' '));
}

const iso = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;
const absolute = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A step's sentence with its ISO instants in the viewer's words ("until Nov 27, 2026, 10:00 AM"),
 * or in words `format` gives them (the preview writes them in the customer's zone).
 */
export function readableDetail(detail: string, format: (at: number) => string = (at) => absolute.format(at)): string {
  return detail.replace(iso, (match) => format(Date.parse(match)));
}
