import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime.ts';
import type { FirstStart } from '../../src/services/bootstrap.ts';
import { artifactsDir, startBrowserSession } from '../support/browser.ts';
import { eventually } from '../support/test-database.ts';

/** Eight rows: two people Waymark knows (one by user id, one by email only), three new ones, and four with problems. */
const file = [
  'user_id,email,phone,First Name,plan,orders,signed_up,email_opt_in,sms_consent',
  'u-ada,ada@example.com,+14155550100,Ada,pro,12,2024-03-01,yes,no',
  ',GRACE@example.com,,Grace,free,3,2024-04-02,yes,',
  'u-alan,alan@example,+14155550101,Alan,pro,7,2024-05-03,no,yes',
  'u-edsger,edsger@example.com,0612345678,Edsger,free,1,2024-06-04,,',
  'u-barbara,barbara@example.com,,Barbara,pro,many,2024-07-05,yes,',
  ',,,Nobody,free,1,2024-01-01,,',
  'u-don,don@example.com,+33612345678,Don,"pro, annual",5,2024-08-06T10:00:00Z,yes,yes',
  'u-kat,kat@example.com,+4791234567,Kat,=cmd|calc,2,2024-09-07,,yes',
  'u-ada,,,,enterprise,,,,',
].join('\n');

/*
 * A marketer imports customers from a CSV file in a real headless Chromium: chooses the file, sees
 * its first rows and the guessed mapping, renames a trait, reads how many rows are ready and the
 * first problems, confirms, watches it import, reads the summary and downloads the rejected rows;
 * then exports a segment of the imported customers as CSV.
 */
