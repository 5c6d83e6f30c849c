import type { MessageContent } from '../api/customers.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const maybe = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/**
 * A message's content (free-form JSON: as rendered and stored, as the sandbox kept it, as a
 * provider sent it) in the shape its channel shows: the email's subject and HTML, the SMS text,
 * the push card, the webhook's request… Anything missing reads as empty; nothing here trusts the
 * content's types.
 */
export function messageContent(channel: string, content: Record<string, unknown>): MessageContent {
  switch (channel) {
    case 'email':
      return { channel, subject: text(content.subject), preheader: maybe(content.preheader), fromName: maybe(content.fromName), html: text(content.html), text: maybe(content.text) };
    case 'push':
      return { channel, title: text(content.title), body: text(content.body), deepLink: maybe(content.deepLink) ?? maybe(content.url), imageUrl: maybe(content.imageUrl) };
    case 'in-app': {
      const cta = content.cta && typeof content.cta === 'object' ? (content.cta as Record<string, unknown>) : null;
      return { channel, title: text(content.title), body: text(content.body), cta: cta ? { label: text(cta.label), url: text(cta.url) } : null };
    }
    case 'webhook': {
      const headers = content.headers && typeof content.headers === 'object' ? Object.fromEntries(Object.entries(content.headers).map(([k, v]) => [k, text(v)])) : {};
      // The body was rendered and parsed as JSON before it was stored: shown as the JSON that was sent.
      const body = content.body === undefined || content.body === null || content.body === '' ? null : typeof content.body === 'string' ? content.body : JSON.stringify(content.body, null, 2);
      return { channel, method: text(content.method) || 'POST', url: text(content.url), headers, body };
    }
    default:
      return { channel: 'sms', text: text(content.text) };
  }
}
