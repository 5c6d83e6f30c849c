import { createJourney } from '@waymark/runtime';
import { generateJourney } from '../engine/generate-journey.ts';
import type { BenchResult } from '../measure.ts';
import { startWebSession, type WebSession } from './web-session.ts';

// The browser's globals, used inside page.evaluate() callbacks (this file is type-checked for Node).
declare const performance: { getEntriesByName(name: string, type: string): { duration: number }[] };
declare const localStorage: { setItem(key: string, value: string): void };

const nodes = 200;
const events = 50;
const runs = 9;

/** The preview draft as the web app keeps it in localStorage: a customer who gets email and SMS, and a story of `events` inputs. */
function storedDraft() {
  const text = (value: string | number) => ({ key: 'n', type: typeof value === 'number' ? 'number' : 'text', value: String(value) });
  const items = Array.from({ length: events }, (_, i) => {
    const after = { amount: (i + 1) * 20, unit: 'hours' };
    return i % 5 === 4
      ? { id: `i${i}`, kind: 'identify', after, traits: [{ ...text(i), key: 'visits' }], consent: {}, timezone: '' }
      : { id: `i${i}`, kind: 'track', after, name: 'Page Viewed', properties: [{ ...text(`/page/${i}`), key: 'path' }], delay: null };
  });
  return {
    customer: {
      source: 'written',
      id: null,
      name: 'Bench customer',
      profile: {
        traits: { first_name: 'Ada', plan: 'free', timezone: 'Europe/London' },
        channels: { email: { address: 'ada@example.com', consent: 'subscribed' }, sms: { address: '+447700900123', consent: 'opted-in' } },
      },
    },
    story: { entry: { at: '2026-01-05T10:00', event: '', properties: [], delay: null }, items },
    overrides: {},
  };
}

/**
 * "Preview a 200-node journey with 50 scripted events in the browser": opens the journey's
 * Preview tab and changes "Email sent today" `runs` times; each change compiles the canvas's
 * document and plays the story in the page, which the app times as `waymark:preview`.
 */
export async function previewBench(session: WebSession): Promise<BenchResult[]> {
  const { url, runtime, browser, first } = session;
  const document = generateJourney(nodes);
  const journey = await createJourney(runtime.db, first.workspaceId, { name: `${nodes} nodes, previewed`, document });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.request.post(`${url}/api/sessions`, { data: { email: first.ownerEmail, password: first.ownerPassword } });
    await page.goto(`${url}/`);
    await page.evaluate(([key, value]) => localStorage.setItem(key!, value!), [`waymark.preview.${journey.id}`, JSON.stringify(storedDraft())]);
    await page.goto(`${url}/journeys/${journey.id}`);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.locator('.wm-pv-timeline').waitFor({ timeout: 60_000 });
    const rows = await page.locator('.wm-pv-row').count();
    await page.getByText('Change sends today or pause').click();
    const measured = () => page.evaluate(() => performance.getEntriesByName('waymark:preview', 'measure').map((e) => e.duration));
    for (let i = 1; i <= runs; i++) {
      const before = (await measured()).length;
      await page.getByLabel('Email sent today').fill(String(i % 3));
      await page.waitForFunction((n) => performance.getEntriesByName('waymark:preview', 'measure').length > n, before, { timeout: 30_000 });
    }
    // The first run (on opening the tab) is the cold one; the others are the re-runs as you edit.
    const times = (await measured()).slice(1).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    return [
      {
        name: `preview a ${nodes}-node journey with ${events} scripted events in the browser (compile + previewJourney, median of ${times.length}; ${rows} timeline rows)`,
        figure: `${median.toFixed(1)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms)`,
        target: '< 100 ms',
        ok: median < 100,
      },
    ];
  } finally {
    await page.close();
  }
}

/** Only this benchmark: `node bench/web/preview.bench.ts`. */
if (import.meta.main) {
  const session = await startWebSession();
  try {
    for (const r of await previewBench(session)) console.log(`| ${r.name} | ${r.figure} | ${r.target} | ${r.ok ? 'met' : 'missed'} |`);
  } finally {
    await session.stop();
  }
}
