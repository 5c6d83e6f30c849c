import { asc, eq } from 'drizzle-orm';
import { TestClock } from 'pg-boss';
import { createRuntime, type RuntimeOptions } from '../../src/runtime.ts';
import { bootstrapWorkspace } from '../../src/services/bootstrap.ts';
import { createJourney, publishJourney } from '../../src/services/journeys/journey-service.ts';
import { messages, progress, steps, workspaces } from '../../src/db/schema.ts';
import type { JourneyDocumentInput } from '@waymark/shared';
import { createTestDatabase, eventually } from './test-database.ts';

/** Calls the management API with fixed auth headers; returns status and parsed JSON. */
function apiCaller(app: { request(path: string, init?: RequestInit): Response | Promise<Response> }, headers: Record<string, string>) {
  return async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const response = await app.request(path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
  };
}

/** A runtime on its own database with a test clock, a workspace and its write key. */
export async function startTestRuntime(start = '2026-11-25T10:00:00Z', options: Partial<RuntimeOptions> & { allowPrivateNetworks?: boolean } = {}) {
  const url = await createTestDatabase();
  const clock = new TestClock(start);
  const runtime = await createRuntime({ databaseUrl: url, clock, pollingIntervalSeconds: 0.5, ...options });
  const first = (await bootstrapWorkspace(runtime.db))!;
  // The tests' webhook receivers listen on 127.0.0.1, which workspaces refuse by default.
  if (options.allowPrivateNetworks !== false)
    await runtime.db
      .update(workspaces)
      .set({ settings: { allowPrivateNetworks: true } })
      .where(eq(workspaces.id, first.workspaceId));
  const auth = `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`;
  return {
    ...runtime,
    url,
    clock,
    workspaceId: first.workspaceId,
    writeKey: first.writeKey,
    owner: { email: first.ownerEmail, password: first.ownerPassword },
    /** Signs in and returns a fetch-like caller carrying the session cookie. */
    async signIn(email = first.ownerEmail, password = first.ownerPassword) {
      const response = await runtime.app.request('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      if (response.status !== 200) throw new Error(`sign-in failed: ${response.status}`);
      const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
      return apiCaller(runtime.app, { cookie });
    },
    asToken(token: string) {
      return apiCaller(runtime.app, { authorization: `Bearer ${token}` });
    },
    /** POSTs to the ingestion API with the write key. */
    ingest(path: string, body: unknown, headers: Record<string, string> = {}) {
      return runtime.app.request(`/v1/${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    },
    async publish(document: JourneyDocumentInput) {
      const journey = await createJourney(runtime.db, first.workspaceId, { name: document.name, document });
      const { version } = await publishJourney(runtime.db, first.workspaceId, journey.id, 'test');
      return { id: journey.id, version };
    },
    /** Waits for workers: the test clock only lets pg-boss poll when it ticks, so tick between checks. */
    async eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
      return eventually(
        async () => {
          const value = await check();
          if (!value) await clock.tick(500);
          return value;
        },
        { timeoutMs },
      );
    },
    /** Moves the clock forward and lets pg-boss poll once at the new time. */
    async advance(ms: number) {
      await clock.setTime(clock.now() + ms);
      await clock.tick(1_000);
    },
    async runsOf(journeyId: string) {
      return runtime.db.select().from(progress).where(eq(progress.journeyId, journeyId));
    },
    async stepsOf(progressId: string) {
      const rows = await runtime.db.select().from(steps).where(eq(steps.progressId, progressId)).orderBy(asc(steps.id));
      return rows.map((s) => [s.nodeId, s.handle, s.reason]);
    },
    async messagesOf(journeyId: string) {
      return runtime.db.select().from(messages).where(eq(messages.journeyId, journeyId)).orderBy(asc(messages.createdAt));
    },
  };
}
