import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Runtime } from '../../src/runtime.ts';
import type { FirstStart } from '../../src/services/bootstrap.ts';
import { artifactsDir, startBrowserSession } from '../support/browser.ts';

/** The callbacks given to `page.evaluate` run in the page; runtime's TypeScript has no DOM library, so they see its globals loosely. */
declare const document: any, getComputedStyle: any, Node: any;
type Box = { x: number; y: number; width: number; height: number };

/*
 * The canvas as a marketer reads and drives it, in a real headless Chromium: SVG icons, the
 * step's own name, summaries in words, branch labels once, the goal on the canvas, text that
 * stays readable when the journey is fitted, a minimap that keeps off the steps, and every
 * action from the keyboard (insert after the selected step, "+" and Versions menus, undo, `?`).
 */
describe('the canvas in a browser', () => {
  let session: Awaited<ReturnType<typeof startBrowserSession>>;
  let runtime: Runtime;
  let first: FirstStart;
  let server: Awaited<ReturnType<typeof startBrowserSession>>['server'];
  let page: Page;
  let journeyId: string;

  beforeAll(async () => {
    session = await startBrowserSession({ width: 1440, height: 900 });
    ({ runtime, first, server, page } = session);
  }, 180_000);
  afterAll(async () => session?.stop());
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await shot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  const node = (id: string) => page.getByTestId(`node-${id}`);
  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}canvas-${name}.png` });
  const activeMatches = (selector: string) => page.evaluate((s) => Boolean(document.activeElement?.closest(s)), selector);
  const selectedIds = () => page.evaluate(() => [...document.querySelectorAll('.wm-node.is-selected')].map((n) => n.getAttribute('data-testid')!.replace(/^node-/, '')));
  /** Clicks a node's card (its middle: no button or handle there). */
  const select = async (id: string) => {
    await node(id).click();
    expect(await selectedIds()).toEqual([id]);
  };
  /** Clicks the empty canvas (deselects, and moves focus out of any field). */
  const clickPane = async () => {
    const box = (await page.locator('.react-flow__pane').boundingBox())!;
    await page.mouse.click(box.x + 8, box.y + box.height - 8);
  };
  const waitForViewport = () => page.waitForTimeout(450);

  /** Every text on the canvas with its size on screen: computed font size × the scale it is drawn at. */
  const textSizes = () =>
    page.evaluate(() => {
      const out: { text: string; px: number }[] = [];
      for (const el of document.querySelectorAll('.react-flow__nodes *, .react-flow__edgelabel-renderer *')) {
        const text = [...el.childNodes]
          .filter((n: { nodeType: number }) => n.nodeType === Node.TEXT_NODE)
          .map((n: { textContent: string }) => n.textContent.trim())
          .join('');
        const box = el.getBoundingClientRect();
        // Left out: text only a screen reader gets (visually hidden, or a transparent layer kept for tooltips).
        if (!text || !box.width || el.closest('.wm-sr') || getComputedStyle(el).opacity === '0' || !el.offsetWidth) continue;
        out.push({ text, px: Number.parseFloat(getComputedStyle(el).fontSize) * (box.width / el.offsetWidth) });
      }
      return out;
    });
  const zoom = async () => Number((await page.getByTestId('zoom-level').textContent())!.replace('%', '')) / 100;

  /** What fit-to-view must hold: readable text, compact cards when zoomed out, a minimap over no node. */
  async function expectReadableFit(size: string) {
    const z = await zoom();
    expect(z).toBeGreaterThanOrEqual(0.5);
    const sizes = await textSizes();
    expect(sizes.length).toBeGreaterThan(8);
    for (const { text, px } of sizes) expect(px, `"${text}" is drawn at ${px.toFixed(1)} px (zoom ${z}, ${size})`).toBeGreaterThanOrEqual(11);
    if (z < 0.85) expect(await page.locator('.wm-node.is-compact').count()).toBe(await page.locator('.wm-node').count());
    const map = await page.locator('.react-flow__minimap').boundingBox();
    expect(map, `the minimap is shown at ${size}`).not.toBeNull();
    for (const box of await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box))) {
      const overlaps = map!.x < box.x + box.width && box.x < map!.x + map!.width && map!.y < box.y + box.height && box.y < map!.y + map!.height;
      expect(overlaps, `the minimap covers a node at ${size}`).toBe(false);
    }
  }

  it('opens a journey with SVG icons, names and summaries in words, and the goal on the canvas', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(first.ownerEmail);
    await page.getByLabel('Password').fill(first.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Journeys' }).waitFor();
    journeyId = await createCartJourney();
    await page.goto(`${server.url}/journeys/${journeyId}`);
    await node('check').waitFor();

    // Icons are SVG, in the palette and on every card; no emoji or symbol glyphs anywhere on them.
    const pictographs = /[\p{Extended_Pictographic}\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf]/u;
    const palette = page.getByRole('complementary', { name: 'Node palette' });
    expect(await palette.locator('.wm-palette-item').count()).toBe(8);
    expect(await palette.locator('.wm-palette-item .wm-palette-icon > svg').count()).toBe(8);
    expect(await palette.textContent()).not.toMatch(pictographs);
    expect(await page.locator('.wm-node-icon > svg').count()).toBe(await page.locator('.wm-node').count());
    expect(await page.locator('.react-flow__nodes').textContent()).not.toMatch(pictographs);

    // The journey's goal and exits are on the canvas, in words.
    const goal = page.getByTestId('journey-goal');
    expect(await goal.textContent()).toContain('Goal: Order Completed within 7 days');
    expect(await goal.textContent()).toContain('Exits early on Unsubscribed');

    // Auto-layout from the keyboard, then the fitted journey.
    await clickPane();
    await page.keyboard.press('l');
    await page.waitForTimeout(1_200);
    await shot('fit-1440x900');
    // A custom name shows on its card; a step without one gets a name from what it does.
    expect(await node('nudge').getByTestId('node-name').textContent()).toBe('Nudge SMS');
    expect(await node('email').getByTestId('node-name').textContent()).toBe('Send email');
  });

  it('fit-to-view keeps text at 11 px or more (compact cards when zoomed out) and the minimap off the nodes', async () => {
    await page.getByRole('button', { name: 'Fit the journey in view' }).click();
    await waitForViewport();
    await expectReadableFit('1440×900');
  });

  it('at 100%: the condition says what it checks, with its time window; branch labels appear once, on the edge', async () => {
    await clickPane();
    await page.keyboard.press('Shift+0');
    await waitForViewport();
    for (let i = 0; i < 2; i++) await page.keyboard.press('j');
    expect(await selectedIds()).toEqual(['check']);
    expect(await activeMatches('[data-id="check"]')).toBe(true);
    await waitForViewport();
    expect(await node('check').locator('.wm-node-summary').textContent()).toBe('If Order Completed at least once in the last 2 days');
    expect(await node('check').textContent()).not.toMatch(/at-least|check|\{/);
    const labels = await page.evaluate(() => {
      const counts: Record<string, string[]> = {};
      for (const el of document.querySelectorAll('.wm-canvas *')) {
        const own = [...el.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent)
          .join('')
          .trim();
        if (own) counts[own] = [...(counts[own] ?? []), el.className];
      }
      return counts;
    });
    expect(labels.Yes).toEqual(['wm-edge-label nodrag nopan']);
    expect(labels.No).toEqual(['wm-edge-label nodrag nopan']);
    expect(await page.locator('.wm-handle-label').count()).toBe(0);
    // A handle is easy to hit: 10 px from the dot's centre still picks it.
    const handle = (await page.getByTestId('handle-check-yes').boundingBox())!;
    const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.getAttribute('data-testid'), [handle.x + handle.width / 2 + 10, handle.y + handle.height / 2] as const);
    expect(hit).toBe('handle-check-yes');
    await shot('100-percent');
  });

  it('Enter on a palette item adds the step after the selected one, connected from its free handle', async () => {
    await page.getByRole('button', { name: 'Fit the journey in view' }).click();
    await waitForViewport();
    await select('nudge');
    await page.getByTestId('palette-wait').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('rf__edge-nudge-next-wait').waitFor({ state: 'attached' });
    expect(await selectedIds()).toEqual(['wait']);
    expect(await node('wait').getByTestId('node-name').textContent()).toBe('Wait 1 day');
    // Repeating builds a chain: the new step is now the selected one.
    await page.getByTestId('palette-update-profile').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('rf__edge-wait-next-update-profile').waitFor({ state: 'attached' });
    await waitForViewport();
    await shot('keyboard-insert');
  });

  it('the "+" menu takes focus, moves with arrows, closes on Escape and on a click outside, and inserts connected', async () => {
    const plus = page.locator('[data-insert-anchor="update-profile:next"]');
    const menu = page.getByTestId('insert-menu');
    await plus.click();
    await menu.waitFor();
    expect(await activeMatches('[data-testid="insert-menu"] [role="menuitem"]')).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Wait');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Wait for event');
    await shot('insert-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await activeMatches('[data-insert-anchor="update-profile:next"]')).toBe(true);

    await plus.click();
    await menu.waitFor();
    await clickPane();
    await menu.waitFor({ state: 'detached' });

    // From the keyboard: focus the "+", open, End to the last item (Exit), Enter.
    await plus.focus();
    await page.keyboard.press('Enter');
    await menu.waitFor();
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Exit');
    await page.keyboard.press('Enter');
    await page.getByTestId('rf__edge-update-profile-next-exit').waitFor({ state: 'attached' });
    await shot('plus-inserted');
    await page.waitForFunction(() => document.activeElement?.closest('.react-flow__node')?.getAttribute('data-id') === 'exit');
  });

  it('C connects the selected step from the keyboard; A opens its "+" menu; the minimap can be hidden', async () => {
    await select('nudge');
    await page.keyboard.press('c');
    const menu = page.getByTestId('connect-menu');
    await menu.waitFor();
    expect(await activeMatches('[data-testid="connect-menu"] [role="menuitem"]')).toBe(true);
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('ExitThe customer leaves the journey here');
    await shot('connect-menu');
    await page.keyboard.press('Enter');
    await page.getByTestId('rf__edge-nudge-next-exit').waitFor({ state: 'attached' });
    expect(await page.getByTestId('rf__edge-nudge-next-wait').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await page.getByTestId('rf__edge-nudge-next-wait').waitFor({ state: 'attached' });

    await select('exit');
    await page.keyboard.press('a');
    expect(await page.getByTestId('insert-menu').count()).toBe(0);
    await select('wait');
    await page.keyboard.press('a');
    await page.getByTestId('insert-menu').getByText('Add after Wait 1 day').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('insert-menu').waitFor({ state: 'detached' });

    const map = page.getByRole('button', { name: 'Minimap' });
    await map.click();
    await page.locator('.react-flow__minimap').waitFor({ state: 'detached' });
    expect(await map.getAttribute('aria-pressed')).toBe('false');
    await map.click();
    await page.locator('.react-flow__minimap').waitFor();
  });

  it('the Versions popover takes focus and closes on Escape and on a click outside', async () => {
    const versions = page.getByRole('button', { name: 'Versions' });
    const menu = page.getByTestId('versions-menu');
    await versions.click();
    await menu.getByText('Not published yet').waitFor();
    expect(await activeMatches('[data-testid="versions-menu"]')).toBe(true);
    await shot('versions');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Versions');
    await versions.click();
    await menu.waitFor();
    await clickPane();
    await menu.waitFor({ state: 'detached' });
  });

  it('moving a step with the arrow keys and undoing it keeps the step selected', async () => {
    const at = () => page.locator('[data-id="nudge"]').evaluate((e) => (e as unknown as { style: { transform: string } }).style.transform);
    await page.getByRole('button', { name: 'Fit the journey in view' }).click();
    await waitForViewport();
    await select('nudge');
    const before = await at();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((b) => document.querySelector('[data-id="nudge"]').style.transform !== b, before);
    await page.keyboard.press('Control+z');
    await page.waitForFunction((b) => document.querySelector('[data-id="nudge"]').style.transform === b, before);
    expect(await selectedIds()).toEqual(['nudge']);
    await page.keyboard.press('Control+Shift+z');
    expect(await selectedIds()).toEqual(['nudge']);
  });

  it('? opens the shortcuts help, which takes focus and closes with Escape', async () => {
    await clickPane();
    await page.keyboard.press('Shift+Slash');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await activeMatches('[role="dialog"]')).toBe(true);
    for (const does of ['Select the next / previous step', 'Connect the selected step to another', 'Auto-layout', 'Fit the journey in view', 'Undo']) await help.getByText(does).first().waitFor();
    await shot('shortcuts');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  it('at 1280×800 the fitted journey stays readable and the minimap stays off the nodes', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await clickPane();
    await page.keyboard.press('Shift+1');
    await waitForViewport();
    await expectReadableFit('1280×800');
    await shot('fit-1280x800');
    await select('check');
    await page.keyboard.press('Shift+0');
    await waitForViewport();
    await shot('100-percent-1280x800');
    expect(session.violations).toEqual([]);
  });

  /** Abandoned cart, written as a marketer names things; laid out badly on purpose (auto-layout fixes it). */
  async function createCartJourney(): Promise<string> {
    const { createJourney } = await import('../../src/index.ts');
    const at = (x: number, y: number) => ({ x, y });
    const journey = await createJourney(runtime.db, first.workspaceId, {
      name: 'Cart recovery',
      document: {
        schemaVersion: 1,
        id: 'cart-recovery',
        name: 'Cart recovery',
        settings: {
          goal: { event: 'Order Completed', window: { amount: 7, unit: 'days' } },
          exitCriteria: { events: [{ event: 'Unsubscribed' }] },
        },
        graph: {
          nodes: [
            { id: 'start', type: 'trigger', position: at(0, 0), data: { entry: { kind: 'event', event: 'Cart Abandoned' } } },
            {
              id: 'check',
              type: 'condition',
              position: at(0, 200),
              data: { rules: { kind: 'group', match: 'all', rules: [{ kind: 'event-count', event: 'Order Completed', comparison: 'at-least', count: 1, within: { amount: 2, unit: 'days' } }] } },
            },
            { id: 'bought', type: 'exit', position: at(-300, 200), data: { reason: 'Bought' } },
            {
              id: 'email',
              type: 'send',
              position: at(0, 100),
              data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Still thinking it over?', html: '<p>Your cart is saved.</p>' } } },
            },
            { id: 'wait-buy', type: 'wait-for-event', position: at(300, 300), data: { event: 'Order Completed', timeout: { amount: 1, unit: 'days' } } },
            { id: 'late-buy', type: 'exit', position: at(300, 500), data: {} },
            {
              id: 'nudge',
              type: 'send',
              position: at(600, 500),
              data: { name: 'Nudge SMS', delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: 'Your cart is waiting. Reply STOP to opt out.' } } },
            },
          ],
          edges: [
            { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
            { id: 'e2', source: 'check', sourceHandle: 'yes', target: 'bought' },
            { id: 'e3', source: 'check', sourceHandle: 'no', target: 'email' },
            { id: 'e4', source: 'email', sourceHandle: 'next', target: 'wait-buy' },
            { id: 'e5', source: 'wait-buy', sourceHandle: 'event', target: 'late-buy' },
            { id: 'e6', source: 'wait-buy', sourceHandle: 'timeout', target: 'nudge' },
          ],
        },
      },
    });
    return journey.id;
  }
});
