import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import { bootstrapWorkspace, createRuntime, type Runtime, freeLocalPort, startEmbeddedPostgres } from '@waymark/runtime';

export const webDir = fileURLToPath(new URL('../../web/', import.meta.url));

export interface WebSession {
  url: string;
  runtime: Runtime;
  browser: Browser;
  first: NonNullable<Awaited<ReturnType<typeof bootstrapWorkspace>>>;
  stop(): Promise<void>;
}

/** The production build served by a runtime on its own embedded PostgreSQL, with a first workspace, and headless Chromium. */
export async function startWebSession(): Promise<WebSession> {
  execFileSync(process.execPath, [`${webDir}node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-web-'));
  const pg = await startEmbeddedPostgres(dir, await freeLocalPort());
  const runtime = await createRuntime({ databaseUrl: pg.url, role: 'api', webRoot: join(webDir, 'dist') });
  const server = serve({ fetch: runtime.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const first = (await bootstrapWorkspace(runtime.db))!;
  return {
    url,
    runtime,
    browser,
    first,
    async stop() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await runtime.stop();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
