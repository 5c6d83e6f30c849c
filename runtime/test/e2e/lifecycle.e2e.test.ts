import type { JourneyDocumentInput } from '@waymark/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourney, publishJourney } from '../../src/index.ts';
import type { Runtime } from '../../src/runtime.ts';
import type { FirstStart } from '../../src/services/bootstrap.ts';
import { artifactsDir, startBrowserSession } from '../support/browser.ts';
import { eventually } from '../support/test-database.ts';

/** Signed Up → "Welcome, {first name}!" email → wait a day: three customers are in it when the marketer opens it. */
const welcome: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'welcome',
  name: 'Welcome series',
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Signed Up' } } },
      {
        id: 'hello',
        type: 'send',
        position: { x: 0, y: 160 },
        data: { name: 'Welcome email', delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Welcome, {{ customer.first_name }}!', html: '<p>Hi</p>' } } },
      },
      { id: 'pause', type: 'wait', position: { x: 0, y: 320 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'next', target: 'hello' },
      { id: 'b', source: 'hello', sourceHandle: 'next', target: 'pause' },
    ],
  },
};

/*
 * What a marketer meets in the first hour, in a real headless Chromium: warnings before publishing
 * (a first name some customers lack, an event name with a typo), the switch of a send from email
 * to SMS, the journey's state with unpublished changes, pause and resume confirmed with the number
 * of customers in the journey and the paused banner, and an old version opened read-only and
 * restored as the draft.
 */
