import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createJourney } from '@waymark/runtime';
import { generateJourney } from '../engine/generate-journey.ts';
import type { BenchResult } from '../measure.ts';
import { previewBench } from './preview.bench.ts';
import { startWebSession, webDir } from './web-session.ts';

// The browser's globals, used inside page.evaluate() callbacks (this file is type-checked for Node).
declare const window: Record<string, any>;
declare function requestAnimationFrame(callback: (time: number) => void): number;

const size = Number(process.env.BENCH_CANVAS_NODES ?? 500);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;

/** The production bundle: raw and gzip sizes of what the first page load fetches, and of the lazy chunks. */
function bundleSizes(): BenchResult[] {
  const assets = join(webDir, 'dist/assets');
  const html = readFileSync(join(webDir, 'dist/index.html'), 'utf8');
  let initial = 0;
  let initialGzip = 0;
  let lazyGzip = 0;
  for (const file of readdirSync(assets)) {
    const bytes = readFileSync(join(assets, file));
    const gzip = gzipSync(bytes, { level: 9 }).length;
    if (html.includes(file)) {
      initial += bytes.length;
      initialGzip += gzip;
    } else lazyGzip += gzip;
  }
  return [
    { name: 'web bundle loaded on first visit (JS + CSS)', figure: `${kb(initialGzip)} gzip (${kb(initial)} raw)`, target: 'report', ok: true },
    { name: 'web bundle loaded later (each page when first opened; elkjs on the first auto-layout)', figure: `${kb(lazyGzip)} gzip`, target: 'report', ok: true },
  ];
}

/**
 * Opens a generated journey of `size` nodes in headless Chromium (production build served by the
 * runtime) and drags one node across the canvas for two seconds, counting animation frames; then
 * the preview of a 200-node journey with 50 scripted events.
 */
export async function builderBench(): Promise<BenchResult[]> {
  const session = await startWebSession();
  const { url, runtime, browser, first } = session;
  try {
    const document = generateJourney(size);
    const journey = await createJourney(runtime.db, first.workspaceId, { name: `${size} nodes`, document });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.request.post(`${url}/api/sessions`, { data: { email: first.ownerEmail, password: first.ownerPassword } });

    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await page.goto(`${url}/journeys/${journey.id}`);
      await page.locator('.react-flow__node').first().waitFor();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      loads.push(performance.now() - start);
    }
    loads.sort((a, b) => a - b);

    // Zoom in so nodes are big enough to grab, then drag one for ~2 s while counting frames.
    const id = await page.locator('.react-flow__node').nth(3).getAttribute('data-id');
    const target = page.locator(`.react-flow__node[data-id="${id}"]`);
    const box = (await target.locator('.wm-node-summary').boundingBox())!;
    await page.evaluate(() => {
      const w = window as unknown as { frames: number[] };
      w.frames = [];
      const tick = (t: number) => {
        w.frames.push(t);
        if (w.frames.length < 100_000) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    const steps = 120;
    const dragStart = performance.now();
    for (let i = 1; i <= steps; i++) {
      await page.mouse.move(box.x + box.width / 2 + i * 3, box.y + box.height / 2 + i * 2);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    const dragMs = performance.now() - dragStart;
    const frames = await page.evaluate(() => (window as unknown as { frames: number[] }).frames);
    const during = frames.filter((t, i) => i > 0 && t - frames[0]! <= dragMs);
    const gaps = during.map((t, i) => t - (i === 0 ? frames[0]! : during[i - 1]!)).sort((a, b) => a - b);
    const fps = (during.length / dragMs) * 1000;
    const worst = gaps.at(-1) ?? 0;
    const moved = await target.locator('.wm-node-summary').boundingBox();
    if (!moved || Math.abs(moved.x - box.x) < 50) throw new Error('the dragged node did not move: the measurement would be of nothing');

    return [
      {
        name: `open a ${size}-node journey (navigation → first node painted, median of 3)`,
        figure: `${Math.round(loads[1]!)} ms (runs: ${loads.map(Math.round).join(', ')} ms)`,
        target: 'report',
        ok: true,
      },
      {
        name: `drag a node on the ${size}-node canvas (${steps} mouse moves over ${(dragMs / 1000).toFixed(1)} s)`,
        figure: `${fps.toFixed(0)} fps (slowest frame ${worst.toFixed(0)} ms)`,
        target: '≥ 30 fps',
        ok: fps >= 30,
      },
      ...(await previewBench(session)),
      ...bundleSizes(),
    ];
  } finally {
    await session.stop();
  }
}
