import type { JourneyDocumentInput } from '@waymark/shared';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryRefusals, messages } from '../../src/db/schema.ts';
import type { Runtime } from '../../src/runtime.ts';
import type { FirstStart } from '../../src/services/bootstrap.ts';
import { recordEngagement } from '../../src/services/engagement/record-engagement.ts';
import { createJourney, publishJourney } from '../../src/services/journeys/journey-service.ts';
import { artifactsDir, startBrowserSession } from '../support/browser.ts';
import { eventually } from '../support/test-database.ts';

/*
 * The customer pages as a marketer uses them, in headless Chromium under the app's
 * Content-Security-Policy: page through the list, filter by a trait and by consent, open a
 * customer, read traits as a table, expand a run's path, open a message (the email rendered in a
 * sandboxed frame, and its delivery history) and see a refused entry.
 */

const welcome: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'welcome',
  name: 'Welcome series',
  settings: { reEntry: { mode: 'never' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'signed_up' } } },
      {
        id: 'welcome-email',
        type: 'send',
        position: { x: 0, y: 100 },
        data: {
          name: 'Welcome email',
          delivery: { mode: 'channel', channel: 'email' },
          content: {
            email: {
              subject: 'Welcome, {{ customer.first_name | default: "friend" }}!',
              preheader: 'Three things to try this week',
              fromName: 'Maya at Acme',
              html: '<h1>Hi {{ customer.first_name | default: "there" }}</h1><p>Start with your first project: it takes two minutes.</p><p><a href="https://acme.test/new">Create a project</a></p>',
            },
          },
        },
      },
      { id: 'two-days', type: 'wait', position: { x: 0, y: 200 }, data: { wait: { kind: 'duration', duration: { amount: 2, unit: 'days' } } } },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'next', target: 'welcome-email' },
      { id: 'b', source: 'welcome-email', sourceHandle: 'next', target: 'two-days' },
    ],
  },
};