describe('journey lifecycle in a browser', () => {
  let session: Awaited<ReturnType<typeof startBrowserSession>>;
  let runtime: Runtime;
  let first: FirstStart;
  let page: Page;
  let journeyId: string;

  beforeAll(async () => {
    session = await startBrowserSession({ width: 1440, height: 900 });
    ({ runtime, first, page } = session);
    const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
    // Ten customers, nine with a first name; three of them sign up; an "Order Completed" has been seen.
    const batch = [
      ...Array.from({ length: 10 }, (_, i) => ({ type: 'identify', userId: `c${i}`, traits: { email: `c${i}@example.com`, ...(i < 9 ? { first_name: `Ann ${i}` } : {}) } })),
      { type: 'track', userId: 'c1', event: 'Order Completed', properties: { total: 40 } },
    ];
    expect((await fetch(`${session.server.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) })).status).toBe(200);
    const journey = await createJourney(runtime.db, first.workspaceId, { name: welcome.name, document: welcome });
    journeyId = journey.id;
    await publishJourney(runtime.db, first.workspaceId, journeyId, 'user:owner@waymark.local');
    const signUps = Array.from({ length: 3 }, (_, i) => ({ type: 'track', userId: `c${i}`, event: 'Signed Up' }));
    await fetch(`${session.server.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch: signUps }) });
    await eventually(async () => (await runtime.sql`select count(*)::int as n from progress where journey_id = ${journeyId}`)[0]!.n === 3, { timeoutMs: 30_000 });
  }, 180_000);
  afterAll(async () => session?.stop());

  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}lifecycle-${name}.png` });
  const problems = () => page.getByRole('region', { name: 'Problems' });
  const inspector = () => page.getByRole('complementary', { name: 'Inspector' });

  it('opens the live journey and warns, before publishing, about a first name 10% of customers lack', async () => {
    await page.goto(session.server.url);
    await page.getByLabel('Email').fill(first.ownerEmail);
    await page.getByLabel('Password').fill(first.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Welcome series' }).click();
    await page.getByTestId('canvas').waitFor();
    await page.locator('.wm-toolbar .wm-status', { hasText: 'Live' }).waitFor();
    await problems().getByText('first_name is missing for 10% of customers seen').waitFor();
    await problems().getByText('Ready to publish · 1 thing to check').waitFor();
  });

  it('offers event names the workspace has seen, and suggests the closest one for a typo', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Journey settings' });
    const add = dialog.getByRole('button', { name: /Add goal/i });
    if (await add.count()) await add.first().click();
    const goalEvent = dialog.getByLabel('Event', { exact: true }).first();
    expect(await page.locator(`datalist#${await goalEvent.getAttribute('list')} option`).evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value))).toContain(
      'Order Completed',
    );
    await goalEvent.fill('Ord');
    // Re-entry and concurrency in a marketer's words, not "Mode: never / single" (each added first: the journey keeps the defaults).
    for (const name of [/Add re.?entry/i, /Add concurrency/i]) {
      const add = dialog.getByRole('button', { name });
      if (await add.count()) await add.first().click();
    }
    const reEntry = dialog.getByLabel('Can enter again');
    expect(await reEntry.locator('option').allTextContents()).toEqual(['Never', 'Every time they qualify', 'After a cooldown']);
    await reEntry.selectOption({ label: 'After a cooldown' });
    await dialog.getByLabel('Amount').first().waitFor();
    expect(await dialog.getByLabel('Runs at once').locator('option:checked').textContent()).toBe('One per customer');
    await shot('settings');
    await reEntry.selectOption({ label: 'Never' });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await problems().getByText('No "Ord" event has been received in this workspace yet. Did you mean “Order Completed”?').waitFor();
    await shot('warnings');
  });

  it('after a save the state reads "Unpublished changes", in the header and the journeys list', async () => {
    await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor();
    await page.locator('.wm-toolbar').getByText('Unpublished changes').waitFor();
  });

  it('switching a send from email to SMS shows the SMS fields, hides the email content and says it will not be published', async () => {
    await page.getByTestId('node-hello').click();
    expect(await inspector().getByLabel('Send on').locator('option').allTextContents()).toEqual(['One channel', 'Their preferred channel']);
    await inspector().getByLabel('Channel').selectOption('sms');
    await inspector().getByText('This step no longer sends email, but still holds that content.').waitFor();
    expect(await inspector().getByLabel('Subject').count()).toBe(0);
    await inspector().getByLabel('Text').fill('Welcome, {{ customer.first_name | default: "there" }}!');
    await problems().getByText('This step no longer sends email').waitFor();
    await shot('channel-switch');
    await inspector().getByRole('button', { name: 'Remove the email content' }).click();
    await problems().getByText('This step no longer sends email').waitFor({ state: 'detached' });
  });

  it('pause says how many customers are in the journey, in the app’s dialog; the paused journey shows a banner; resume says what happens next', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Pause “Welcome series”?' });
    await dialog.getByText('3 customers are in it.').waitFor();
    await shot('pause-dialog');
    await dialog.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('This journey is paused: nobody enters, no messages are sent').waitFor();
    await page.locator('.wm-toolbar .wm-status', { hasText: 'Paused' }).waitFor();
    await shot('paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    const resume = page.getByRole('alertdialog', { name: 'Resume “Welcome series”?' });
    await resume.getByText('and get the messages they missed').waitFor();
    await resume.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('This journey is paused').waitFor({ state: 'detached' });
    const statuses = await runtime.sql`select action from audit_log where target = ${journeyId} order by id`;
    expect(statuses.map((r) => r.action)).toEqual(expect.arrayContaining(['journey.pause', 'journey.resume']));
  });

  it('an old version opens truly read-only (no palette, no publish) and can be restored as the draft', async () => {
    await page.goto(`${session.server.url}/journeys/${journeyId}/versions/1`);
    await page.getByText('You are looking at version 1 as it was published').waitFor();
    expect(await page.getByRole('complementary', { name: 'Node palette' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Publish/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    await shot('version');
    await page.getByRole('button', { name: 'Restore as draft' }).click();
    await page.waitForURL(`${session.server.url}/journeys/${journeyId}`);
    await page.getByTestId('node-hello').waitFor();
    const [row] = await runtime.sql`select draft from journeys where id = ${journeyId}`;
    expect((row!.draft as { graph: { nodes: { id: string; data: { delivery?: { channel?: string } } }[] } }).graph.nodes.find((n) => n.id === 'hello')!.data.delivery!.channel).toBe('email');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot('restored-1280');
  });

  it('the journeys list shows the state, and archiving asks first, in the app’s dialog, saying how many customers are in the journey', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${session.server.url}/`);
    const row = page.getByRole('row', { name: /Welcome series/ });
    await row.getByText('Live').waitFor();
    await row.getByText('Unpublished changes').waitFor();
    await row.getByRole('button', { name: 'Archive' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Archive “Welcome series”?' });
    await dialog.getByText('3 customers are in it now: they finish the journey as it was published.').waitFor();
    await shot('archive-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await runtime.sql`select status from journeys where id = ${journeyId}`).toEqual([{ status: 'live' }]);
    await row.getByRole('button', { name: 'Archive' }).click();
    await dialog.getByRole('button', { name: 'Archive' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await runtime.sql`select status from journeys where id = ${journeyId}`).toEqual([{ status: 'archived' }]);
    expect(session.violations).toEqual([]);
  });
});
