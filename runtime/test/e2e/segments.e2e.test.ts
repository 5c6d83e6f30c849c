import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime.ts';
import type { FirstStart } from '../../src/services/bootstrap.ts';
import { artifactsDir, startBrowserSession } from '../support/browser.ts';
import { eventually } from '../support/test-database.ts';

/*
 * A marketer builds a segment from scratch in a real headless Chromium: the empty list says what
 * segments are for; the editor counts who matches while the rules change; saving works the members
 * out with progress, then lists them; a new order shows up in the count without a reload.
 */
describe('segments in a browser', () => {
  let session: Awaited<ReturnType<typeof startBrowserSession>>;
  let runtime: Runtime;
  let first: FirstStart;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}segments-${name}.png` });
  const send = async (batch: object[]) => {
    const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
    const response = await fetch(`${session.server.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    session = await startBrowserSession({ width: 1440, height: 900 });
    ({ runtime, first, page } = session);
    const names = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth'];
    await send([
      ...names.map((name, i) => ({ type: 'identify', userId: `u${i}`, traits: { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, plan: i % 2 ? 'pro' : 'free' } })),
      ...[0, 1, 2].map((i) => ({ type: 'track', userId: `u${i}`, event: 'Order Completed', properties: { total: 20 + i * 10 } })),
    ]);
    await eventually(async () => (await runtime.sql`select count(*)::int as n from event_queue`)[0]!.n === 0, { timeoutMs: 30_000 });
  }, 180_000);
  afterAll(async () => session?.stop());

  it('the empty list says what a segment is for and offers to create one', async () => {
    await page.goto(session.server.url);
    await page.getByLabel('Email').fill(first.ownerEmail);
    await page.getByLabel('Password').fill(first.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByText('No segments yet.').waitFor();
    await shot('empty');
    await page.getByRole('link', { name: 'Create a segment' }).click();
  });

  it('counts who matches while the rules change, from the same rule widgets as conditions', async () => {
    await page.getByLabel('Segment name').fill('Pro buyers');
    await page.getByText('6 of 6 customers').waitFor();
    const form = page.locator('.wm-segment-rules');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await shot('rule-added');
    // The first kind offered is a trait comparison: plan equals pro.
    await form.getByLabel('Trait').fill('plan');
    await form.getByLabel('Value').first().fill('pro');
    await form.getByLabel('Value').first().blur();
    await page.getByText('3 of 6 customers').waitFor();
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.getByLabel('Based on').last().selectOption('event-count');
    await form.getByLabel('Event').last().fill('Order Completed');
    await form.getByLabel('Count').last().fill('1');
    await form.getByLabel('Amount').last().fill('7');
    await form.getByLabel('Unit').last().selectOption('days');
    await page.getByText('1 of 6 customers').waitFor();
    expect(await page.locator('.wm-segment-sample li').allTextContents()).toEqual(['Grace Hopper · grace@example.com']);
    await shot('editing');
    // The other window an event count offers: between two dates.
    await form
      .getByRole('button', { name: /between dates/i })
      .last()
      .scrollIntoViewIfNeeded();
    await shot('event-window');
    // A rule over a time is written in words: "signed up before 30 days ago".
    await form.getByRole('button', { name: 'Add rule' }).last().click();
    await form.getByLabel('Trait').last().fill('signed_up_at');
    await form.getByLabel('Operator').last().selectOption('before');
    await form.getByLabel('Value').last().fill('30 days ago');
    await form.getByLabel('Value').last().blur();
    await page.getByText('and signed_up_at is before 30 days ago.').waitFor();
    await form.getByLabel('Value').last().scrollIntoViewIfNeeded();
    await shot('time-rule');
    await form.getByRole('button', { name: 'Remove rule 3' }).click();
    await page.getByText('1 of 6 customers').waitFor();
  });

  it('saves: members are worked out with progress, then listed; an order moves the count', async () => {
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.waitForURL(/\/segments\/[^/]+$/);
    await page.locator('.wm-segment table', { hasText: 'Grace Hopper' }).waitFor();
    await page.locator('.wm-segment-head .wm-count', { hasText: '1 customer' }).waitFor();
    await shot('saved');
    await send([{ type: 'track', userId: 'u3', event: 'Order Completed', properties: { total: 5 } }]);
    await page.getByRole('link', { name: '← Segments' }).click();
    const row = page.getByRole('row', { name: /Pro buyers/ });
    await row.waitFor();
    await eventually(async () => (await row.textContent())?.includes('2 customers') ?? false, { timeoutMs: 30_000 });
    expect(await row.textContent()).toContain('Plan is pro and Order Completed at least once in the last 7 days');
    await shot('list');
  });

  it("the customer's timeline says which segments she entered, in words", async () => {
    await page.getByRole('link', { name: 'Pro buyers' }).click();
    await page.locator('.wm-segment table').getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByText('Entered “Pro buyers”').first().waitFor();
    // Her page lists the segments she is in, since when, and the history of her memberships.
    const panel = page.getByRole('region', { name: 'Segments' });
    await panel.getByRole('link', { name: 'Pro buyers' }).waitFor();
    await panel.getByText('Membership history').waitFor();
    expect(await panel.locator('.wm-membership-history li').first().textContent()).toMatch(/^Entered Pro buyers/);
    await shot('timeline');
  });
});
