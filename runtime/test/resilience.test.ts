import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { JourneyDocumentInput } from '@waymark/shared';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { freeLocalPort } from '../src/db/free-port.ts';
import { createRuntime } from '../src/runtime.ts';
import { bootstrapWorkspace } from '../src/services/bootstrap.ts';
import { createJourney, publishJourney } from '../src/services/journeys/journey-service.ts';
import { createTestDatabase, eventually } from './support/test-database.ts';

const welcome: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'welcome',
  name: 'Welcome',
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'signed_up' } } },
      { id: 'hello', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Hi {{ customer.id }}', html: '<p>Hi</p>' } } } },
      { id: 'ping', type: 'send', position: { x: 0, y: 200 }, data: { delivery: { mode: 'channel', channel: 'in-app' }, content: { 'in-app': { title: 'Welcome', body: 'Hi' } } } },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'next', target: 'hello' },
      { id: 'b', source: 'hello', sourceHandle: 'next', target: 'ping' },
    ],
  },
};

/** Ingests `count` sign-ups through the HTTP API of an API-only runtime (no workers). */
async function seed(databaseUrl: string, count: number) {
  const api = await createRuntime({ databaseUrl, role: 'api' });
  const first = (await bootstrapWorkspace(api.db))!;
  const journey = await createJourney(api.db, first.workspaceId, { name: 'Welcome', document: welcome });
  await publishJourney(api.db, first.workspaceId, journey.id, 'test');
  const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
  for (let i = 0; i < count; i += 500) {
    const batch = Array.from({ length: Math.min(500, count - i) }, (_, j) => [
      { type: 'identify', userId: `u${i + j}`, messageId: `i${i + j}`, traits: { email: `u${i + j}@example.com` } },
      { type: 'track', userId: `u${i + j}`, event: 'signed_up', messageId: `s${i + j}` },
    ]).flat();
    const response = await api.app.request('/v1/batch', { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
    expect(response.status).toBe(200);
  }
  await api.stop();
}

const counts = async (runtime: Awaited<ReturnType<typeof createRuntime>>) => {
  const [row] = await runtime.db.execute<{ events: number; runs: number; messages: number; sent: number; keys: number }>(sql`
    select (select count(*) from events where id not in (select event_id from event_queue))::int as events,
           (select count(*) from progress)::int as runs,
           (select count(*) from messages)::int as messages,
           (select count(*) from messages where status = 'sent')::int as sent,
           (select count(distinct idempotency_key) from messages)::int as keys`);
  return row!;
};

describe('resilience', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('a worker killed with SIGKILL mid-batch: a second process takes over, nothing lost, nothing doubled', async () => {
    const url = await createTestDatabase();
    const customers = 3_000;
    await seed(url, customers);
    const child = fork(new URL('./support/worker-process.ts', import.meta.url), [url], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await new Promise((resolve) => child.once('message', resolve));
    const observer = await createRuntime({ databaseUrl: url, role: 'api' });
    cleanups.push(() => observer.stop());
    await eventually(async () => (await counts(observer)).events > 0, { everyMs: 5 });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const midway = await counts(observer);
    expect(midway.events).toBeLessThan(customers * 2);

    const successor = await createRuntime({ databaseUrl: url, role: 'worker', pollingIntervalSeconds: 0.5 });
    cleanups.push(() => successor.stop());
    let last = midway;
    const done = await eventually(
      async () => {
        last = await counts(observer);
        return last.sent === customers * 2 && last;
      },
      { timeoutMs: 120_000 },
    ).catch((error) => {
      throw new Error(`${error.message}; last counts ${JSON.stringify(last)}`);
    });
    expect(done).toEqual({ events: customers * 2, runs: customers, messages: customers * 2, sent: customers * 2, keys: customers * 2 });
    const [steps] = await observer.db.execute<{ n: number }>(sql`select count(*)::int as n from steps where reason = 'sent'`);
    expect(steps!.n).toBe(customers * 2);
  }, 240_000);

  it('PostgreSQL restarted mid-run: the runtime reconnects and finishes the work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-restart-'));
    const port = await freeLocalPort();
    let server = await startEmbeddedPostgres(dir, port);
    cleanups.push(async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    await seed(server.url, 1_000);
    const runtime = await createRuntime({ databaseUrl: server.url, role: 'worker', pollingIntervalSeconds: 0.5 });
    cleanups.push(() => runtime.stop());
    await eventually(async () => (await counts(runtime)).events > 0, { everyMs: 5 });
    await server.stop();
    server = await startEmbeddedPostgres(dir, port);
    const done = await eventually(
      async () => {
        try {
          const c = await counts(runtime);
          return c.sent === 2_000 && c;
        } catch {
          return null; // connections are being re-established
        }
      },
      { timeoutMs: 120_000 },
    );
    expect(done).toEqual({ events: 2_000, runs: 1_000, messages: 2_000, sent: 2_000, keys: 2_000 });
  }, 240_000);
});
