// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentPreview } from '../../src/editor/inspector/ContentPreview.tsx';

afterEach(cleanup);

const grace = { traits: { first_name: 'Grace' }, channels: { email: { address: 'grace@example.com' } } };
const now = '2026-03-02T10:00:00.000Z';

describe('ContentPreview', () => {
  it('renders the email subject with a sample trait and the HTML in a sandboxed frame', () => {
    const content = { email: { subject: 'Welcome, {{ customer.first_name }}', html: '<p>Hi {{ customer.first_name }}</p>' } };
    render(<ContentPreview content={content} channels="email" sampleCustomer={grace} now={now} />);
    const email = screen.getByRole('region', { name: 'Email preview' });
    expect(within(email).getByText('Welcome, Grace')).toBeTruthy();
    const frame = within(email).getByTitle('Email body preview');
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toBe('<p>Hi Grace</p>');
  });

  it('shows the field and the template error when a variable is missing', () => {
    const content = { email: { subject: 'Your {{ customer.plan }} plan', html: '<p>x</p>' } };
    render(<ContentPreview content={content} channels={['email']} sampleCustomer={grace} now={now} />);
    const email = screen.getByRole('region', { name: 'Email preview' });
    expect(within(email).getByText('content.email.subject')).toBeTruthy();
    expect(email.textContent).toMatch(/undefined variable: customer\.plan/);
  });

  it('counts SMS characters and segments', () => {
    const content = { sms: { text: 'Hi {{ customer.first_name }}, your code is {{ event.code }}' } };
    render(<ContentPreview content={content} channels="sms" sampleCustomer={grace} sampleEvent={{ code: '1234' }} now={now} />);
    expect(screen.getByText('Hi Grace, your code is 1234')).toBeTruthy();
    expect(screen.getByText(/27 characters · 1 segment · GSM-7/)).toBeTruthy();
  });

  it('previews push, in-app and webhook content side by side', () => {
    const content = {
      push: { title: 'Hello {{ customer.first_name }}', body: 'Your cart misses you' },
      'in-app': { title: 'New', body: 'Try it', cta: { label: 'Open', url: '/new' } },
      webhook: { method: 'POST' as const, url: 'https://example.com/hook', body: '{"name": "{{ customer.first_name }}"}' },
    };
    render(<ContentPreview content={content} channels={['push', 'in-app', 'webhook']} sampleCustomer={grace} now={now} />);
    expect(within(screen.getByRole('region', { name: 'Push preview' })).getByText('Hello Grace')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'In-app preview' })).getByText('Open')).toBeTruthy();
    const webhook = screen.getByRole('region', { name: 'Webhook preview' });
    expect(within(webhook).getByText('POST')).toBeTruthy();
    expect(webhook.querySelector('pre')?.textContent).toBe('{\n  "name": "Grace"\n}');
  });

  it('says when a channel has no content yet', () => {
    render(<ContentPreview content={{}} channels="sms" now={now} />);
    expect(screen.getByText('No SMS content yet.')).toBeTruthy();
  });
});
