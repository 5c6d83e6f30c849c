import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRuntime } from '@waymark/runtime';
import { createKey } from '../../runtime/src/services/keys.ts';
import { progress } from '../measure.ts';
import { ingestOverHttp } from './ingest-over-http.ts';

export interface ScaleOutOptions {
  /** A write key of the journey's workspace; a new one is created when absent. */
  writeKey?: string;
  /** The event that enrolls into the end-to-end journey (default `bench_signup`). */
  event?: string;
  /** The journey's send node (default `hello`). */
  sendNode?: string;
  /** Prefix of the userIds and messageIds (default `s`): another call on the same database needs another. */
  prefix?: string;
}

export interface ScaleOutResult {
  perSecond: number;
  seconds: number;
  messages: number;
  duplicates: number;
  missing: number;
  /** Seconds from `go` until the slowest worker process had its runtime up (`seconds` counts from the first one up). */
  startupSeconds: number;
  /** CPU seconds each worker process used from its runtime being up to its stop: each must have worked for the rate to mean several. */
  workerCpuSeconds: number[];
}

/** Waits for the first IPC message of a child that has `key`, or fails if the child exits first. */
function nextMessage(child: ChildProcess, key: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (message && typeof message === 'object' && key in message) {
        cleanup();
        resolve(message as Record<string, unknown>);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`worker process ${child.pid} exited (${code}) before saying ${key}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Asks a child to stop and waits for it to exit; kills it after `timeoutMs`. */
async function stopChild(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (child.connected) child.send('stop');
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Scale-out: `workers` worker processes (each `createRuntime({ role: 'worker' })`, what
 * `WAYMARK_ROLE=worker` runs) against one PostgreSQL. The database must already hold a workspace
 * with the end-to-end journey live (trigger on `bench_signup` → condition → send `hello` → exit).
 * `customers` customers' identify + track calls (userIds `s${i}`, messageIds `si${i}`/`st${i}`; see `prefix`) are
 * ingested first through an API-only runtime with no worker running; then the processes start and
 * the clock runs from the first one up until the journey's `sent` counter has grown by `customers`. Exactly once is then read from the database: messages of that
 * send node per customer (`duplicates`: messages beyond one; `missing`: customers with none).
 */
export async function scaleOut(url: string, customers: number, workers = 2, options: ScaleOutOptions = {}): Promise<ScaleOutResult> {
  const event = options.event ?? 'bench_signup';
  const sendNode = options.sendNode ?? 'hello';
  const p = options.prefix ?? 's';
  const api = await createRuntime({ databaseUrl: url, role: 'api' });
  const children: ChildProcess[] = [];
  try {
    const journeys = await api.sql`
      select id, workspace_id from journeys
      where status = 'live' and draft->'graph'->'nodes' @> ${JSON.stringify([{ type: 'trigger', data: { entry: { kind: 'event', event } } }])}::jsonb
      order by created_at`;
    if (journeys.length !== 1) throw new Error(`scale-out needs exactly one live journey triggered by ${event}; found ${journeys.length}`);
    const { id: journeyId, workspace_id: workspaceId } = journeys[0]! as unknown as { id: string; workspace_id: string };
    const writeKey = options.writeKey ?? (await createKey(api.db, workspaceId, 'write', 'scale-out benchmark')).secret;
    const sentSoFar = async () =>
      Number((await api.sql`select coalesce(sum(count), 0)::bigint as n from node_stats where journey_id = ${journeyId} and node_id = ${sendNode} and metric = 'sent'`)[0]!.n);
    const before = await sentSoFar();

    const calls = Array.from({ length: customers }, (_, i) => [
      { type: 'identify', userId: `${p}${i}`, messageId: `${p}i${i}`, traits: { first_name: `Sam ${i}`, plan: 'pro', email: `${p}${i}@example.com` } },
      { type: 'track', userId: `${p}${i}`, event, messageId: `${p}t${i}`, properties: { source: 'scale-out' } },
    ]).flat();
    await ingestOverHttp(api, writeKey, calls, `scale-out: ingest ${customers} customers`);

    const entry = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
    for (let i = 0; i < workers; i++) children.push(fork(entry, [url], { stdio: ['ignore', 2, 2, 'ipc'] }));
    await Promise.all(children.map((child) => nextMessage(child, 'loaded')));
    const start = performance.now();
    for (const child of children) child.send('go');
    let startupSeconds = 0;
    let firstReady = 0;
    const ready = Promise.all(
      children.map((child) =>
        nextMessage(child, 'ready').then((m) => {
          firstReady ||= performance.now();
          startupSeconds = Math.max(startupSeconds, (performance.now() - start) / 1000);
          return Number(m.cpuSeconds);
        }),
      ),
    );
    const failed = new Promise<never>((_, reject) => {
      for (const child of children) child.once('exit', (code) => reject(new Error(`worker process ${child.pid} exited (${code}) during the run`)));
    });
    failed.catch(() => {});
    const readyCpu = await Promise.race([ready, failed]);
    const label = `scale-out: ${workers} worker processes`;
    for (;;) {
      const done = (await sentSoFar()) - before;
      progress(label, Math.min(done, customers), customers);
      if (done >= customers) break;
      await Promise.race([new Promise((r) => setTimeout(r, 250)), failed]);
    }
    // From the first process up (processing starts there), as the in-process run is timed from its runtime up.
    const seconds = (performance.now() - firstReady) / 1000;
    const cpu = children.map((child) => nextMessage(child, 'stopped').then((m) => Number(m.cpuSeconds)));
    await Promise.all(children.map((child) => stopChild(child)));
    const workerCpuSeconds = (await Promise.all(cpu)).map((seconds, i) => seconds - readyCpu[i]!);

    const [check] = await api.sql`
      with c as (
        select customer_id from customer_identities
        where workspace_id = ${workspaceId} and kind = 'user_id' and value in (select ${p} || i from generate_series(0, ${customers - 1}::int) i)
      ), m as (
        select c.customer_id, count(m.id)::int as n from c
        left join messages m on m.customer_id = c.customer_id and m.journey_id = ${journeyId} and m.node_id = ${sendNode}
        group by c.customer_id
      )
      select coalesce(sum(n), 0)::int as messages,
             coalesce(sum(n - 1) filter (where n > 1), 0)::int as duplicates,
             count(*) filter (where n > 0)::int as reached
      from m`;
    const messages = Number(check!.messages);
    return { perSecond: customers / seconds, seconds, messages, duplicates: Number(check!.duplicates), missing: customers - Number(check!.reached), startupSeconds, workerCpuSeconds };
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await api.stop();
  }
}
