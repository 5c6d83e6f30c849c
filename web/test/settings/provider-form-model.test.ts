import { ProviderInput, type ProviderView } from '@waymark/shared';
import { describe, expect, it } from 'vitest';
import { fieldErrorOf, initialValues, providerInputOf, secretPlaceholder } from '../../src/pages/settings/provider-form-model.ts';
import { topicId } from '../../src/pages/settings/topic-id.ts';

const smtpView: ProviderView = {
  id: 'p1',
  channel: 'email',
  kind: 'smtp',
  settings: { host: 'smtp.example.com', port: 587, tls: 'starttls', user: 'mailer', fromAddress: 'hello@acme.com', ratePerSecond: 10 },
  secrets: { password: { set: true, last4: '1234' } },
  updatedAt: '2026-11-25T10:00:00.000Z',
};

const smtpValues = (change: Record<string, string> = {}) => ({ ...initialValues('smtp', null), host: 'smtp.example.com', fromAddress: 'hello@acme.com', ...change });

describe('provider form: secrets are write-only', () => {
  it('starts a stored provider from its settings as text, with every secret empty', () => {
    const values = initialValues('smtp', smtpView);
    expect(values).toMatchObject({ host: 'smtp.example.com', port: '587', tls: 'starttls', ratePerSecond: '10', password: '', replyTo: '' });
  });

  it('says a stored secret is set and how it ends, and nothing when it is not set', () => {
    expect(secretPlaceholder(smtpView, 'password')).toBe('Set · ends in 1234 — type to replace');
    expect(secretPlaceholder({ ...smtpView, secrets: { password: { set: true, last4: '' } } }, 'password')).toBe('Set — type to replace');
    expect(secretPlaceholder(null, 'password')).toBeUndefined();
  });

  it('leaves an empty secret out of the PUT (the stored one is kept) and sends a typed one', () => {
    const kept = providerInputOf('smtp', { ...initialValues('smtp', smtpView), password: '' });
    expect(kept).toEqual({ input: { kind: 'smtp', settings: { host: 'smtp.example.com', port: 587, tls: 'starttls', user: 'mailer', fromAddress: 'hello@acme.com', ratePerSecond: 10 } } });
    const typed = providerInputOf('smtp', { ...initialValues('smtp', smtpView), password: ' s3cret with spaces ' });
    expect('input' in typed && typed.input).toMatchObject({ secrets: { password: ' s3cret with spaces ' } });
  });

  it('builds bodies the API accepts: numbers as numbers, empty optional settings left out', () => {
    const built = providerInputOf('smtp', smtpValues({ ratePerSecond: '', maxConnections: ' 3 ' }));
    if (!('input' in built)) throw new Error('expected an input');
    expect(ProviderInput.safeParse(built.input).success).toBe(true);
    expect(built.input.settings).not.toHaveProperty('ratePerSecond');
    expect(built.input.settings).toMatchObject({ port: 587, maxConnections: 3 });
    const twilio = providerInputOf('twilio', { ...initialValues('twilio', null), accountSid: 'AC123', authToken: 'token-abcdefghijkl', fromNumber: '+15005550006' });
    if (!('input' in twilio)) throw new Error('expected an input');
    expect(ProviderInput.parse(twilio.input)).toMatchObject({ kind: 'twilio', settings: { baseUrl: 'https://api.twilio.com' }, secrets: { authToken: 'token-abcdefghijkl' } });
  });

  it('refuses a number that is not one, and a missing required setting, on their fields before sending', () => {
    const built = providerInputOf('smtp', smtpValues({ port: '58x7', host: '  ' }));
    expect('errors' in built && Object.keys(built.errors).sort()).toEqual(['host', 'port']);
    expect('errors' in built && built.errors.port).toMatch(/not a whole number.*1 to 65,535/);
  });
});

describe('provider form: API refusals land on their field', () => {
  it('puts a 400 about settings.port under Port, said as what a right value looks like', () => {
    expect(fieldErrorOf('smtp', { status: 400, details: { field: 'settings.port' }, message: '"settings.port": Too big: expected number to be <=65535' })).toEqual({
      field: 'port',
      message: 'Use a port number from 1 to 65,535 (usually 587 or 465).',
    });
  });

  it('keeps the API’s own sentence for a refusal that is one (a missing auth token)', () => {
    expect(fieldErrorOf('twilio', { status: 422, details: { field: 'secrets.authToken' }, message: 'The auth token is needed to send SMS through Twilio.' })).toEqual({
      field: 'authToken',
      message: 'The auth token is needed to send SMS through Twilio.',
    });
  });

  it('names no field for refusals about something the form does not show', () => {
    expect(fieldErrorOf('smtp', { status: 422, details: { field: 'kind' }, message: 'A smtp provider sends email, not sms.' })).toBeNull();
    expect(fieldErrorOf('smtp', { status: 403, details: undefined, message: 'Only owners…' })).toBeNull();
    expect(fieldErrorOf('smtp', { status: 400, details: { field: 'settings.__proto__' }, message: 'x' })).toBeNull();
  });
});

describe('topic ids', () => {
  it('makes a slug the API accepts from any name, unique among the others', () => {
    expect(topicId('Product news!', [])).toBe('product-news');
    expect(topicId('Product news', ['product-news', 'product-news-2'])).toBe('product-news-3');
    expect(topicId('Café & Crème', [])).toBe('cafe-creme');
    expect(topicId('🎉🎉', [])).toBe('topic');
    const long = topicId(`${'a'.repeat(70)} b`, []);
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
  });
});