describe('customers in a browser', () => {
  let session: Awaited<ReturnType<typeof startBrowserSession>>;
  let runtime: Runtime;
  let first: FirstStart;
  let server: Awaited<ReturnType<typeof startBrowserSession>>['server'];
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}customers-${name}.png`, fullPage: true });
  const rows = () => page.locator('.wm-customer-table tbody tr');

  beforeAll(async () => {
    session = await startBrowserSession({ width: 1440, height: 900 });
    ({ runtime, first, server, page } = session);
    const journey = await createJourney(runtime.db, first.workspaceId, { name: welcome.name, document: welcome });
    await publishJourney(runtime.db, first.workspaceId, journey.id, 'test');
    const plans = ['free', 'pro', 'team'];
    const batch = [
      {
        type: 'identify',
        userId: 'zoe',
        traits: {
          first_name: 'Zoe',
          last_name: 'Stone',
          email: 'zoe@example.com',
          plan: 'pro',
          company: 'Stone & Sons',
          signed_up_at: '2026-03-02T09:15:00Z',
          tags: ['beta', 'early adopter'],
          address: { city: 'London', postcode: 'N1 9GU' },
          seats: 12,
          vip: true,
          timezone: 'Europe/London',
        },
      },
      { type: 'identify', userId: 'bo', traits: { first_name: 'Bo', last_name: 'Lind', email: 'bo@example.com', plan: 'free', consent: { email: 'unsubscribed' } } },
      ...Array.from({ length: 60 }, (_, i) => ({
        type: 'identify',
        userId: `shopper-${String(i).padStart(2, '0')}`,
        traits: { name: `Shopper ${i}`, email: `shopper${i}@example.com`, plan: plans[i % 3], city: i % 2 ? 'Lyon' : 'Austin' },
      })),
      { type: 'track', userId: 'zoe', event: 'signed_up', properties: { source: 'newsletter', referrer: 'friend' } },
    ];
    const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
    const response = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
    expect(response.status).toBe(200);
    const [sent] = await eventually(
      async () => {
        const list = await runtime.db.select().from(messages).where(eq(messages.journeyId, journey.id));
        return list[0]?.status === 'sent' && list;
      },
      { timeoutMs: 30_000 },
    );
    for (const kind of ['delivered', 'opened', 'clicked'] as const) await recordEngagement(runtime.db, sent!.id, kind, Date.now());
    const now = Date.now();
    await runtime.db.insert(entryRefusals).values({
      workspaceId: first.workspaceId,
      journeyId: journey.id,
      customerId: sent!.customerId,
      reason: 're-entry-never',
      detail: 'has been in this journey before',
      version: 1,
      count: 3,
      firstAt: new Date(now - 3_600_000).toISOString(),
      lastAt: new Date(now - 60_000).toISOString(),
    });
  }, 180_000);
  afterAll(async () => session?.stop());

  it('signs in and pages through every customer with the total', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(first.ownerEmail);
    await page.getByLabel('Password').fill(first.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Journeys' }).waitFor();
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByText('Showing 1–50 of 62').waitFor();
    await page.getByText('62 customers', { exact: true }).waitFor();
    expect(await rows().count()).toBe(50);
    await shot('list');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Showing 51–62 of 62').waitFor();
    expect(await rows().count()).toBe(12);
    await page.evaluate("document.querySelector('.wm-main').scrollTo(0, 1e6)");
    await shot('list-last-page');
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Showing 1–50 of 62').waitFor();
  });

  it('filters by a trait from the catalog and by consent', async () => {
    await page.getByLabel('Trait', { exact: true }).selectOption('plan');
    await page.getByLabel('Trait value').fill('pro');
    await page.getByText('21 matching', { exact: true }).waitFor();
    await page.getByText('Showing 1–21 of 21').waitFor();
    const zoe = page.getByRole('row', { name: /Zoe Stone/ });
    await zoe.getByText('Stone & Sons').waitFor();
    expect(await zoe.getByRole('cell').nth(1).textContent()).toBe('zoe');
    expect(await zoe.getByRole('cell').nth(4).textContent()).toBe('1');
    // Last seen reads relative, with the full date on hover.
    expect(await zoe.locator('time').getAttribute('title')).toMatch(/\d{4}/);
    await shot('filtered-trait');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByLabel('Consent').selectOption('email:unsubscribed');
    await page.getByText('1 matching', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Bo Lind' }).waitFor();
    await page.getByLabel('Consent').selectOption('push:subscribed');
    await page.getByText('Nobody matches these filters.').waitFor();
    await shot('filtered-empty');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByText('Showing 1–50 of 62').waitFor();
  });

  it('opens a customer: identities, consent per channel, traits as a table with their types', async () => {
    await page.getByLabel('Search customers').fill('zoe');
    await page.getByText('1 matching', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Zoe Stone' }).click();
    await page.getByRole('heading', { name: 'Zoe Stone', level: 1 }).waitFor();
    const identities = page.getByRole('definition');
    await identities.filter({ hasText: 'zoe@example.com' }).first().waitFor();
    await page.getByRole('list', { name: 'Consent per channel' }).getByText('Email').waitFor();
    const traits = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Type' }) });
    const row = (name: string) => traits.getByRole('row', { name: new RegExp(`^${name}\\b`) });
    expect(await row('signed_up_at').getByRole('cell').nth(0).textContent()).toBe('date');
    expect(await row('signed_up_at').getByRole('cell').nth(1).textContent()).toMatch(/Mar 2, 2026/);
    expect(await row('tags').getByRole('cell').nth(0).textContent()).toBe('list');
    expect(await row('vip').getByRole('cell').nth(1).textContent()).toBe('Yes');
    expect(await row('seats').getByRole('cell').nth(0).textContent()).toBe('number');
    expect(await row('address').getByRole('cell').nth(0).textContent()).toBe('object');
    await row('address').getByText('N1 9GU').waitFor();
    // Never raw JSON.
    expect(await page.locator('main').textContent()).not.toMatch(/[{[]"/);
    await page.getByText('Not entered Welcome series: has been in this journey before').first().waitFor();
    await shot('detail');
  });

  it("expands a run's path: each step in words with why", async () => {
    await page.getByRole('button', { name: /Welcome series version 1 In the journey/ }).click();
    const path = page.getByRole('list', { name: 'Path through Welcome series' });
    await path.getByText('Entry on signed_up').waitFor();
    await path.getByText('Email: Welcome email').waitFor();
    await path.getByText('Entered on signed_up').waitFor();
    await path.getByText('email to zoe@example.com').waitFor();
    await path.getByText('Wait 2 days').waitFor();
    await shot('path');
  });

  it('opens a message: the email rendered in a sandboxed frame, and its delivery history', async () => {
    const activity = page.getByRole('region', { name: 'Activity' });
    await activity.getByText('Not entered Welcome series: has been in this journey before').waitFor();
    await activity.locator('.wm-timeline-item', { hasText: 'Email sent' }).getByRole('button', { name: 'Open message' }).click();
    const drawer = page.getByRole('dialog', { name: 'Email from Welcome series' });
    await drawer.getByText('Welcome, Zoe!').waitFor();
    const frame = drawer.locator('iframe[title="Email as sent"]');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toContain('<h1>Hi Zoe</h1>');
    await page.frameLocator('iframe[title="Email as sent"]').getByRole('heading', { name: 'Hi Zoe' }).waitFor();
    const history = drawer.getByRole('list', { name: 'Delivery history' });
    for (const step of ['Queued', 'Sent', 'Delivered', 'Opened', 'Clicked a link']) await history.getByText(step, { exact: true }).waitFor();
    await shot('message');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await activity.getByText('Entered Welcome series', { exact: true }).waitFor();
    await activity.getByRole('button', { name: 'Journeys' }).click();
    await activity.getByText('Entered Welcome series', { exact: true }).waitFor({ state: 'detached' });
    await activity.getByText('Opened email').waitFor();
  });

  it('fits at 1280 × 800, and the Content-Security-Policy blocked nothing', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await page.getByRole('heading', { name: 'Zoe Stone', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Activity' }).getByText('Opened email').waitFor();
    const overflow = async () => page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');
    expect(await overflow()).toBe(false);
    await shot('detail-1280');
    await page.getByRole('link', { name: 'All customers' }).click();
    await page.getByText(/Showing 1–\d+ of \d+/).waitFor();
    expect(await overflow()).toBe(false);
    await shot('list-1280');
    expect(session.violations).toEqual([]);
  });
});
