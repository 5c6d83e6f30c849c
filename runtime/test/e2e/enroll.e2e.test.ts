import type { JourneyDocumentInput } from '@waymark/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourney, publishJourney } from '../../src/index.ts';
import { createSegment } from '../../src/services/segments/segment-service.ts';
import type { Runtime } from '../../src/runtime.ts';
import type { FirstStart } from '../../src/services/bootstrap.ts';
import { artifactsDir, startBrowserSession } from '../support/browser.ts';
import { eventually } from '../support/test-database.ts';

/** Starts by API or by hand → in-app "Your code: {{ event.coupon }}" → wait a day. Never lets anyone back. */
const winBack: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'win-back',
  name: 'Win-back offer',
  settings: { reEntry: { mode: 'never' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'api' } } },
      {
        id: 'code',
        type: 'send',
        position: { x: 0, y: 160 },
        data: { name: 'Coupon', delivery: { mode: 'channel', channel: 'in-app' }, content: { 'in-app': { title: 'We miss you', body: 'Your code: {{ event.coupon | default: "COMEBACK" }}' } } },
      },
      { id: 'later', type: 'wait', position: { x: 0, y: 320 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
    ],
    edges: [
      { id: 'a', source: 'start', target: 'code' },
      { id: 'b', source: 'code', target: 'later' },
    ],
  },
};

/*
 * A marketer adds customers by hand to a journey that starts by API or by hand: picks two by
 * search, confirms, sees them enter; then uploads a CSV with a coupon column, a row without an
 * email, an unknown address and a customer already in the journey, and reads who did not enter and why.
 */
