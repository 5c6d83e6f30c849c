import type { ProviderInput, ProviderKind, ProviderView } from '@waymark/shared';

/** One field of a provider form: where its value goes, how it is typed and what it says. */
export interface ProviderField {
  name: string;
  label: string;
  /** `settings` are stored in clear; a `secret` is write-only and kept when left empty. */
  part: 'settings' | 'secret';
  type: 'text' | 'number' | 'select' | 'password';
  required?: boolean;
  placeholder?: string;
  hint?: string;
  options?: { value: string; label: string }[];
  /** What a valid value looks like, shown under the field when the API refused it. */
  expects: string;
  initial?: string;
}

const rate: ProviderField = {
  name: 'ratePerSecond',
  label: 'Rate limit',
  part: 'settings',
  type: 'number',
  hint: 'Messages per second, empty = no limit.',
  expects: 'Use a whole number of messages per second from 1 to 10,000, or leave it empty for no limit.',
};

/** The fields of each kind of provider, in the order the form shows them. */
export const providerFields: Record<ProviderKind, ProviderField[]> = {
  smtp: [
    { name: 'host', label: 'Host', part: 'settings', type: 'text', required: true, placeholder: 'smtp.example.com', expects: 'Enter the server’s host name (smtp.example.com) or IP address.' },
    { name: 'port', label: 'Port', part: 'settings', type: 'number', required: true, initial: '587', expects: 'Use a port number from 1 to 65,535 (usually 587 or 465).' },
    {
      name: 'tls',
      label: 'Security',
      part: 'settings',
      type: 'select',
      initial: 'starttls',
      options: [
        { value: 'implicit', label: 'TLS (port 465)' },
        { value: 'starttls', label: 'STARTTLS (port 587)' },
        { value: 'none', label: 'None (local relay)' },
      ],
      expects: 'Choose how the connection is secured.',
    },
    { name: 'user', label: 'User name', part: 'settings', type: 'text', expects: 'Use at most 320 characters.' },
    { name: 'password', label: 'Password', part: 'secret', type: 'password', expects: 'Use at most 1,000 characters.' },
    { name: 'fromName', label: 'From name', part: 'settings', type: 'text', placeholder: 'Acme', expects: 'Use at most 200 characters.' },
    { name: 'fromAddress', label: 'From address', part: 'settings', type: 'text', required: true, placeholder: 'hello@acme.com', expects: 'Enter an email address such as hello@acme.com.' },
    {
      name: 'replyTo',
      label: 'Reply-to',
      part: 'settings',
      type: 'text',
      placeholder: 'support@acme.com',
      hint: 'Empty: replies go to the from address.',
      expects: 'Enter an email address, or leave it empty.',
    },
    {
      name: 'maxConnections',
      label: 'Max connections',
      part: 'settings',
      type: 'number',
      hint: 'Connections kept open and reused, empty = 5.',
      expects: 'Use a whole number from 1 to 50, or leave it empty.',
    },
    rate,
  ],
  twilio: [
    {
      name: 'accountSid',
      label: 'Account SID',
      part: 'settings',
      type: 'text',
      required: true,
      placeholder: 'AC…',
      expects: 'Copy the Account SID from your Twilio console: letters and digits, starting with AC.',
    },
    { name: 'authToken', label: 'Auth token', part: 'secret', type: 'password', expects: 'Copy the auth token from your Twilio console.' },
    {
      name: 'fromNumber',
      label: 'From number',
      part: 'settings',
      type: 'text',
      placeholder: '+15005550006',
      hint: 'Or leave it empty and give a messaging service SID.',
      expects: 'Enter the number with country code, such as +15005550006, or give a messaging service SID.',
    },
    { name: 'messagingServiceSid', label: 'Messaging service SID', part: 'settings', type: 'text', placeholder: 'MG…', expects: 'A messaging service SID starts with MG.' },
    {
      name: 'baseUrl',
      label: 'API base URL',
      part: 'settings',
      type: 'text',
      initial: 'https://api.twilio.com',
      hint: 'Change it only for a Twilio-compatible provider.',
      expects: 'Enter an http or https URL such as https://api.twilio.com.',
    },
    rate,
  ],
  'web-push': [
    {
      name: 'subject',
      label: 'Contact',
      part: 'settings',
      type: 'text',
      required: true,
      placeholder: 'mailto:team@acme.com',
      hint: 'Push services write here if your notifications cause trouble.',
      expects: 'Enter a mailto: address (mailto:team@acme.com) or an https URL.',
    },
    { name: 'icon', label: 'Default icon URL', part: 'settings', type: 'text', placeholder: 'https://acme.com/icon.png', expects: 'Enter an http or https URL, or leave it empty.' },
    rate,
  ],
};

