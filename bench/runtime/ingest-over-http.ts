import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Runtime } from '@waymark/runtime';
import { progress } from '../measure.ts';

/** Posts Segment batches of 500 calls to the runtime's `/v1/batch` over real HTTP, four at a time; returns events/s. */
export async function ingestOverHttp(runtime: Runtime, writeKey: string, calls: object[], label: string): Promise<number> {
  const server = serve({ fetch: runtime.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/batch`;
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const batches: object[][] = [];
  for (let i = 0; i < calls.length; i += 500) batches.push(calls.slice(i, i + 500));
  let sent = 0;
  const start = performance.now();
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      const response = await fetch(url, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
      if (response.status !== 200) throw new Error(`ingestion answered ${response.status}: ${await response.text()}`);
      sent += batch.length;
      progress(label, sent, calls.length);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const rate = calls.length / ((performance.now() - start) / 1000);
  await new Promise((r) => server.close(r));
  return rate;
}
