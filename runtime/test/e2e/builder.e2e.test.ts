import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { FirstStart } from '../../src/services/bootstrap.ts';
import { eventually } from '../support/test-database.ts';
import { artifactsDir, startBrowserSession } from '../support/browser.ts';

/*
 * The builder end to end, in a real headless Chromium against a runtime on PostgreSQL serving the
 * production build: sign in, build the abandoned-cart journey from an empty canvas with every node
 * type dragged from the palette, fix the problem the validator shows, reload, publish, and see a
 * customer sent through the ingestion API counted on the journey.
 */
describe('the builder in a browser', () => {
  let session: Awaited<ReturnType<typeof startBrowserSession>>;
  let first: FirstStart;
  let server: Awaited<ReturnType<typeof startBrowserSession>>['server'];
  let page: Page;

  beforeAll(async () => {
    session = await startBrowserSession({ width: 1920, height: 1200 });
    ({ first, server, page } = session);
  }, 180_000);
  afterAll(async () => session?.stop());

  const inspector = () => page.getByRole('complementary', { name: 'Inspector' });
  const node = (id: string) => page.getByTestId(`node-${id}`);
  const shot = (name: string) => page.screenshot({ path: `${artifactsDir}builder-${name}.png` });

  /** Drags a palette item onto the canvas at (x, y) of the canvas: real HTML5 drag and drop. */
  async function drop(type: string, x: number, y: number) {
    await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
  }
  /** Drags from a node's branch handle to another node's input handle. */
  async function connect(from: string, handle: string, to: string) {
    const edges = await page.locator('.react-flow__edge').count();
    const start = (await page.getByTestId(`handle-${from}-${handle}`).boundingBox())!;
    const end = (await node(to).locator('.react-flow__handle.target').boundingBox())!;
    await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
    await page.mouse.down();
    await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 12 });
    await page.mouse.up();
    await page.waitForFunction(`document.querySelectorAll('.react-flow__edge').length > ${edges}`, undefined, { timeout: 10_000 }).catch(async (error: Error) => {
      await shot(`connect-${from}-${handle}-failed`);
      throw new Error(`connecting ${from}.${handle} → ${to} made no edge (${error.message})`);
    });
  }
  async function select(id: string) {
    await node(id).locator('.wm-node-summary').click();
  }

  it('signs in as the owner and opens a new journey', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(first.ownerEmail);
    await page.getByLabel('Password').fill(first.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Journeys' }).waitFor();
    await page.getByText('No journeys yet.').waitFor();
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.getByTestId('canvas').waitFor();
    expect(page.url()).toMatch(/\/journeys\/[\w-]+$/);
  });

  it('builds the abandoned cart from the palette, every node type, and wires the branches', async () => {
    await page.getByLabel('Journey name').fill('Abandoned cart (built in the browser)');
    // Drop points on the canvas, on a 4 × 4 grid: columns and rows of the finished flow.
    const x = [200, 520, 840, 1160];
    const y = [80, 310, 540, 770];
    const placed: [string, number, number][] = [
      ['trigger', x[1]!, y[0]!],
      ['wait-for-event', x[1]!, y[1]!],
      ['exit', x[0]!, y[1]!],
      ['update-profile', x[2]!, y[1]!],
      ['split', x[3]!, y[1]!],
      ['send', x[2]!, y[2]!],
      ['send', x[3]!, y[2]!],
      ['wait', x[1]!, y[2]!],
      ['condition', x[1]!, y[3]!],
      ['exit', x[0]!, y[3]!],
      ['exit', x[2]!, y[3]!],
    ];
    for (const [type, px, py] of placed) await drop(type, px, py);
    for (const id of ['trigger', 'wait-for-event', 'exit', 'update-profile', 'split', 'send', 'send-2', 'wait', 'condition', 'exit-2', 'exit-3']) await node(id).waitFor();

    await connect('trigger', 'next', 'wait-for-event');
    await connect('wait-for-event', 'event', 'exit');
    await connect('wait-for-event', 'timeout', 'update-profile');
    await connect('update-profile', 'next', 'split');
    await connect('split', 'a', 'send');
    await connect('split', 'b', 'send-2');
    await connect('send', 'next', 'wait');
    await connect('send-2', 'next', 'wait');
    await connect('wait', 'next', 'condition');
    await connect('condition', 'yes', 'exit-2');
    await connect('condition', 'no', 'exit-3');
    await shot('wired');
    expect(await page.locator('.react-flow__edge').count()).toBe(11);

    // Keyboard: undo takes the last connection away, redo brings it back; copy/paste adds a node, delete removes it.
    await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await page.waitForFunction(`document.querySelectorAll('.react-flow__edge').length === 10`);
    await page.keyboard.press('Control+Shift+z');
    await page.waitForFunction(`document.querySelectorAll('.react-flow__edge').length === 11`);
    await select('exit-3');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await node('exit-4').waitFor();
    await page.keyboard.press('Delete');
    await node('exit-4').waitFor({ state: 'detached' });

    await select('trigger');
    // How customers enter, in a marketer's words (it read "Kind: Event").
    const enter = inspector().getByLabel('Customers enter');
    expect(await enter.locator('option').allTextContents()).toEqual([
      'When they do an event',
      'When they come to match rules',
      'When they enter or leave a segment',
      'On a schedule',
      'By API or by hand',
    ]);
    expect(await enter.locator('option:checked').textContent()).toBe('When they do an event');
    await inspector().getByLabel('Event', { exact: true }).fill('cart_abandoned');
    await shot('trigger');
    await select('wait-for-event');
    await inspector().getByLabel('Event', { exact: true }).fill('order_completed');
    await select('send');
    await inspector().getByLabel('Subject').fill('{{ customer.first_name | default: "Hi" }}, your cart is waiting');
    await inspector().getByLabel('HTML').fill('<p>Come back to finish your order.</p>');
    await select('send-2');
    await inspector().getByLabel('Subject').fill('Still thinking it over?');
    await inspector().getByLabel('HTML').fill('<p>Your cart is saved.</p>');
    await node('trigger').getByText('When cart_abandoned').waitFor();
    await node('send').getByText('Email: {{ customer.first_name | default: "Hi" }}, your cart is waiting').waitFor();
    await shot('built');
  });

  it("shows the validator's problems, centres the node from the problems panel, and the fixes clear them", async () => {
    const problems = page.getByRole('region', { name: 'Problems' });
    await problems.getByText('2 problems to fix before publishing').waitFor();
    await problems.getByTestId('problem').filter({ hasText: 'Add at least one change' }).click();
    expect(await node('update-profile').getAttribute('class')).toContain('is-selected');
    await shot('problem');
    await inspector().getByRole('button', { name: /add/i }).first().click();
    await inspector().getByLabel('Trait').fill('cart_reminded');
    await inspector().getByLabel('Value').fill('yes');
    await problems.getByText('1 problem to fix before publishing').waitFor();
    // A condition without rules would send everyone down one branch: the panel says so, and a rule fixes it.
    await problems.getByTestId('problem').filter({ hasText: 'This condition has no rules' }).click();
    expect(await node('condition').getAttribute('class')).toContain('is-selected');
    await inspector().getByRole('button', { name: /add/i }).first().click();
    await inspector().getByLabel('Trait').fill('plan');
    await inspector().getByLabel('Operator').selectOption('exists');
    await shot('condition-rule');
    await problems.getByText('No problems: ready to publish').waitFor();
  });

  it('autosaves; a reload finds the journey intact', async () => {
    await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor({ timeout: 10_000 });
    await page.reload();
    await node('condition').waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(11);
    // Edges are drawn once their nodes are measured.
    await page.waitForFunction(`document.querySelectorAll('.react-flow__edge').length === 11`);
    await node('update-profile').getByText('set cart_reminded').waitFor();
    expect(await page.getByLabel('Journey name').inputValue()).toBe('Abandoned cart (built in the browser)');
  });

  it('two tabs on one journey: the later save is told of the conflict, not silently overwritten', async () => {
    const other = await page.context().newPage();
    // In front, so it renders: React Flow shows a node once it has been measured, which a tab in the background never does.
    await other.bringToFront();
    await other.goto(page.url());
    await other.getByTestId('node-condition').waitFor();
    await other.getByLabel('Journey name').fill('Renamed in the other tab');
    await other.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor({ timeout: 10_000 });
    await page.getByLabel('Journey name').fill('Renamed here');
    await page.getByTestId('save-state').filter({ hasText: 'changed in another tab' }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Reload' }).waitFor();
    await shot('conflict');
    await other.close();
    await page.bringToFront();
    await page.reload();
    await page.getByTestId('node-condition').waitFor();
    expect(await page.getByLabel('Journey name').inputValue()).toBe('Renamed in the other tab');
    await page.getByLabel('Journey name').fill('Abandoned cart (built in the browser)');
    await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor({ timeout: 10_000 });
  });

  it('publishes, and a customer sent through the ingestion API is counted on the journey', async () => {
    await page.getByRole('button', { name: /^Publish/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('This is the first version').waitFor();
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await dialog.getByText('Published version 1').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The journey settings come from the shared schema; the published version opens read-only.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Journey settings' }).getByLabel('Time zone').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByRole('menuitem', { name: /Version 1 \(live\)/ }).click();
    await page.getByText('Version 1 · read-only').waitFor();
    // A published version has nothing to add to and nothing to publish.
    expect(await page.getByTestId('palette-send').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Publish/ }).count()).toBe(0);
    await node('condition').waitFor();
    await shot('version-1');

    const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
    const sent = await fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'ada', event: 'cart_abandoned', properties: { cartId: 'c1' } }),
    });
    expect(sent.status).toBe(200);
    await eventually(
      async () => {
        await page.goto(server.url);
        const row = page.getByRole('row', { name: /Abandoned cart \(built in the browser\)/ });
        await row.waitFor();
        return (await row.getByRole('cell').nth(3).textContent()) === '1';
      },
      { timeoutMs: 20_000, everyMs: 500 },
    );
    const row = page.getByRole('row', { name: /Abandoned cart/ });
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('Live');
    await shot('journeys-list');

    // Customers: find the one just ingested, and the single customer view shows the journey and the event.
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Search customers').fill('ada');
    await page.getByRole('link', { name: 'ada', exact: true }).click();
    await page.getByRole('heading', { name: 'Journeys' }).waitFor();
    await page.getByRole('button', { name: /Abandoned cart \(built in the browser\) version 1 In the journey/ }).waitFor();
    await page.getByText('Now at Wait for order_completed').waitFor();
    await page.getByRole('region', { name: 'Activity' }).getByText('cart_abandoned', { exact: true }).waitFor();
    await page.getByRole('term').filter({ hasText: 'User ID' }).waitFor();
    await shot('customer');

    // Settings: a "send test" through the email channel (the sandbox), and the keys.
    await page.getByRole('link', { name: 'Settings' }).click();
    const emailChannel = page.getByRole('region', { name: 'Email', exact: true });
    await emailChannel.getByLabel('Send to email address').fill('me@example.com');
    await emailChannel.getByRole('button', { name: 'Send test' }).click();
    await emailChannel.getByText(/Kept in the sandbox — nothing was sent/).waitFor();
    await shot('settings');
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByText('Default write key').waitFor();

    // The smallest supported screen: palette, canvas, inspector and problems all fit side by side.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('link', { name: 'Journeys' }).click();
    await page.getByRole('link', { name: /Abandoned cart/ }).click();
    await node('send').locator('.wm-node-summary').click();
    for (const part of [page.getByRole('complementary', { name: 'Node palette' }), page.getByTestId('canvas'), inspector(), page.getByRole('region', { name: 'Problems' })]) {
      const box = (await part.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(1280);
      expect(box.y).toBeLessThan(800);
      expect(box.width).toBeGreaterThan(150);
    }
    await shot('editor-1280x800');
    // Everything above ran under the app's Content-Security-Policy: it blocked nothing the builder needs.
    expect(session.violations).toEqual([]);
  });
});
