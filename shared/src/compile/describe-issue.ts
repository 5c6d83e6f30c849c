import type { z } from 'zod';

/** Words for the fields a person fills in, by the last part of their path. */
const fieldWords: Record<string, string> = {
  subject: 'the subject',
  html: 'the HTML body',
  text: 'the message text',
  title: 'the title',
  body: 'the body',
  url: 'the URL',
  preheader: 'the preheader',
  fromName: 'the sender name',
  deepLink: 'the deep link',
  imageUrl: 'the image URL',
  event: 'the event name',
  path: 'the field name',
  value: 'the value',
  values: 'the values',
  amount: 'the amount',
  unit: 'the unit',
  name: 'the name',
  property: 'the property',
  channel: 'the channel',
  channels: 'the channels',
  weight: 'the weight',
  label: 'the label',
  time: 'the time',
  days: 'the days',
  timeout: 'the timeout',
  window: 'the time window',
  cooldown: 'the cooldown',
  operator: 'the comparison',
  start: 'the start',
  end: 'the end',
  rules: 'the rules',
  arms: 'the arms',
  method: 'the HTTP method',
  cta: 'the button',
};

/** "the subject" for `content.email.subject`; words from the path's last name otherwise ("the fallback time zone"). */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const names = path.filter((part): part is string => typeof part === 'string');
  const last = names.at(-1);
  if (!last) return 'this value';
  return fieldWords[last] ?? `the ${last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** zod's own wording ("Too small: expected string to have >=1 characters") that people should never read. */
const libraryWording = /^(Too small|Too big|Invalid input|Invalid option|Invalid|Expected|Required|Unrecognized key)/;

/**
 * A zod issue as a sentence for a marketer: messages a schema wrote on purpose ("Write a subject")
 * stay; zod's own wording becomes "Fill in the subject.", "The amount must be at least 1.", …
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (!libraryWording.test(issue.message)) return issue.message;
  const label = fieldLabel(issue.path);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `Fill in ${label}.` : `${capital(label)} needs at least ${issue.minimum} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Add at least ${issue.minimum} to ${label}.`;
      return `${capital(label)} must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}.`;
    case 'too_big':
      if (issue.origin === 'string') return `${capital(label)} is too long: at most ${issue.maximum} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${capital(label)} can hold at most ${issue.maximum}.`;
      return `${capital(label)} must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}.`;
    case 'invalid_type':
      if (issue.expected === 'string' || issue.message.includes('received undefined')) return `Fill in ${label}.`;
      if (issue.expected === 'number' || issue.expected === 'int') return `${capital(label)} must be a number.`;
      if (issue.expected === 'boolean') return `Choose yes or no for ${label}.`;
      return `${capital(label)} is missing or not valid.`;
    case 'invalid_value':
    case 'invalid_union':
      return `Choose ${label} from the list.`;
    case 'invalid_format':
      return `${capital(label)} is not a valid ${issue.format === 'url' ? 'URL' : issue.format === 'email' ? 'email address' : issue.format}.`;
    case 'unrecognized_keys':
      return `Remove what this step does not use: ${issue.keys.join(', ')}.`;
    default:
      return `${capital(label)} is not valid.`;
  }
}
