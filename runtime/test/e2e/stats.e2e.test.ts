import { rmSync } from 'node:fs';
import { examples } from '@waymark/examples';
import type { JourneyStats } from '@waymark/shared';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, buildWeb, launchChromium, listen } from '../support/browser.ts';
import { startTestRuntime } from '../support/test-runtime.ts';

/*
 * The numbers as an analyst reads them, in headless Chromium under the app's
 * Content-Security-Policy: the subject-line A/B test published with 40 customers (12 of them
 * convert) and the welcome series with 6 customers waiting out its two days; the counts on the
 * canvas, a send step's and a split's numbers in the Stats tab, who is waiting, the report.
 */

const abTest = examples.find((e) => e.id === 'subject-line-ab-test')!.document;
const welcome = examples.find((e) => e.id === 'welcome-series')!.document;
const full = new Intl.NumberFormat('en');

describe('stats in a browser', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let page: Page;
  let webRoot: string;
  let abId: string;
  let welcomeId: string;
  let stats: JourneyStats;
  let buyers: JourneyStats;
  const segmentIds: Record<string, string> = {};
  const violations: string[] = [];
  const shot = async (name: string) => {
    await page.screenshot({ path: `${artifactsDir}stats-${name}.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${artifactsDir}stats-${name}-1280.png` });
    expect(await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth')).toBe(false);
    await page.setViewportSize({ width: 1440, height: 900 });
  };
  const node = (id: string) => page.getByTestId(`node-${id}`);
  const edgeLabel = (id: string) => page.getByTestId(`edge-label-${id}`);
  const edgePath = (id: string) => page.locator(`[data-testid="rf__edge-${id}"] path.wm-edge`);
  const panel = () => page.getByRole('tabpanel', { name: 'Stats' });
  const classes = async (locator: Locator) => (await locator.getAttribute('class')) ?? '';

  beforeAll(async () => {
    webRoot = buildWeb();
    // 10:00 in New York: the welcome series' quiet hours (21:00–08:00) let its email go at once.
    rt = await startTestRuntime('2026-11-25T15:00:00Z', { webRoot });
    ({ id: abId } = await rt.publish(abTest));
    ({ id: welcomeId } = await rt.publish(welcome));
    const batch = [];
    for (let i = 0; i < 40; i++) {
      batch.push({ type: 'identify', userId: `p${i}`, messageId: `id-p${i}`, traits: { first_name: `Pat ${i}`, email: `p${i}@example.com` } });
      batch.push({ type: 'track', userId: `p${i}`, event: 'promo_audience_joined', messageId: `join-p${i}` });
    }
    for (let i = 0; i < 6; i++) {
      batch.push({ type: 'identify', userId: `w${i}`, messageId: `id-w${i}`, traits: { first_name: `Wren ${i}`, email: `w${i}@example.com` } });
      batch.push({ type: 'track', userId: `w${i}`, event: 'signed_up', messageId: `su-w${i}` });
    }
    expect((await rt.ingest('batch', { batch })).status).toBe(200);
    await rt.eventually(async () => (await rt.runsOf(abId)).length === 40 && (await rt.runsOf(welcomeId)).filter((r) => r.nodeId === 'two-days').length === 6);
    const api = await rt.signIn();
    const read = async () => (await api('GET', `/api/workspaces/${rt.workspaceId}/journeys/${abId}/stats`)).body as JourneyStats;
    // Every promo customer outside the holdout has had their email.
    await rt.eventually(async () => {
      const { nodes } = await read();
      const sent = (nodes['email-a']?.sent ?? 0) + (nodes['email-b']?.sent ?? 0);
      return sent > 0 && sent === (nodes['subject-test']?.['left:a'] ?? 0) + (nodes['subject-test']?.['left:b'] ?? 0);
    });
    // Twelve of the promo's customers buy within its three-day goal window.
    const buys = Array.from({ length: 12 }, (_, i) => ({ type: 'track', userId: `p${i}`, event: 'order_completed', messageId: `buy-p${i}` }));
    expect((await rt.ingest('batch', { batch: buys })).status).toBe(200);
    stats = await rt.eventually(async () => {
      const s = await read();
      return s.nodes._journey?.converted === 12 && s;
    });
    // Two saved segments: the twelve buyers, and the welcome series' six (none of them in the promo).
    for (const [name, event] of [
      ['Buyers', 'order_completed'],
      ['Welcome list', 'signed_up'],
    ] as const) {
      const created = await api('POST', `/api/workspaces/${rt.workspaceId}/segments`, {
        name,
        rules: { kind: 'group', match: 'all', rules: [{ kind: 'event-count', event, comparison: 'at-least', count: 1, within: { amount: 7, unit: 'days' } }] },
      });
      expect(created.status).toBe(201);
      segmentIds[name] = created.body.id;
      await rt.eventually(async () => {
        const segment = (await api('GET', `/api/workspaces/${rt.workspaceId}/segments/${created.body.id}`)).body;
        return segment.status === 'ready' && segment;
      });
    }
    buyers = (await api('GET', `/api/workspaces/${rt.workspaceId}/journeys/${abId}/stats?segment=${segmentIds.Buyers}`)).body as JourneyStats;
    expect(buyers.segment).toMatchObject({ name: 'Buyers', members: 12 });
    server = await listen(rt.app);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rt?.stop();
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  });

  it('draws the numbers on the canvas of a live journey: cards, connections by volume', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(rt.owner.email);
    await page.getByLabel('Password').fill(rt.owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: abTest.name }).click();
    await page.getByTestId('canvas').waitFor();
    expect(await page.getByRole('button', { name: 'Stats' }).getAttribute('aria-pressed')).toBe('true');
    const split = node('subject-test').getByTestId('node-stats');
    await split.waitFor();
    // The holdout arm waits out the goal window on the split.
    const waiting = stats.nodes['subject-test']!.waiting ?? 0;
    expect(await split.textContent()).toBe(`40 in·${waiting} waiting·30% (12) converted`);
    expect(await split.getAttribute('title')).toBe(`40 entries · ${waiting} waiting now · 12 converted after this step (30% of entries)`);
    const a = stats.nodes['subject-test']!['left:a'] ?? 0;
    const b = stats.nodes['subject-test']!['left:b'] ?? 0;
    expect(await edgeLabel('e-a').getByTestId('edge-count').textContent()).toBe(`${full.format(a)} · ${Math.round((a / 40) * 1000) / 10}%`);
    // The busier arm is drawn thicker.
    const width = async (id: string) => Number((await edgePath(id).getAttribute('style'))?.match(/stroke-width: ([\d.]+)/)?.[1]);
    if (a !== b) expect((await width(a > b ? 'e-a' : 'e-b')) > (await width(a > b ? 'e-b' : 'e-a'))).toBe(true);
    expect(await width('e-split')).toBe(8);
    await shot('canvas');
  });

  it('the Stats tab: the journey, a send step with rates of sent, the A/B readout', async () => {
    await page.getByRole('tab', { name: 'Stats' }).click();
    await panel().getByTestId('stats-journey').waitFor();
    expect(await panel().getByLabel('Days').inputValue()).toBe('30');
    expect(await panel().getByLabel('Version').inputValue()).toBe('live');
    expect(
      await panel()
        .getByText(/days in UTC \(the workspace's time zone\)/)
        .count(),
    ).toBe(1);
    expect(await panel().getByTestId('stats-journey').textContent()).toContain('30% · 12 of 40');
    await shot('journey');

    await node('email-a').click();
    const send = panel().getByTestId('stats-send');
    await send.waitFor();
    const sent = stats.nodes['email-a']!.sent ?? 0;
    expect(await send.locator('.wm-stat-row', { hasText: 'Sent' }).first().locator('dd').textContent()).toContain(full.format(sent));
    expect(await send.locator('.wm-stat-row', { hasText: 'Delivered' }).locator('dd').textContent()).toMatch(/ of /);
    await shot('send');

    await node('subject-test').click();
    const readout = panel().getByTestId('ab-readout');
    await readout.waitFor();
    expect(await readout.getByRole('row').count()).toBe(4);
    expect(await readout.locator('.wm-ab-sentence').textContent()).toBe(stats.splits['subject-test']!.sentence);
    expect(await classes(readout)).toContain('is-early');
    // The Preview tab draws its own path: the numbers step aside while it is open.
    await page.getByRole('tab', { name: 'Preview' }).click();
    await node('subject-test').getByTestId('node-stats').waitFor({ state: 'detached' });
    expect(await edgeLabel('e-split').count()).toBe(0);
    await page.getByRole('tab', { name: 'Stats' }).click();
    await node('subject-test').getByTestId('node-stats').waitFor();
    expect(await readout.textContent()).toMatch(/vs control: [+−±][\d.]+ pts \(95% interval/);
    await shot('ab');
  });

  // Retried once: in one fresh-clone CI run the card stayed hidden (unmeasured by React Flow) for 30 s, never seen again in 40 loads under load.
  it('who is here: the customers waiting on a step, each linked to their page', { retry: 1 }, async () => {
    await page.goto(`${server.url}/journeys/${welcomeId}`);
    const wait = node('two-days').getByTestId('node-stats');
    await wait.waitFor();
    expect(await wait.textContent()).toContain('6 waiting');
    expect(await classes(node('tips-push'))).toContain('is-stats-unreached');
    // Zoomed out to fit the whole journey, the cards are compact and keep passes and waiting in large type.
    expect(await classes(wait)).toContain('is-compact');
    await shot('compact');
    await wait.getByRole('button', { name: /6 waiting now/ }).click();
    const drawer = page.getByRole('dialog', { name: /Who is here/ });
    await drawer.getByText('6 customers').waitFor();
    await drawer.getByRole('link', { name: 'Wren 3' }).waitFor();
    expect(await drawer.locator('li', { hasText: 'Wren 3' }).textContent()).toMatch(/waiting \d+ (min|h|d) · due /);
    await drawer.getByLabel('Search customers').fill('Wren 2');
    await drawer.getByText('1 customer', { exact: true }).waitFor();
    await shot('who');
    await drawer.getByRole('link', { name: 'Wren 2' }).click();
    await page.getByRole('heading', { name: 'Wren 2', level: 1 }).waitFor();
  });

  it('the journeys list: the live version over a range, with entries per day', async () => {
    await page.goto(server.url);
    const row = page.getByRole('row', { name: new RegExp(abTest.name) });
    await row.getByRole('img', { name: /entries per day/ }).waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(3, 6)).toEqual([expect.stringMatching(/^\d+$/), '40', '12 30%']);
    expect(await row.getByRole('img', { name: /entries per day/ }).getAttribute('aria-label')).toMatch(/\(total 40\)$/);
    await page.getByLabel('Numbers of the live version over').selectOption('7');
    await row.getByRole('img', { name: /entries per day/ }).waitFor();
    await shot('journeys');
  });

  it('the report: funnel, day by day, channels and endings, each as a table with CSV', async () => {
    await page.goto(server.url);
    await page
      .getByRole('row', { name: new RegExp(abTest.name) })
      .getByRole('link', { name: 'Report' })
      .click();
    await page.getByRole('heading', { name: `Report: ${abTest.name}` }).waitFor();
    await page.getByTestId('funnel-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByTestId('daily-chart').locator('.recharts-line').first().waitFor();
    expect(await page.getByTestId('report-totals').textContent()).toContain('30% · 12 of 40');
    const channels = page.getByRole('table', { name: 'By channel' });
    expect(await channels.getByRole('row').nth(1).textContent()).toMatch(/^Email/);
    await shot('report');
    const funnel = page.locator('.wm-chart-card').first();
    expect(await funnel.getByRole('heading').textContent()).toBe('Funnel along the most travelled path');
    await funnel.getByRole('button', { name: 'Table' }).click();
    const table = funnel.getByRole('table');
    expect(await table.getByRole('row').nth(1).textContent()).toBe('Event trigger40100%100%');
    const download = page.waitForEvent('download');
    await funnel.getByRole('button', { name: 'Download CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('funnel.csv');
    // Another way through the split: the funnel follows the other arm.
    const path = funnel.getByLabel('Path');
    const other = (await path.locator('option').allTextContents()).find((o) => !o.includes('(most travelled)'))!;
    await path.selectOption({ label: other });
    await funnel.getByRole('heading', { name: 'Funnel along a chosen path' }).waitFor();
    expect(await table.getByRole('row').nth(3).textContent()).toMatch(other.startsWith('Subject A') ? /^Subject A/ : /^Subject B/);
    await shot('report-table');
  });

  it('by segment: the report counts only the customers in a chosen segment, and compares segments side by side', async () => {
    const filters = page.locator('.wm-report-filters');
    await filters.getByLabel('Segment').selectOption({ label: 'Buyers (12)' });
    await page.getByTestId('report-scope').waitFor();
    expect(await page.getByTestId('report-scope').textContent()).toBe('Customers now in Buyers · 12 customers');
    expect(await filters.getByTestId('stats-segment-note').textContent()).toMatch(/^Only the 12 customers in Buyers now are counted/);
    expect(page.url()).toContain(`segment=${segmentIds.Buyers}`);
    // Every buyer converted: the totals, the funnel and the channels count the twelve only.
    await page.getByTestId('report-totals').getByText('100% · 12 of 12').waitFor();
    expect(await page.getByTestId('report-totals').textContent()).toContain('Customers entered12');
    expect(await page.getByRole('table', { name: 'By channel' }).getByRole('row').nth(1).textContent()).toMatch(
      new RegExp(`^Email${full.format((buyers.nodes['email-a']?.sent ?? 0) + (buyers.nodes['email-b']?.sent ?? 0))}`),
    );
    await page.getByTestId('funnel-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await shot('report-segment');

    // By segment: all customers first, then each segment with its members now.
    const table = page.getByTestId('segment-table');
    await table.getByRole('table').waitFor();
    await table.scrollIntoViewIfNeeded();
    const rows = table.getByRole('row');
    expect((await rows.nth(1).getByRole('cell').allTextContents()).slice(0, 5)).toEqual(['All customers', '–', '40', '12', '30% (few entries)']);
    expect((await rows.nth(2).getByRole('cell').allTextContents()).slice(0, 5)).toEqual(['Buyers', '12', '12', '12', '100% (few entries)']);
    expect((await rows.nth(3).getByRole('cell').allTextContents()).slice(0, 5)).toEqual(['Welcome list', '6', '0', '0', '–']);
    const download = page.waitForEvent('download');
    await table.getByRole('button', { name: 'Download CSV' }).click();
    expect((await download).suggestedFilename()).toBe('segments.csv');
    // Fewer segments: untick one.
    await table.getByText(/^Segments: 2 of 2$/).click();
    await table.getByLabel('Welcome list (6)').uncheck();
    await table.getByText(/^Segments: 1 of 2$/).waitFor();
    await expect.poll(() => rows.count()).toBe(3);
    // Escape closes the list, giving the table back.
    await page.keyboard.press('Escape');
    await table.getByLabel('Buyers (12)').waitFor({ state: 'hidden' });
    await shot('report-by-segment');

    // The canvas opens on the same filter and says whose numbers it shows; the Stats tab too.
    await page.getByRole('link', { name: 'Open the journey' }).click();
    const chip = page.getByTestId('stats-segment-chip');
    await chip.getByText('Customers now in Buyers').waitFor();
    const split = node('subject-test').getByTestId('node-stats');
    const waiting = buyers.nodes['subject-test']?.waiting ?? 0;
    await split.getByText('12', { exact: true }).first().waitFor();
    expect(await split.textContent()).toBe(`12 in·${waiting} waiting·100% (12) converted`);
    await page.getByRole('tab', { name: 'Stats' }).click();
    expect(await panel().getByLabel('Segment').inputValue()).toBe(segmentIds.Buyers);
    await panel().getByTestId('stats-journey').getByText('100% · 12 of 12').waitFor();
    await shot('canvas-segment');
    // Back to everyone in one click.
    await chip.getByRole('button', { name: 'Show all customers' }).click();
    await chip.waitFor({ state: 'detached' });
    await split.getByText('40', { exact: true }).first().waitFor();
    expect(await panel().getByLabel('Segment').inputValue()).toBe('');
    expect(page.url()).not.toContain('segment=');
  });

  it('the Content-Security-Policy blocked nothing', () => {
    expect(violations).toEqual([]);
  });
});
