import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from './support/test-runtime.ts';

describe('the web app on the API port', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let bare: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    const dist = mkdtempSync(join(tmpdir(), 'waymark-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'app-3f2a.js'), 'console.log(1)');
    rt = await startTestRuntime(undefined, { webRoot: dist });
    bare = await startTestRuntime(undefined, { webRoot: join(dist, 'missing') });
  });
  afterAll(async () => {
    await rt?.stop();
    await bare?.stop();
  });

  it("serves the build: files, hashed assets cached for a year, index.html for the app's own routes", async () => {
    const index = await rt.app.request('/');
    expect([index.status, await index.text()]).toEqual([200, '<!doctype html><div id="root"></div>']);
    const asset = await rt.app.request('/assets/app-3f2a.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const deep = await rt.app.request('/journeys/abc/edit');
    expect([deep.status, await deep.text()]).toEqual([200, '<!doctype html><div id="root"></div>']);
  });

  it('leaves the API paths alone: an unknown API route is still a JSON error, never the app', async () => {
    for (const [path, status] of [
      ['/api/nope', 401],
      ['/v1/nope', 401],
      ['/t/x', 404],
    ] as const) {
      const response = await rt.app.request(path);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type'), path).toContain('application/json');
    }
    expect((await rt.app.request('/health')).status).toBe(200);
  });

  it('without a build, / says how to build the builder', async () => {
    const page = await bare.app.request('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('pnpm --filter @waymark/web build');
  });
});
