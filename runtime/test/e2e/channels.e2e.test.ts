import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, users } from '../../src/db/schema.ts';
import type { Runtime } from '../../src/runtime.ts';
import { hashPassword } from '../../src/services/auth/passwords.ts';
import type { FirstStart } from '../../src/services/bootstrap.ts';
import { artifactsDir, startBrowserSession } from '../support/browser.ts';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.ts';

/*
 * Settings → Channels in a real headless Chromium: an owner connects email to a real SMTP server
 * on loopback (a refused port shown under its field first), sends a test and reads the server's
 * answer and the email as sent, sees a sandboxed SMS test in the recent messages, changes the
 * consent policy and adds a topic (kept after a reload), and disconnects after confirming; a
 * viewer sees it all without a button that changes anything.
 */
describe('channels settings in a browser', () => {
  let session: Awaited<ReturnType<typeof startBrowserSession>>;
  let runtime: Runtime;
  let first: FirstStart;
  let url: string;
  let page: Page;
  let peer: SmtpPeer;

  beforeAll(async () => {
    peer = await startSmtpPeer({ users: { mailer: 'peer-password-1234' } });
    session = await startBrowserSession({ width: 1440, height: 900 });
    ({ runtime, first, page } = session);
    url = session.server.url;
  }, 180_000);
  afterAll(async () => {
    await session?.stop();
    await peer?.stop();
  });
  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}channels-${name}.png`, fullPage: true });
  const card = (name: string) => page.getByRole('region', { name, exact: true });
  const noHorizontalScroll = async () => expect(await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth')).toBe(false);

  async function signIn(email: string, password: string) {
    await page.goto(url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Journeys' }).waitFor();
    await page.goto(`${url}/settings/channels`);
    await card('Email').waitFor();
  }

  it('shows each channel and what it sends through, in words', async () => {
    await signIn(first.ownerEmail, first.ownerPassword);
    for (const name of ['Email', 'SMS', 'Push', 'In-app', 'Webhook']) await card(name).waitFor();
    await card('Email').getByText('Sandbox — messages are kept here, nothing is sent').waitFor();
    await card('In-app')
      .getByText(/In-app inbox/)
      .waitFor();
    await card('Webhook')
      .getByText(/Webhooks — real requests/)
      .waitFor();
    await page.getByRole('heading', { name: 'Consent' }).waitFor();
    await noHorizontalScroll();
    await shot('overview-1440');
  });

  it('puts the API’s refusal of a bad port under the Port field, then connects SMTP', async () => {
    const email = card('Email');
    await email.getByRole('button', { name: 'Connect' }).click();
    await email.getByLabel('Host').fill('127.0.0.1');
    await email.getByLabel('Port').fill('70000');
    await email.getByLabel('Security').selectOption('none');
    await email.getByLabel(/^User name/).fill('mailer');
    await email.getByLabel('Password').fill('peer-password-1234');
    await email.getByLabel(/^From name/).fill('Acme');
    await email.getByLabel('From address').fill('hello@acme.com');
    await email.getByRole('button', { name: 'Connect' }).click();
    const port = email.getByLabel('Port');
    await email.getByText('Use a port number from 1 to 65,535 (usually 587 or 465).').waitFor();
    expect(await port.getAttribute('aria-invalid')).toBe('true');
    // The sentence is the one the field points to, so a screen reader reads it with the field.
    const describedBy = (await port.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('Use a port number from 1 to 65,535 (usually 587 or 465).');
    await shot('port-error');

    await port.fill(String(peer.port));
    await email.getByRole('button', { name: 'Connect' }).click();
    await email.getByText(`SMTP · 127.0.0.1:${peer.port} · from Acme <hello@acme.com>`).waitFor();
    await email.getByText('Live', { exact: true }).waitFor();
    // Write-only: editing shows that a password is set and how it ends, never the password.
    await email.getByRole('button', { name: 'Edit' }).click();
    const password = email.getByLabel('Password');
    expect(await password.inputValue()).toBe('');
    expect(await password.getAttribute('placeholder')).toBe('Set · ends in 1234 — type to replace');
    expect(await page.content()).not.toContain('peer-password-1234');
    await email.getByRole('button', { name: 'Cancel' }).click();
  });

  it('sends a test email through the SMTP server and shows its answer and the email as sent', async () => {
    const email = card('Email');
    await email.getByLabel('Send to email address').fill('ada@example.com');
    await email.getByLabel('Subject').fill('Our spring collection');
    await email.getByRole('button', { name: 'Send test' }).click();
    await email.getByText('Sent to ada@example.com.').waitFor();
    const answer = (await email.locator('.wm-provider-response pre').textContent())!;
    expect(answer).toMatch(/^250\b/);
    expect(peer.messages).toHaveLength(1);
    expect(peer.messages[0]!.to).toEqual(['ada@example.com']);
    const received = await peer.parse(peer.messages[0]!);
    expect(received.subject).toBe('[Test] Our spring collection');
    await email.getByText('[Test] Our spring collection').waitFor();
    const frame = email.locator('iframe[title="Email as sent"]');
    expect(await frame.getAttribute('sandbox')).toBe('');
    await page.frameLocator('iframe[title="Email as sent"]').getByText('This is a test from').waitFor();
    await email.scrollIntoViewIfNeeded();
    await noHorizontalScroll();
    await shot('email-test-1440');
  });

  it('keeps a test SMS in the sandbox and shows it first among the recent messages', async () => {
    const sms = card('SMS');
    await sms.getByLabel('Send to phone number').fill('+15550001111');
    await sms.getByLabel('Text').fill('Your order has shipped');
    await sms.getByRole('button', { name: 'Send test' }).click();
    await sms.getByText('Kept in the sandbox — nothing was sent.', { exact: false }).waitFor();
    await sms.getByText(/Recent messages \(1\)/).waitFor();
    const row = sms.locator('.wm-recent-list > li').first();
    await row.getByText('+15550001111').waitFor();
    await row.getByText('[Test] Your order has shipped').waitFor();
    await row.getByText('Test', { exact: true }).waitFor();
    await row.getByRole('button').first().click();
    await row.locator('.wm-preview-sms').getByText('[Test] Your order has shipped').waitFor();
    await row.getByText(/29 characters · 1 segment/).waitFor();
    await sms.scrollIntoViewIfNeeded();
    await shot('sms-sandbox-1440');
  });

  it('saves SMS as opt-out and a new topic, still there after a reload', async () => {
    const consent = page.getByRole('form', { name: 'Consent' });
    expect(await consent.getByLabel('SMS').inputValue()).toBe('opt-in');
    expect(await consent.getByLabel('Email').inputValue()).toBe('opt-out');
    await consent.getByLabel('SMS').selectOption('opt-out');
    await consent.getByLabel('New topic name').fill('Product news');
    await consent.getByRole('button', { name: 'Add topic' }).click();
    await consent.getByText('product-news', { exact: true }).waitFor();
    await consent.getByRole('button', { name: 'Save consent and topics' }).click();
    await consent.getByText('Saved.').waitFor();
    await page.reload();
    const reloaded = page.getByRole('form', { name: 'Consent' });
    await reloaded.getByText('product-news', { exact: true }).waitFor();
    expect(await reloaded.getByLabel('SMS').inputValue()).toBe('opt-out');
    expect(await reloaded.getByLabel('Name of topic product-news').inputValue()).toBe('Product news');
    const stored = (await runtime.sql`select settings from workspaces where id = ${first.workspaceId}`)[0]!.settings;
    expect(stored).toMatchObject({ consentPolicy: { sms: 'opt-out' }, topics: [{ id: 'product-news', name: 'Product news' }] });
    await reloaded.scrollIntoViewIfNeeded();
    await shot('consent-1440');
  });

  it('connects SMS and push, and shows what to paste at the provider with copy buttons', async () => {
    const sms = card('SMS');
    await sms.getByRole('button', { name: 'Connect' }).click();
    await sms.getByLabel('Account SID').fill('AC0123456789abcdef');
    await sms.getByLabel(/^From number/).fill('+15005550006');
    await sms.getByRole('button', { name: 'Connect' }).click();
    // Twilio cannot send without its token: the API's sentence appears under that field.
    await sms.getByText('The auth token is needed to send SMS through Twilio.').waitFor();
    expect(await sms.getByLabel('Auth token').getAttribute('aria-invalid')).toBe('true');
    await sms.getByLabel('Auth token').fill('twilio-token-abcd9876');
    await sms.getByRole('button', { name: 'Connect' }).click();
    await sms.getByText('Twilio · +15005550006').waitFor();
    const statusUrl = (await sms.locator('.wm-setup-values code').first().textContent())!;
    expect(statusUrl).toMatch(/\/v1\/providers\/[^/]+\/sms\/status$/);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    await sms.getByRole('button', { name: 'Copy delivery status' }).click();
    await sms.getByRole('button', { name: 'Copy delivery status' }).getByText('Copied').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(statusUrl);
    await sms.scrollIntoViewIfNeeded();
    await shot('sms-twilio-1440');

    const push = card('Push');
    await push.getByRole('button', { name: 'Connect' }).click();
    await push.getByLabel('Contact').fill('team@acme.com');
    await push.getByRole('button', { name: 'Connect' }).click();
    await push.getByText('Enter a mailto: address (mailto:team@acme.com) or an https URL.').waitFor();
    await push.getByLabel('Contact').fill('mailto:team@acme.com');
    await push.getByRole('button', { name: 'Connect' }).click();
    await push.getByText('Web push', { exact: true }).waitFor();
    await push.getByText(/Add \/sdk\.js to your site to collect subscriptions/).waitFor();
    expect((await push.locator('.wm-setup-values code').textContent())!).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    await push.scrollIntoViewIfNeeded();
    await shot('push-1440');
  });

  it('disconnects the SMTP provider only after the app’s own confirmation', async () => {
    const email = card('Email');
    await email.getByRole('button', { name: 'Disconnect' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Disconnect SMTP from Email?' });
    await dialog.getByText(/emails go to the sandbox/).waitFor();
    await shot('disconnect-dialog');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await email.getByText(/^SMTP · 127\.0\.0\.1/).waitFor();
    await email.getByRole('button', { name: 'Disconnect' }).click();
    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await email.getByText('Sandbox — messages are kept here, nothing is sent').waitFor();
    await email.getByRole('button', { name: 'Connect' }).waitFor();
    expect((await runtime.sql`select channel from providers where workspace_id = ${first.workspaceId} order by channel`).map((r) => r.channel)).toEqual(['push', 'sms']);
  });

  it('fits at 1280 × 800 without sideways scrolling', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${url}/settings/channels`);
    await card('Email').waitFor();
    await noHorizontalScroll();
    await shot('overview-1280');
    await card('SMS')
      .getByText(/Kept in the sandbox before connecting \(1\)/)
      .click();
    await card('SMS').locator('.wm-recent-list').waitFor();
    await noHorizontalScroll();
    await shot('sms-recent-1280');
  });

  it('shows a viewer every channel and the sandbox messages, and no button that changes anything', async () => {
    await runtime.db.insert(users).values({ id: 'u-vera', email: 'vera@example.com', passwordHash: await hashPassword('correct horse') });
    await runtime.db.insert(memberships).values({ workspaceId: first.workspaceId, userId: 'u-vera', role: 'viewer' });
    await page.context().clearCookies();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn('vera@example.com', 'correct horse');
    await card('SMS').getByText('Twilio · +15005550006').waitFor();
    await card('SMS')
      .getByText(/Kept in the sandbox before connecting \(1\)/)
      .waitFor();
    await card('Email')
      .getByText(/Recent messages \(0\)/)
      .waitFor();
    expect(
      await card('Push')
        .getByText(/Kept in the sandbox before connecting/)
        .count(),
    ).toBe(0);
    await page.getByRole('heading', { name: 'Consent' }).waitFor();
    for (const name of ['Connect', 'Edit', 'Disconnect', 'Send test', 'Add topic', 'Save consent and topics']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Consent' }).getByLabel('SMS').isDisabled()).toBe(true);
    await page.getByText('Only owners change consent and topics.').waitFor();
    await shot('viewer-1440');
    expect(session.violations).toEqual([]);
  });
});
