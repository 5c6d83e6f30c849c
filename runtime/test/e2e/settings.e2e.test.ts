import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime.ts';
import type { FirstStart } from '../../src/services/bootstrap.ts';
import { artifactsDir, startBrowserSession } from '../support/browser.ts';
import { eventually } from '../support/test-database.ts';

/*
 * The settings an owner uses to keep Waymark safe, in a real headless Chromium: failed processing
 * (a poison event set aside, retried after the fix), the webhook signing secret (reveal, rotate),
 * private networks, the last-owner rule, and the audit log; under the app's Content-Security-Policy.
 */
describe('settings in a browser', () => {
  let session: Awaited<ReturnType<typeof startBrowserSession>>;
  let runtime: Runtime;
  let first: FirstStart;
  let server: Awaited<ReturnType<typeof startBrowserSession>>['server'];
  let page: Page;

  beforeAll(async () => {
    session = await startBrowserSession({ width: 1440, height: 900 });
    ({ runtime, first, server, page } = session);
  }, 180_000);
  afterAll(async () => session?.stop());
  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}settings-${name}.png`, fullPage: true });

  it('signs in and finds nothing set aside', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(first.ownerEmail);
    await page.getByLabel('Password').fill(first.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Journeys' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Failed processing' }).click();
    await page.getByText('Nothing is set aside').waitFor();
  });

  it('shows a poison event set aside with its reason, and retries it after the fix', async () => {
    await runtime.sql.unsafe(`
      create function refuse_poison() returns trigger language plpgsql as $$ begin raise exception 'the CRM sync refused this customer'; end $$;
      create trigger refuse_poison before insert on events for each row when (false) execute function refuse_poison();
      create trigger refuse_poison_run before insert on progress for each row when (new.state::text like '%POISON%') execute function refuse_poison();`);
    const { id: journeyId } = await createJourneyThroughApi();
    const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
    const batch = Array.from({ length: 6 }, (_, i) => ({ type: 'track', userId: `shopper-${i}`, event: 'Signed Up', properties: { note: i === 3 ? 'POISON' : 'ok' } }));
    expect((await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) })).status).toBe(200);
    await eventually(async () => (await runtime.sql`select count(*)::int as n from dead_letters`)[0]!.n === 1, { timeoutMs: 30_000 });
    await page.reload();
    await page.getByText('the CRM sync refused this customer').waitFor();
    await page.getByText('Event: 1').waitFor();
    await shot('failed-processing');
    await runtime.sql.unsafe('drop trigger refuse_poison_run on progress');
    await page.getByRole('button', { name: 'Retry all 1' }).click();
    await page.getByText('1 item sent back to work.').waitFor();
    await eventually(async () => (await runtime.sql`select count(*)::int as n from progress where journey_id = ${journeyId}`)[0]!.n === 6, { timeoutMs: 30_000 });
  });

  it('reveals and rotates the webhook signing secret in the app’s own dialog, and guards private networks', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    const revealed = (await page.locator('.wm-secret code').textContent())!;
    expect(revealed).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Rotate secret…' }).click();
    await page.getByRole('alertdialog', { name: 'Rotate the signing secret?' }).waitFor();
    await shot('rotate-dialog');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await page.getByRole('button', { name: 'Rotate secret…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Rotate' }).click();
    await page.getByText(/Previous secret .* still signs beside it/).waitFor();
    expect(await page.locator('.wm-secret code').textContent()).not.toBe(revealed);
    const checkbox = page.getByLabel(/Let webhooks reach private and local addresses/);
    expect(await checkbox.isChecked()).toBe(false);
    await checkbox.click(); // asks first: the box stays clear until confirmed
    await page.getByRole('alertdialog', { name: 'Let webhooks reach private addresses?' }).getByRole('button', { name: 'Allow private addresses' }).click();
    await eventually(async () => checkbox.isChecked());
    await shot('webhooks');
  });

  it('refuses to leave the workspace without an owner, in words', async () => {
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByLabel(`Role of ${first.ownerEmail}`).selectOption('editor');
    await page.getByText(/is the only owner of this workspace/).waitFor();
    expect(await page.getByLabel(`Role of ${first.ownerEmail}`).inputValue()).toBe('owner');
    await shot('people');
  });

  it('lists what happened in the audit log, filtered and paged with a total', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByText('rotated the webhook signing secret').waitFor();
    await page.getByText('retried set-aside work').waitFor();
    await page.getByText(/Showing 1–\d+ of \d+/).waitFor();
    await shot('audit');
    await page.getByLabel('Show').selectOption('session');
    await page.getByText('rotated the webhook signing secret').waitFor({ state: 'detached' });
    await page.getByText('signed in').first().waitFor();
  });

  it('fits at 1280 × 800, and the Content-Security-Policy blocked nothing the app needs', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('link', { name: 'Failed processing' }).click();
    await page.getByText('Nothing is set aside').waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');
    expect(overflow).toBe(false);
    await shot('failed-1280');
    expect(session.violations).toEqual([]);
  });

  async function createJourneyThroughApi() {
    const { createJourney, publishJourney } = await import('../../src/index.ts');
    const journey = await createJourney(runtime.db, first.workspaceId, {
      name: 'Welcome',
      document: {
        schemaVersion: 1,
        id: 'welcome',
        name: 'Welcome',
        graph: {
          nodes: [
            { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Signed Up' } } },
            { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
          ],
          edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'wait' }],
        },
      },
    });
    await publishJourney(runtime.db, first.workspaceId, journey.id, 'test');
    return journey;
  }
});
