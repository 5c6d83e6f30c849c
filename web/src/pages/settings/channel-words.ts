import type { ChannelStatus, ProviderView } from '@waymark/shared';

const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** "Acme <hello@acme.com>", or the address alone. */
function sender(settings: Record<string, unknown>): string {
  const name = text(settings.fromName);
  const address = text(settings.fromAddress);
  return name ? `${name} <${address}>` : address;
}

/**
 * What a channel sends through, in a marketer's words: "SMTP · smtp.example.com:587 · from Acme
 * <hello@acme.com>", "Twilio · +15005550006", "Sandbox — messages are kept here, nothing is sent".
 */
export function sendsThrough(status: ChannelStatus, provider: ProviderView | undefined): string {
  if (provider?.kind === 'smtp') {
    const s = provider.settings;
    return `SMTP · ${text(s.host)}:${text(s.port)} · from ${sender(s)}`;
  }
  if (provider?.kind === 'twilio') {
    const s = provider.settings;
    const from = text(s.fromNumber) || (text(s.messagingServiceSid) ? `messaging service ${text(s.messagingServiceSid)}` : '');
    const host = text(s.baseUrl);
    const compatible = host && !/^https:\/\/api\.twilio\.com\/?$/.test(host) ? ` · via ${host.replace(/^https?:\/\//, '')}` : '';
    return `Twilio · ${from}${compatible}`;
  }
  if (provider?.kind === 'web-push') return 'Web push';
  switch (status.provider) {
    case 'inbox':
      return 'In-app inbox — kept for the customer’s app or website to show';
    case 'webhook':
      return 'Webhooks — real requests to the URLs your journeys call';
    case 'provider':
      return 'Connected provider';
    default:
      return 'Sandbox — messages are kept here, nothing is sent';
  }
}

/** How "send test" asks for its recipient on each channel. */
export const testRecipient: Record<string, { label: string; placeholder: string; type: string; hint?: string }> = {
  email: { label: 'Send to email address', placeholder: 'you@example.com', type: 'email' },
  sms: { label: 'Send to phone number', placeholder: '+15550001111', type: 'tel' },
  push: { label: 'Send to customer ID', placeholder: 'user-42', type: 'text', hint: 'Every browser they subscribed gets it.' },
  'in-app': { label: 'Send to customer ID', placeholder: 'user-42', type: 'text', hint: 'It appears in their inbox.' },
  webhook: { label: 'Send to URL', placeholder: 'https://example.com/hook', type: 'url' },
};

/** The short line of a sandbox message in a list: the subject, the text or the title. */
export function messageSummary(channel: string, content: Record<string, unknown>): string {
  if (channel === 'email') return text(content.subject) || '(no subject)';
  if (channel === 'sms') return text(content.text);
  if (channel === 'webhook') return `${text(content.method) || 'POST'} ${text(content.url)}`;
  return text(content.title) || text(content.body);
}