/** The provider kind that sends each channel. */
export const kindOfChannel: Record<string, ProviderKind> = { email: 'smtp', sms: 'twilio', push: 'web-push' };

/** The form's starting values: the provider's settings as text, defaults for a new one; secrets always start empty. */
export function initialValues(kind: ProviderKind, view: ProviderView | null): Record<string, string> {
  const settings = view?.kind === kind ? view.settings : {};
  return Object.fromEntries(
    providerFields[kind].map((field) => {
      if (field.part === 'secret') return [field.name, ''];
      const stored = settings[field.name];
      return [field.name, stored === undefined || stored === null ? (view ? '' : (field.initial ?? '')) : String(stored)];
    }),
  );
}

/** What a secret field says when a value is stored: "Set · ends in 1234 — type to replace". */
export function secretPlaceholder(view: ProviderView | null, name: string): string | undefined {
  const secret = view?.secrets[name];
  if (!secret) return undefined;
  return secret.last4 ? `Set · ends in ${secret.last4} — type to replace` : 'Set — type to replace';
}

/**
 * The `PUT` body for the form's values: empty optional settings left out, numbers as numbers, and
 * secrets only when typed (an empty one keeps the stored value). A number that is not one is an
 * error on its field, before anything is sent.
 */
export function providerInputOf(kind: ProviderKind, values: Record<string, string>): { input: ProviderInput } | { errors: Record<string, string> } {
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const field of providerFields[kind]) {
    const raw = values[field.name] ?? '';
    const value = field.type === 'password' ? raw : raw.trim();
    if (value === '') {
      if (field.required && field.part === 'settings') errors[field.name] = `${field.label} is needed. ${field.expects}`;
      continue;
    }
    if (field.part === 'secret') secrets[field.name] = value;
    else if (field.type === 'number') {
      if (!/^\d+$/.test(value)) errors[field.name] = `“${value}” is not a whole number. ${field.expects}`;
      else settings[field.name] = Number(value);
    } else settings[field.name] = value;
  }
  if (Object.keys(errors).length) return { errors };
  const withSecrets = kind !== 'web-push' && Object.keys(secrets).length ? { secrets } : {};
  return { input: { kind, settings, ...withSecrets } as ProviderInput };
}

/**
 * Which form field an API refusal is about (`details.field`: "settings.port", "secrets.authToken")
 * and the sentence to show under it; `null` when it names no field of this form. A 400 is a value
 * of the wrong shape, said as what a right one looks like (the API's words are a schema's); other
 * refusals ("The auth token is needed…") are already sentences.
 */
export function fieldErrorOf(kind: ProviderKind, failure: { status: number; details?: unknown; message: string }): { field: string; message: string } | null {
  const details = failure.details as { field?: unknown } | undefined;
  const path = typeof details?.field === 'string' ? details.field : '';
  const field = providerFields[kind].find((f) => f.name === path.replace(/^(settings|secrets)\./, ''));
  if (!field) return null;
  return { field: field.name, message: failure.status === 400 ? field.expects : failure.message };
}
