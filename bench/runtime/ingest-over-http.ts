import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Runtime } from '@waymark/runtime';
import { progress } from '../measure.ts';

/** Segment batch bodies of 500 calls each, serialized ahead, so what is timed is the server's work, not the client's JSON. */
export function batchBodies(calls: object[]): { bodies: string[]; calls: number } {
  const bodies: string[] = [];
  for (let i = 0; i < calls.length; i += 500) bodies.push(JSON.stringify({ batch: calls.slice(i, i + 500) }));
  return { bodies, calls: calls.length };
}

/** Posts prepared batch bodies to the runtime's `/v1/batch` over real HTTP, four at a time. */
export async function postBatches(runtime: Runtime, writeKey: string, prepared: { bodies: string[]; calls: number }, label: string): Promise<void> {
  const server = serve({ fetch: runtime.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/batch`;
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const bodies = [...prepared.bodies];
  let sent = 0;
  const worker = async () => {
    for (let body = bodies.shift(); body; body = bodies.shift()) {
      const response = await fetch(url, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body });
      if (response.status !== 200) throw new Error(`ingestion answered ${response.status}: ${await response.text()}`);
      sent = Math.min(prepared.calls, sent + 500);
      progress(label, sent, prepared.calls);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await new Promise((r) => server.close(r));
}

/** Posts Segment batches of 500 calls to the runtime's `/v1/batch` over real HTTP, four at a time; returns events/s (serializing the bodies and starting the server included). */
export async function ingestOverHttp(runtime: Runtime, writeKey: string, calls: object[], label: string): Promise<number> {
  const start = performance.now();
  await postBatches(runtime, writeKey, batchBodies(calls), label);
  return calls.length / ((performance.now() - start) / 1000);
}
