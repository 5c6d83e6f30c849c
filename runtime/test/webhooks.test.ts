import { createServer, type IncomingMessage, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '@waymark/examples';
import type { JourneyDocumentInput } from '@waymark/shared';
import { messages, steps } from '../src/db/schema.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/** A real HTTP server on loopback that answers with the scripted statuses, in order. */
async function webhookReceiver() {
  const received: { path: string; headers: IncomingMessage['headers']; body: unknown }[] = [];
  const script = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body: data ? JSON.parse(data) : null });
      const statuses = script.get(req.url!) ?? [];
      res.statusCode = statuses.length ? statuses.shift()! : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, received, script, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('webhook delivery', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let journeyId: string;

  beforeAll(async () => {
    rt = await startTestRuntime();
    hooks = await webhookReceiver();
    const template = examples.find((e) => e.id === 'order-shipped-webhook')!.document;
    const document = JSON.parse(JSON.stringify(template).replace('https://crm.example.test/api/shipments', `${hooks.url}/shipments/{{ event.orderId }}`)) as JourneyDocumentInput;
    journeyId = (await rt.publish(document)).id;
  });
  afterAll(async () => {
    await rt?.stop();
    await hooks?.close();
  });

  const ship = (userId: string, orderId: string) =>
    rt.ingest('track', { userId, event: 'order_shipped', messageId: `ship-${orderId}`, properties: { orderId, carrier: 'UPS', trackingUrl: `https://ups.test/${orderId}` } });
  const messageFor = (orderId: string) =>
    rt.eventually(async () =>
      (await rt.db.select().from(messages).where(eq(messages.journeyId, journeyId))).find(
        (m) => m.channel === 'webhook' && (m.content as { url: string }).url.endsWith(orderId) && ['sent', 'failed'].includes(m.status),
      ),
    );

  it('posts the rendered JSON to a real HTTP server, exactly once', async () => {
    await rt.ingest('identify', { userId: 'ola', messageId: 'ola', traits: { phone: '+15550000001', consent: { sms: 'opted-in' } } });
    await ship('ola', 'o-1');
    const message = await messageFor('o-1');
    expect(message).toMatchObject({ status: 'sent', attempts: 1 });
    const calls = hooks.received.filter((r) => r.path === '/shipments/o-1');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toEqual({ customerId: 'ola', orderId: 'o-1', carrier: 'UPS' });
    expect(calls[0]!.headers['x-customer']).toBe('ola');
    expect(calls[0]!.headers['waymark-message-id']).toBe(message.id);
  });

  it('retries 5xx with backoff until it succeeds', async () => {
    hooks.script.set('/shipments/o-2', [500, 503]);
    await ship('ola', 'o-2');
    const message = await messageFor('o-2');
    expect(message).toMatchObject({ status: 'sent', attempts: 3 });
    expect(hooks.received.filter((r) => r.path === '/shipments/o-2')).toHaveLength(3);
  });

  it('a 4xx fails for good: recorded on the message and as a step', async () => {
    hooks.script.set('/shipments/o-3', [404]);
    await ship('ola', 'o-3');
    const message = await messageFor('o-3');
    expect(message).toMatchObject({ status: 'failed', attempts: 1, error: 'webhook answered 404 Not Found' });
    const failed = await rt.db.select().from(steps).where(eq(steps.progressId, message.progressId));
    expect(failed.map((s) => s.reason)).toContain('delivery-failed');
    expect(hooks.received.filter((r) => r.path === '/shipments/o-3')).toHaveLength(1);
  });
});
