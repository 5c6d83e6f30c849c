import { rmSync } from 'node:fs';
import { examples } from '@waymark/examples';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, buildWeb, launchChromium, listen } from '../support/browser.ts';
import { startTestRuntime } from '../support/test-runtime.ts';

/*
 * The Preview tab and Replay as a marketer uses them, in headless Chromium under the app's
 * Content-Security-Policy: the welcome series played in the browser for a test customer saved for
 * the workspace and a story (an order, an open of the welcome email), the path drawn on the canvas
 * and stepped through with the scrubber; then a real customer's run, after the clock passes the
 * two-day wait, replayed on the canvas of the version it ran on.
 */

const welcome = examples.find((e) => e.id === 'welcome-series')!.document;
const day = 86_400_000;

describe('preview and replay in a browser', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let page: Page;
  let webRoot: string;
  let journeyId: string;
  const violations: string[] = [];
  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}preview-${name}.png` });
  const panel = () => page.getByRole('tabpanel', { name: 'Preview' });
  const timeline = () => page.getByRole('list', { name: 'Timeline' });
  const node = (id: string) => page.getByTestId(`node-${id}`);
  const edge = (id: string) => page.locator(`[data-testid="rf__edge-${id}"] path.wm-edge`);
  const classes = async (locator: Locator) => (await locator.getAttribute('class')) ?? '';

  beforeAll(async () => {
    webRoot = buildWeb();
    rt = await startTestRuntime('2026-11-25T10:00:00Z', { webRoot });
    ({ id: journeyId } = await rt.publish(welcome));
    server = await listen(rt.app);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rt?.stop();
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  });

  it('opens the journey and its Preview tab beside the canvas', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(rt.owner.email);
    await page.getByLabel('Password').fill(rt.owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Welcome series' }).click();
    await page.getByTestId('canvas').waitFor();
    await page.getByRole('complementary', { name: 'Inspector' }).waitFor();
    await page.getByRole('tab', { name: 'Preview' }).click();
    await panel().getByText('The draft as it is on the canvas, unsaved changes included.').waitFor();
    // The sample customer enters at once: the path is drawn before anything is written.
    await timeline().getByText('Welcome to Acme, Ada!').waitFor();
    await shot('open');
  });

  it('writes a test customer and saves it for the workspace', async () => {
    const p = panel();
    await p.getByLabel('Name', { exact: true }).fill('Ann, free plan');
    await p.getByLabel('Trait 1: value').fill('Ann');
    await p.getByLabel('Search time zones').fill('istan');
    await p.getByLabel('Time zone', { exact: true }).selectOption('Europe/Istanbul');
    await p.getByLabel('Email address').fill('ann@example.com');
    await p.getByRole('button', { name: 'Save as test customer' }).click();
    await p.getByText('Saved “Ann, free plan” as a test customer for this workspace.').waitFor();
    await p.locator('.wm-pv-tag', { hasText: 'test customer' }).waitFor();
    await shot('customer');
    const saved = await (await rt.signIn())('GET', `/api/workspaces/${rt.workspaceId}/test-customers`);
    expect(saved.body.items.map((t: { name: string; profile: { traits: Record<string, unknown> } }) => [t.name, t.profile.traits.timezone])).toEqual([['Ann, free plan', 'Europe/Istanbul']]);
  });

  it('scripts an order and an open, and plays the story as the canvas changes: path highlighted, the email as Ann gets it', async () => {
    const p = panel();
    await p.getByRole('button', { name: 'Add an event' }).click();
    const item = p.locator('.wm-pv-items > li.is-open');
    await item.getByLabel('Event', { exact: true }).fill('Order Completed');
    await item.getByLabel('After entry: amount').fill('2');
    await item.getByRole('button', { name: 'Add a property' }).click();
    await item.getByLabel('Property 1: name').fill('total');
    await item.getByLabel('Property 1: type').selectOption('number');
    await item.getByLabel('Property 1: value').fill('40');
    await p.getByRole('button', { name: 'Add an open, click or unsubscribe' }).click();
    await p.getByRole('list', { name: 'What the customer does after entering' }).getByText('Opens Welcome email').waitFor();

    const story = timeline();
    await story.getByText('Welcome to Acme, Ann!').waitFor();
    await story.locator('.wm-pv-row', { hasText: 'Order Completed' }).getByText('arrived: the run was not waiting for it').waitFor();
    await story.getByText('Welcome email was opened → Yes').waitFor();
    await story.getByText('Not sent: no push address — continues').waitFor();
    const frame = story.locator('iframe[title="Email body preview"]');
    expect(await frame.getAttribute('sandbox')).toBe('');
    // Times read in Ann's zone.
    expect(await story.locator('time').first().textContent()).toMatch(/ 10:00$/);

    for (const id of ['signed-up', 'welcome-email', 'two-days', 'opened-welcome', 'tips-push']) expect(await classes(node(id))).toContain('is-preview-path');
    expect(await classes(node('tips-push'))).toContain('is-preview-current');
    expect(await classes(node('nudge-sms'))).toContain('is-preview-dimmed');
    expect(await classes(edge('e-yes'))).toContain('is-preview-taken');
    expect(await classes(edge('e-no'))).toContain('is-preview-dimmed');
    await shot('story');
  });

  it('the scrubber steps back and forward, and the canvas follows', async () => {
    const slider = page.getByLabel('Position in the timeline');
    await slider.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await timeline().locator('[aria-current="step"]', { hasText: 'Sent email to ann@example.com' }).waitFor();
    expect(await classes(node('welcome-email'))).toContain('is-preview-current');
    expect(await classes(node('two-days'))).toContain('is-preview-later');
    expect(await classes(node('two-days'))).not.toContain('is-preview-path');
    expect(await classes(edge('e-check'))).not.toContain('is-preview-taken');
    await shot('scrubbed');
    await page.getByRole('button', { name: 'Forward one row' }).click();
    await timeline().locator('[aria-current="step"]', { hasText: 'Waits until' }).waitFor();
    expect(await classes(node('two-days'))).toContain('is-preview-current');
    expect(await classes(node('welcome-email'))).not.toContain('is-preview-current');
    await page.getByRole('button', { name: 'Back one row' }).click();
    await timeline().locator('[aria-current="step"]', { hasText: 'Sent email' }).waitFor();

    // Choosing a row selects its step on the canvas; selecting a step jumps to its first row.
    await timeline()
      .getByRole('button', { name: /Condition Yes/ })
      .click();
    expect(await classes(node('opened-welcome'))).toContain('is-selected');
    await node('two-days').click();
    await timeline().locator('[aria-current="step"]', { hasText: 'Waits until' }).waitFor();

    // A journey that cannot run says so instead of a timeline; undo brings the preview back.
    await node('nudge-sms').click();
    await page.keyboard.press('Delete');
    await panel().getByText('Fix the problems first.').waitFor();
    expect(await classes(node('welcome-email'))).not.toContain('is-preview');
    await shot('invalid');
    await page.keyboard.press('Control+z');
    await timeline().getByText('Welcome to Acme, Ann!').waitFor();
    // The undo is saved before the page reloads (autosave waits 0.8 s after the last change).
    await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor();
  });

  it('fits at 1280 × 800 and keeps the story through a reload', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await page.getByRole('tab', { name: 'Preview' }).click();
    await timeline().getByText('Welcome to Acme, Ann!').waitFor();
    await panel().getByText('Opens Welcome email').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth')).toBe(false);
    await shot('1280');
    await page.getByLabel('Position in the timeline').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await timeline().locator('[aria-current="step"]', { hasText: 'Not sent: no push address' }).waitFor();
    await shot('1280-timeline');
    // The path is drawn only while the Preview tab is open.
    await page.getByRole('tab', { name: 'Step' }).click();
    await page.getByRole('complementary', { name: 'Inspector' }).waitFor();
    expect(await classes(node('welcome-email'))).not.toContain('is-preview');
    await page.getByRole('tab', { name: 'Preview' }).click();
    await timeline().waitFor();
    expect(await classes(node('welcome-email'))).toContain('is-preview-path');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('replays a real run on the canvas of the version it ran on', async () => {
    const batch = [
      { type: 'identify', userId: 'ada', traits: { first_name: 'Ada', email: 'ada@example.com', timezone: 'Europe/London' } },
      { type: 'track', userId: 'ada', event: 'signed_up' },
    ];
    expect((await rt.ingest('batch', { batch })).status).toBe(200);
    const [run] = await rt.eventually(async () => {
      const runs = await rt.runsOf(journeyId);
      return runs[0]?.nodeId === 'two-days' && runs;
    });
    await rt.advance(2 * day + 3_600_000);
    await rt.eventually(async () => (await rt.runsOf(journeyId))[0]?.status === 'completed');

    await page.goto(`${server.url}/customers/${encodeURIComponent(run!.customerId)}`);
    await page.getByRole('heading', { name: 'Ada', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Replay on canvas' }).click();
    await page.getByRole('heading', { name: /^Replaying Ada’s run of version 1, Nov 25/ }).waitFor();
    expect(await page.getByRole('tab', { name: 'Preview' }).getAttribute('aria-selected')).toBe('true');
    const story = timeline();
    await story.getByText('Sent email to ada@example.com').waitFor();
    await story.getByText('Welcome email was not opened → No').waitFor();
    await story.getByText('Not sent: no SMS consent (the workspace requires opt-in) — continues').waitFor();
    for (const id of ['welcome-email', 'two-days', 'opened-welcome', 'nudge-sms']) expect(await classes(node(id))).toContain('is-preview-path');
    expect(await classes(node('tips-push'))).toContain('is-preview-dimmed');
    expect(await classes(edge('e-no'))).toContain('is-preview-taken');
    await shot('replay');
    await page.getByLabel('Position in the timeline').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    expect(await classes(node('nudge-sms'))).not.toContain('is-preview-path');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot('replay-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('previews for a real customer: their profile and history, so a second entry is refused with why', async () => {
    await page.goto(`${server.url}/journeys/${journeyId}`);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await panel().getByLabel('Or a real customer').fill('ada@example.com');
    await panel().getByRole('list', { name: 'Real customers found' }).getByRole('button', { name: /Ada/ }).click();
    await panel().locator('.wm-pv-tag', { hasText: 'real customer' }).waitFor();
    await panel().getByText('Was in this journey before: completed Nov 25').waitFor();
    await panel().getByText('Would not enter: has been in this journey before').waitFor();
    for (const id of ['welcome-email', 'nudge-sms']) expect(await classes(node(id))).toContain('is-preview-dimmed');
    await shot('real-customer');
  });

  it('the Content-Security-Policy blocked nothing', () => {
    expect(violations).toEqual([]);
  });
});