describe('adding customers to a journey that starts by API or by hand, in a browser', () => {
  let session: Awaited<ReturnType<typeof startBrowserSession>>;
  let runtime: Runtime;
  let first: FirstStart;
  let page: Page;
  let journeyId: string;
  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}enroll-${name}.png` });
  const dialog = () => page.getByRole('dialog', { name: 'Add customers to “Win-back offer”' });
  const messages = async () => (await runtime.sql`select content ->> 'body' as body from messages where journey_id = ${journeyId} order by content ->> 'body'`).map((m) => m.body as string);

  beforeAll(async () => {
    session = await startBrowserSession({ width: 1440, height: 900 });
    ({ runtime, first, page } = session);
    const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
    const people = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra'].map((name, i) => ({
      type: 'identify',
      userId: `u${i}`,
      traits: { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, plan: i % 2 ? 'pro' : 'free' },
    }));
    expect(
      (await fetch(`${session.server.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch: people }) })).status,
    ).toBe(200);
    await eventually(async () => (await runtime.sql`select count(*)::int as n from customers`)[0]!.n === 4, { timeoutMs: 30_000 });
    journeyId = (await createJourney(runtime.db, first.workspaceId, { name: winBack.name, document: winBack })).id;
    await publishJourney(runtime.db, first.workspaceId, journeyId, 'user:owner@waymark.local');
  }, 180_000);
  afterAll(async () => session?.stop());

  it('says in the problems panel that nobody enters on their own, and offers Add customers', async () => {
    await page.goto(session.server.url);
    await page.getByLabel('Email').fill(first.ownerEmail);
    await page.getByLabel('Password').fill(first.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Win-back offer' }).click();
    await page.getByTestId('canvas').waitFor();
    await page
      .getByRole('region', { name: 'Problems' })
      .getByText(/Nobody enters this journey on their own/)
      .waitFor();
    await page.getByRole('button', { name: 'Add customers', exact: true }).click();
    await dialog().waitFor();
  });

  it('finds two customers by search, confirms how many will enter, and they enter', async () => {
    await dialog().getByLabel('Search customers').fill('a');
    await dialog().getByText('Ada Lovelace').waitFor();
    await dialog()
      .getByRole('checkbox', { name: /Ada Lovelace/ })
      .check();
    await dialog().getByLabel('Search customers').fill('grace');
    await dialog().getByText('Showing 1–1 of 1').waitFor();
    await dialog()
      .getByRole('checkbox', { name: /Grace Hopper/ })
      .check();
    await dialog().getByText('2 customers selected').waitFor();
    await shot('search');
    await dialog().getByRole('button', { name: 'Continue' }).click();
    await dialog().getByText('2 customers will enter “Win-back offer” now', { exact: false }).waitFor();
    await shot('confirm');
    await dialog().getByRole('button', { name: 'Add 2 customers' }).click();
    await dialog().getByText('entered “Win-back offer”', { exact: false }).waitFor();
    expect(await dialog().getByRole('status').first().textContent()).toBe('2 customers entered “Win-back offer”.');
    expect(await messages()).toEqual(['Your code: COMEBACK', 'Your code: COMEBACK']);
    await dialog().getByRole('button', { name: 'Done' }).click();
  });

  it('uploads a CSV: previews it, maps the email column, passes the coupon along, and lists who did not enter and why', async () => {
    await page.getByRole('button', { name: 'Add customers', exact: true }).click();
    await dialog().getByRole('tab', { name: 'Upload a CSV file' }).click();
    const csv = ['email,coupon,note', 'alan@example.com,ALAN20,first', 'EDSGER@example.com,ED20,', ',NONE,no email here', 'nobody@example.com,X,unknown', 'ada@example.com,ADA5,already in'].join('\n');
    await dialog()
      .getByLabel('CSV file', { exact: true })
      .setInputFiles({ name: 'win-back.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog().getByText('win-back.csv: first 5 of 5 rows').waitFor();
    expect(await dialog().getByLabel('Who is it?').inputValue()).toBe('0');
    expect(await dialog().getByLabel('holds their').inputValue()).toBe('email');
    await dialog().getByText('4 customers to add; 1 row without email will be skipped.').waitFor();
    await shot('csv');
    await dialog().getByRole('button', { name: 'Continue' }).click();
    await dialog().getByRole('button', { name: 'Add 4 customers' }).click();
    await dialog().getByText('2 customers entered “Win-back offer”. 3 customers did not:').waitFor();
    const rows = await dialog()
      .locator('.wm-enroll-outcome tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([
      ['4', '–', 'No email in this row'],
      ['5', 'nobody@example.com', 'No customer with this id or address'],
      ['6', 'ada@example.com', 'Already in this journey'],
    ]);
    await shot('outcome');
    const download = page.waitForEvent('download');
    await dialog().getByRole('button', { name: 'Download these rows (CSV)' }).click();
    expect(await (await download).suggestedFilename()).toBe('not-added.csv');
    expect(await messages()).toEqual(['Your code: ALAN20', 'Your code: COMEBACK', 'Your code: COMEBACK', 'Your code: ED20']);
    const [properties] = await runtime.sql`select state -> 'trigger' -> 'properties' as p from progress p join customer_identities i on i.customer_id = p.customer_id where i.value = 'u2'`;
    expect(properties!.p).toEqual({ coupon: 'ALAN20', note: 'first' });
  });

  it('keeps the toolbar whole on a 1280 × 800 screen', async () => {
    await dialog().getByRole('button', { name: 'Done' }).click();
    // The canvas's numbers follow at once: four customers entered the trigger.
    await page.locator('.react-flow__node', { hasText: 'API trigger' }).getByText('4 in').waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
    const publish = await page.getByRole('button', { name: 'Publish' }).boundingBox();
    expect(publish!.x + publish!.width).toBeLessThanOrEqual(1280);
    await shot('toolbar-1280');
  });

  it('adds a whole segment: chooses it by name with its count, confirms, follows the progress, and says how many were skipped', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
    const newcomers = ['Barbara Liskov', 'Donald Knuth'].map((name, i) => ({ type: 'identify', userId: `n${i}`, traits: { name, plan: 'pro' } }));
    expect(
      (await fetch(`${session.server.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch: newcomers }) })).status,
    ).toBe(200);
    const pro = await createSegment(
      runtime.db,
      runtime.boss,
      Date.now(),
      first.workspaceId,
      { name: 'Pro plan', rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } },
      'test',
    );
    await eventually(
      async () =>
        (await runtime.sql`select count(*)::int as n from customer_segments m join segments g on g.number = any(m.segments) where g.id = ${pro.id}`)[0]!.n === 4 &&
        (await runtime.sql`select status from segments where id = ${pro.id}`)[0]!.status === 'ready',
      { timeoutMs: 30_000 },
    );
    await page.getByRole('button', { name: 'Add customers', exact: true }).click();
    await dialog().getByRole('tab', { name: 'From a segment' }).click();
    await dialog()
      .getByRole('radio', { name: /Pro plan/ })
      .check();
    await dialog().getByText('4 customers', { exact: true }).waitFor();
    await shot('segment-pick');
    await dialog().getByRole('button', { name: 'Continue' }).click();
    await dialog().getByText('The 4 customers in “Pro plan” will enter “Win-back offer” now', { exact: false }).waitFor();
    await dialog().getByRole('button', { name: 'Add 4 customers' }).click();
    // Grace and Edsger are in already; Barbara and Donald enter.
    await dialog().getByText('2 customers of “Pro plan” entered “Win-back offer”. 2 customers did not', { exact: false }).waitFor({ timeout: 30_000 });
    await shot('segment-done');
    expect((await runtime.sql`select count(*)::int as n from progress where journey_id = ${journeyId}`)[0]!.n).toBe(6);
    await dialog().getByRole('button', { name: 'Done' }).click();
  });
});
