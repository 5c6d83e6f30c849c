import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, eventQueue, events, workspaces } from '../../src/db/schema.ts';
import { changeConsent } from '../../src/services/customers/change-consent.ts';
import { artifactsDir, startBrowserSession } from '../support/browser.ts';
import { eventually } from '../support/test-database.ts';

/*
 * The single customer view under a workspace consent policy, in headless Chromium: a bounced email
 * address carries a "Bounced" badge, a channel with no choice recorded says what the policy makes
 * of it, and the timeline tells consent changes with their source and the bounce in words.
 */

describe('consent on the customer view in a browser', () => {
  let session: Awaited<ReturnType<typeof startBrowserSession>>;
  let page: Page;
  let customerId: string;
  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}consent-${name}.png`, fullPage: true });

  beforeAll(async () => {
    session = await startBrowserSession({ width: 1440, height: 900 });
    const { runtime, first, server } = session;
    await runtime.db
      .update(workspaces)
      .set({ settings: { consentPolicy: { sms: 'opt-out' } } })
      .where(eq(workspaces.id, first.workspaceId));
    const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
    const response = await fetch(`${server.url}/v1/identify`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'rae', traits: { first_name: 'Rae', last_name: 'Moss', email: 'rae@gone.example', phone: '+15550199' } }),
    });
    expect(response.status).toBe(200);
    const [row] = await eventually(async () => {
      const found = await runtime.db.select().from(customers).where(eq(customers.workspaceId, first.workspaceId));
      return found.length > 0 && found;
    });
    customerId = row!.id;
    // What delivery records for a hard bounce: the mark on the address, and the event.
    await runtime.db
      .update(customers)
      .set({ channels: { ...row!.channels, email: { ...row!.channels.email, bounced: true } } })
      .where(eq(customers.id, customerId));
    const [bounce] = await runtime.db
      .insert(events)
      .values({
        workspaceId: first.workspaceId,
        messageId: 'bounced:m1',
        customerId,
        type: 'track',
        name: 'Message Bounced',
        properties: { messageId: 'm1', channel: 'email', address: 'rae@gone.example', code: '550', reason: '550 5.1.1 no such user' },
        timestamp: new Date().toISOString(),
      })
      .returning({ eventId: events.id, customerId: events.customerId });
    await runtime.db.insert(eventQueue).values(bounce!);
    await runtime.db.transaction(async (tx) => {
      await changeConsent(tx, { workspaceId: first.workspaceId, customerId, channel: 'email', consent: 'unsubscribed', source: 'preference-page', topic: 'news' });
      await changeConsent(tx, { workspaceId: first.workspaceId, customerId, channel: 'push', consent: 'subscribed', source: 'push-subscription', address: 'https://push.example/rae' });
    });
    page = session.page;
    await page.goto(server.url);
    await page.getByLabel('Email').fill(first.ownerEmail);
    await page.getByLabel('Password').fill(first.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Journeys' }).waitFor();
  }, 180_000);
  afterAll(async () => session?.stop());

  it('shows the bounce, what no choice means under the policy, topics left, and consent changes with their source', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'Rae Moss' }).click();
    await page.getByRole('heading', { name: 'Rae Moss', level: 1 }).waitFor();
    const consent = page.getByRole('list', { name: 'Consent per channel' });
    const email = consent.getByRole('listitem').filter({ hasText: 'Email' });
    await email.getByText('Bounced', { exact: true }).waitFor();
    await email.getByText('Not asked (opt-out: may send)').waitFor();
    await email.getByText('Left topics: news').waitFor();
    await consent.getByRole('listitem').filter({ hasText: 'SMS' }).getByText('Not asked (opt-out: may send)').waitFor();
    await consent.getByRole('listitem').filter({ hasText: 'Push' }).getByText('Subscribed').waitFor();
    await page.getByText('Email address bounced').waitFor();
    await page.getByText('on the preference page').waitFor();
    // Leaving a topic reads as a no: the slashed circle, not the check.
    const left = page.locator('.wm-timeline-item').filter({ hasText: 'Email topic news: left' });
    expect(await left.locator('svg').first().getAttribute('class')).toContain('circle-slash');
    await page.getByText('by subscribing to push notifications').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
    await shot('customer');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot('customer-1280');
  });
});
