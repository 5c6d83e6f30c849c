import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serveApp } from '../../src/http/serve-app.ts';
import { chromium, type Browser } from 'playwright-core';
import { createRuntime } from '../../src/runtime.ts';
import { bootstrapWorkspace } from '../../src/services/bootstrap.ts';
import { createTestDatabase } from './test-database.ts';

const webDir = fileURLToPath(new URL('../../../web/', import.meta.url));
/** Screenshots of browser tests, kept as CI artifacts. */
export const artifactsDir = fileURLToPath(new URL('../../../.artifacts/', import.meta.url));

/**
 * Builds the web app (production build, as `pnpm start` serves it) into a folder of its own, so
 * browser test files running side by side never serve each other's half-written build.
 */
export function buildWeb() {
  const outDir = mkdtempSync(join(tmpdir(), 'waymark-web-'));
  execFileSync(process.execPath, [`${webDir}node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { cwd: webDir, stdio: 'inherit' });
  // Then the browser script and its service worker (/sdk.js, /waymark-sw.js), as `pnpm --filter web build` does.
  execFileSync(process.execPath, [`${webDir}node_modules/vite/bin/vite.js`, 'build', '--config', 'vite.sdk.config.ts', '--logLevel', 'warn', '--outDir', outDir], { cwd: webDir, stdio: 'inherit' });
  return outDir;
}

/** Serves a runtime's app on a real port, as `pnpm start` does. */
export async function listen(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const server = serveApp(app.fetch, { port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Debian's Chromium, headless, driven by playwright-core (`.ci/ensure-chromium.sh` installs it);
 * its shared memory in /tmp, not /dev/shm, which is small in many containers and which
 * PostgreSQL needs to start.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`Chromium is not installed at ${executablePath}: run "sudo apt-get install chromium" (npm test does it when run as root).`);
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A production build served by a runtime on its own database, with a first workspace, and a page
 * in headless Chromium at `viewport`; `violations` collects what the Content-Security-Policy blocked.
 */
export async function startBrowserSession(viewport: { width: number; height: number }) {
  const webRoot = buildWeb();
  const runtime = await createRuntime({ databaseUrl: await createTestDatabase(), webRoot, pollingIntervalSeconds: 0.5 });
  const first = (await bootstrapWorkspace(runtime.db))!;
  const server = await listen(runtime.app);
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport })).newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return {
    runtime,
    first,
    server,
    browser,
    page,
    violations,
    async stop() {
      await browser.close();
      await server.close();
      await runtime.stop();
      rmSync(webRoot, { recursive: true, force: true });
    },
  };
}