describe('importing customers from a CSV file, in a browser', () => {
  let session: Awaited<ReturnType<typeof startBrowserSession>>;
  let runtime: Runtime;
  let first: FirstStart;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}import-${name}.png` });
  const dialog = () => page.getByRole('dialog', { name: 'Import customers' });
  const customer = async (userId: string) =>
    (await runtime.sql`select c.traits, c.channels from customers c join customer_identities i on i.customer_id = c.id where i.kind = 'user_id' and i.value = ${userId}`)[0] as {
      traits: Record<string, unknown>;
      channels: Record<string, Record<string, unknown>>;
    };

  beforeAll(async () => {
    session = await startBrowserSession({ width: 1440, height: 900 });
    ({ runtime, first, page } = session);
    const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
    const people = [
      { type: 'identify', userId: 'u-ada', traits: { name: 'Ada Lovelace', email: 'ada@example.com', plan: 'free', city: 'London' } },
      { type: 'identify', anonymousId: 'visitor-grace', traits: { email: 'grace@example.com' } },
    ];
    expect(
      (await fetch(`${session.server.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch: people }) })).status,
    ).toBe(200);
    await eventually(async () => (await runtime.sql`select count(*)::int as n from customers`)[0]!.n === 2, { timeoutMs: 30_000 });
  }, 180_000);
  afterAll(async () => session?.stop());

  it('offers Import customers on the customers page', async () => {
    await page.goto(session.server.url);
    await page.getByLabel('Email').fill(first.ownerEmail);
    await page.getByLabel('Password').fill(first.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByText('2 customers').waitFor();
    await page.getByRole('button', { name: 'Import customers' }).click();
    await dialog().getByLabel('CSV file').waitFor();
    await shot('choose');
  });

  it('previews the first rows with the guessed mapping, and says how many rows are ready and what is wrong with the others', async () => {
    await dialog()
      .getByLabel('CSV file')
      .setInputFiles({ name: 'spring-leads.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await dialog().getByText('spring-leads.csv · 9 rows').waitFor();
    const useOf = (column: string) => dialog().getByLabel(`Import “${column}” as`).inputValue();
    expect(await useOf('user_id')).toBe('userId');
    expect(await useOf('email')).toBe('email');
    expect(await useOf('phone')).toBe('phone');
    expect(await useOf('First Name')).toBe('trait');
    expect(await useOf('email_opt_in')).toBe('consent:email');
    expect(await useOf('sms_consent')).toBe('consent:sms');
    expect(await dialog().getByLabel('Type of “orders”').inputValue()).toBe('string');
    expect(await dialog().getByLabel('Type of “signed_up”').inputValue()).toBe('date');
    // "many" made orders look like text: the marketer says it is a number, and names the trait as templates read it.
    await dialog().getByLabel('Type of “orders”').selectOption('number');
    await dialog().getByLabel('Trait name for “First Name”').fill('first_name');
    const check = dialog().locator('.wm-import-check');
    await check.getByText('5 of 9 rows are ready to import.', { exact: false }).waitFor();
    expect(await check.locator('li').allTextContents()).toEqual([
      'Row 4 email: "alan@example" is not an email address',
      'Row 5 phone: "0612345678" is not a phone number in international format (E.164), like +14155550100',
      'Row 6 orders: "many" is not a number (write numbers like 1234.5, without thousands separators)',
      'Row 7 No user ID, email or phone: each row needs at least one to say who it is',
    ]);
    // The preview marks its rows the same way.
    await dialog().locator('.wm-import-preview .wm-import-bad', { hasText: 'email: "alan@example" is not an email address' }).waitFor();
    await dialog().getByText('5 rows ready · 4 rows with problems will be skipped').waitFor();
    await shot('mapping');
    await page.setViewportSize({ width: 1280, height: 800 });
    const actions = await dialog().locator('.wm-import-actions').boundingBox();
    expect(actions!.y + actions!.height).toBeLessThanOrEqual(800);
    await shot('mapping-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('confirms with the numbers, imports with progress, and sums up: created, updated, rejected with why', async () => {
    await dialog().getByRole('button', { name: 'Continue' }).click();
    await dialog().getByText('Import 5 rows?').waitFor();
    await shot('confirm');
    await dialog().getByRole('button', { name: 'Import 5 rows' }).click();
    await dialog().getByText('Rows not imported').waitFor();
    const counts = await dialog()
      .locator('.wm-import-counts div')
      .evaluateAll((boxes) => boxes.map((box) => [box.querySelector('dt')!.textContent, box.querySelector('dd')!.textContent]));
    // Ada's two rows updated her once.
    expect(counts).toEqual([
      ['Rows imported', '5'],
      ['New customers', '2'],
      ['Customers updated', '2'],
      ['Rows rejected', '4'],
    ]);
    const rows = await dialog()
      .locator('.wm-import-rejected tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map(([row]) => row)).toEqual(['4', '5', '6', '7']);
    await shot('summary');

    // What was stored: Ada merged (a later row of hers wins), Grace found by her email, consent per channel.
    expect((await customer('u-ada')).traits).toMatchObject({ name: 'Ada Lovelace', city: 'London', first_name: 'Ada', plan: 'enterprise', orders: 12, signed_up: '2024-03-01T00:00:00.000Z' });
    expect((await customer('u-ada')).channels).toMatchObject({ email: { consent: 'opted-in' }, sms: { address: '+14155550100', consent: 'unsubscribed' } });
    const [grace] = await runtime.sql`select c.traits from customers c join customer_identities i on i.customer_id = c.id where i.value = 'visitor-grace'`;
    expect(grace!.traits).toMatchObject({ first_name: 'Grace', email: 'GRACE@example.com', plan: 'free' });
    expect((await customer('u-kat')).traits).toMatchObject({ plan: '=cmd|calc' });
  });

  it('downloads the rejected rows: the file’s own columns plus why', async () => {
    const download = page.waitForEvent('download');
    await dialog().getByRole('button', { name: 'Download rejected rows (CSV)' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('spring-leads-rejected.csv');
    const text = readFileSync((await saved.path())!, 'utf8');
    expect(text.split('\r\n')).toEqual([
      'user_id,email,phone,First Name,plan,orders,signed_up,email_opt_in,sms_consent,reason',
      // Cells a spreadsheet would run as a formula get an apostrophe; importing the file again drops it.
      `u-alan,alan@example,"'+14155550101",Alan,pro,7,2024-05-03,no,yes,"email: ""alan@example"" is not an email address"`,
      'u-edsger,edsger@example.com,0612345678,Edsger,free,1,2024-06-04,,,"phone: ""0612345678"" is not a phone number in international format (E.164), like +14155550100"',
      'u-barbara,barbara@example.com,,Barbara,pro,many,2024-07-05,yes,,"orders: ""many"" is not a number (write numbers like 1234.5, without thousands separators)"',
      ',,,Nobody,free,1,2024-01-01,,,"No user ID, email or phone: each row needs at least one to say who it is"',
    ]);
    await dialog().getByRole('button', { name: 'Done' }).click();
    await page.getByText('4 customers').waitFor();
    await shot('list-after');
  });

  it('exports a segment of the imported customers as CSV from the segment page', async () => {
    const created = await page.evaluate(async (workspaceId) => {
      const response = await fetch(`/api/workspaces/${workspaceId}/segments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Pro plan', rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'contains', value: 'pro' }] } }),
      });
      return (await response.json()) as { id: string };
    }, first.workspaceId);
    await page.goto(`${session.server.url}/segments/${created.id}`);
    await page.locator('.wm-segment-head .wm-count', { hasText: '1 customer' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('Pro plan.csv');
    const lines = readFileSync((await saved.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(lines[0]).toBe('customer_id,user_id,email,phone,name,first_name,orders,plan,signed_up');
    // The phone starts with +, so it is guarded against being read as a formula.
    expect(lines[1]).toMatch(/^[0-9a-f-]{36},u-don,don@example.com,'\+33612345678,Don,Don,5,"pro, annual",2024-08-06T10:00:00.000Z$/);
    await shot('segment-export');
    expect(session.violations).toEqual([]);
  });
});
