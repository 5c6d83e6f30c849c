import type { AddressInfo } from 'node:net';
import { serveApp } from '../src/http/serve-app.ts';
import type { JourneyDocumentInput } from '@waymark/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steps } from '../src/db/schema.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/** Nested loops 60 × 60 × 60 × 60: twelve million iterations if nothing stopped them. */
const bomb = '{% for a in (1..60) %}{% for b in (1..60) %}{% for c in (1..60) %}{% for d in (1..60) %}x{% endfor %}{% endfor %}{% endfor %}{% endfor %}';

const bombing: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'bomb',
  name: 'Loop bomb',
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Bomb' } } },
      { id: 'send', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: bomb, html: '<p>hi</p>' } } } },
    ],
    edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'send' }],
  },
};

describe('a runaway template (SPEC L2) delays nobody', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let server: ReturnType<typeof serveApp>;
  let url: string;
  beforeAll(async () => {
    rt = await startTestRuntime();
    server = serveApp(rt.app.fetch, { port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await rt?.stop();
  });

  const health = async () => {
    const started = performance.now();
    const response = await fetch(`${url}/health`);
    await response.text();
    return performance.now() - started;
  };

  // No fixed threshold (machines differ): the slowest /health answer is compared with the whole
  // bombing (at least 2 s of bounded renders); a blocked event loop would make them about equal.
  it('renders the loop bomb for 200 customers as "too expensive" skips while /health keeps answering between renders', async () => {
    const { id: journeyId } = await rt.publish(bombing);
    const auth = `Basic ${Buffer.from(`${rt.writeKey}:`).toString('base64')}`;
    const batch = Array.from({ length: 200 }, (_, i) => [
      { type: 'identify', userId: `b${i}`, traits: { email: `b${i}@example.com` } },
      { type: 'track', userId: `b${i}`, event: 'Bomb', messageId: `bomb-${i}` },
    ]).flat();
    expect((await fetch(`${url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) })).status).toBe(200);

    const during: number[] = [];
    const start = performance.now();
    let skipped = 0;
    while (skipped < 200) {
      during.push(await health());
      skipped = (await rt.db.select({ reason: steps.reason }).from(steps).where(eq(steps.journeyId, journeyId))).filter((s) => s.reason === 'skipped:template-error').length;
    }
    const [step] = await rt.db.select().from(steps).where(eq(steps.reason, 'skipped:template-error')).limit(1);
    expect(step!.detail).toContain('too expensive: more than 5,000 loop iterations');
    expect(await rt.messagesOf(journeyId)).toEqual([]);
    const whole = performance.now() - start;
    expect(Math.max(...during)).toBeLessThan(whole / 4);
  });
});
