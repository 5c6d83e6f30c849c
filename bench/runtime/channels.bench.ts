import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JourneyDocumentInput, ProviderInput } from '@waymark/shared';
import { bootstrapWorkspace, createJourney, createRuntime, publishJourney, type Runtime, saveProvider, freeLocalPort, startEmbeddedPostgres } from '@waymark/runtime';
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type BenchResult, progress } from '../measure.ts';

const messagesPerRun = Number(process.env.BENCH_CHANNEL_MESSAGES ?? 5_000);
const limitedMessages = Number(process.env.BENCH_LIMITED_MESSAGES ?? 1_500);
const emailLimit = 200;
const pool = Number(process.env.BENCH_SMTP_POOL ?? 5);
const smsLimit = 100;

/** trigger → send on one channel */
const sendOn = (channel: 'email' | 'sms', event: string): JourneyDocumentInput => ({
  schemaVersion: 1,
  id: `bench-${event}`,
  name: `Bench: ${event}`,
  graph: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event } } },
      {
        id: 'send',
        type: 'send',
        position: { x: 0, y: 100 },
        data: {
          delivery: { mode: 'channel', channel },
          content:
            channel === 'email'
              ? { email: { subject: 'Your order, {{ customer.first_name }}', html: '<p>Hello {{ customer.first_name }}, <a href="https://shop.example/orders">see your order</a>.</p>' } }
              : { sms: { text: 'Hi {{ customer.first_name }}, your order has shipped.' } },
        },
      },
    ],
    edges: [{ id: 'a', source: 'trigger', sourceHandle: 'next', target: 'send' }],
  },
});

/** A peer (`smtp` or `twilio`) in its own process, as a real server would be: its address, its counters, stop. */
async function startPeer(kind: 'smtp' | 'twilio') {
  const child: ChildProcess = fork(fileURLToPath(new URL('./peer-process.ts', import.meta.url)), [kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise<Record<string, number | string>>((resolve) => child.once('message', (m) => resolve(m as Record<string, number | string>)));
  const address = await next();
  return {
    address,
    async stats() {
      const answer = next();
      child.send('stats');
      return answer;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    },
  };
}

/**
 * Delivery through real peers on loopback, each in a process of its own: email to a local SMTP server (smtp-server) over
 * nodemailer's pool, SMS to a local Twilio-compatible API, each with the provider's rate limit
 * off and on. Each run ingests its customers and measures from the first call to the last
 * message sent, so it is the whole path (enrollment, send step, delivery); the same journey
 * delivered to the sandbox, in the same run, is the baseline the ratios are taken against.
 */
export async function channelsBench(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-channels-'));
  const pg = await startEmbeddedPostgres(dir, await freeLocalPort());
  const smtp = await startPeer('smtp');
  const twilio = await startPeer('twilio');
  const results: BenchResult[] = [];
  let runtime: Runtime | undefined;
  try {
    runtime = await createRuntime({ databaseUrl: pg.url, role: 'all', publicUrl: 'http://127.0.0.1:3000' });
    const first = (await bootstrapWorkspace(runtime.db))!;
    const ws = first.workspaceId;
    // The local peers listen on 127.0.0.1, which workspaces refuse by default.
    await runtime.sql`update workspaces set settings = settings || '{"allowPrivateNetworks": true}'::jsonb where id = ${ws}`;
    const connect = (channel: string, input: ProviderInput) => saveProvider(runtime!.db, runtime!.box, ws, channel, input, 'bench', Date.now());
    const smtpProvider = (ratePerSecond?: number): ProviderInput => ({
      kind: 'smtp',
      settings: {
        host: '127.0.0.1',
        port: Number(smtp.address.port),
        tls: 'none',
        fromAddress: 'bench@waymark.example',
        fromName: 'Bench',
        maxConnections: pool,
        ...(ratePerSecond ? { ratePerSecond } : {}),
      },
    });
    const smsProvider = (ratePerSecond?: number): ProviderInput => ({
      kind: 'twilio',
      settings: { accountSid: 'ACbench', fromNumber: '+15005550006', baseUrl: String(twilio.address.url), ...(ratePerSecond ? { ratePerSecond } : {}) },
      secrets: { authToken: 'bench-token-0000' },
    });
    let seq = 0;
    const run = async (label: string, channel: 'email' | 'sms', count: number) => {
      const event = `bench_${channel}_${seq++}`;
      const journey = await createJourney(runtime!.db, ws, { name: `Bench: ${event}`, document: sendOn(channel, event) });
      await publishJourney(runtime!.db, ws, journey.id, 'bench');
      const calls = Array.from({ length: count }, (_, i) => [
        {
          type: 'identify',
          userId: `${event}-${i}`,
          messageId: `${event}-id-${i}`,
          traits: { first_name: `Ada ${i}`, email: `c${i}@example.com`, phone: `+1555${String(1_000_000 + i).slice(-7)}`, consent: { sms: 'opted-in' } },
        },
        { type: 'track', userId: `${event}-${i}`, event, messageId: `${event}-t-${i}` },
      ]).flat();
      const start = performance.now();
      for (let i = 0; i < calls.length; i += 500) {
        const response = await runtime!.app.request('/v1/batch', {
          method: 'POST',
          headers: { authorization: `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
          body: JSON.stringify({ batch: calls.slice(i, i + 500) }),
        });
        if (response.status !== 200) throw new Error(`ingestion answered ${response.status}`);
      }
      for (;;) {
        const [row] = await runtime!
          .sql`select count(*) filter (where status in ('sent', 'delivered'))::int as sent, count(*) filter (where status = 'failed')::int as failed from messages where journey_id = ${journey.id}`;
        progress(label, Math.min(row!.sent + row!.failed, count), count);
        if (row!.failed) throw new Error(`${row!.failed} ${channel} messages failed`);
        if (row!.sent >= count) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return count / ((performance.now() - start) / 1000);
    };
    const fmt = (rate: number) => `${Math.round(rate).toLocaleString('en')} messages/s`;

    const sandbox = await run('email to the sandbox', 'email', messagesPerRun);
    results.push({ name: `${messagesPerRun.toLocaleString('en')} emails, sandbox (baseline: the same path, nothing sent)`, figure: fmt(sandbox), target: 'baseline', ok: true });

    await connect('email', smtpProvider());
    const before = Number((await smtp.stats()).connections);
    const pooled = await run('email over SMTP', 'email', messagesPerRun);
    const opened = Number((await smtp.stats()).connections) - before;
    results.push({
      name: `${messagesPerRun.toLocaleString('en')} emails over SMTP to a local smtp-server, pool of ${pool}, no rate limit`,
      figure: `${fmt(pooled)} (${Math.round((pooled / sandbox) * 100)}% of the sandbox; ${opened} SMTP connections)`,
      target: 'report',
      ok: true,
    });
    await connect('email', smtpProvider(emailLimit));
    const limitedMail = await run('email over SMTP, rate limited', 'email', limitedMessages);
    results.push({
      name: `${limitedMessages.toLocaleString('en')} emails over SMTP, limit ${emailLimit}/s`,
      figure: fmt(limitedMail),
      target: `≤ ${emailLimit}/s and ≥ 80% of it`,
      ok: limitedMail <= emailLimit * 1.02 && limitedMail >= emailLimit * 0.8,
    });

    const smsSandbox = await run('SMS to the sandbox', 'sms', messagesPerRun);
    results.push({ name: `${messagesPerRun.toLocaleString('en')} SMS, sandbox (baseline)`, figure: fmt(smsSandbox), target: 'baseline', ok: true });
    await connect('sms', smsProvider());
    const sms = await run('SMS over HTTP', 'sms', messagesPerRun);
    results.push({
      name: `${messagesPerRun.toLocaleString('en')} SMS to a local Twilio-compatible API, no rate limit`,
      figure: `${fmt(sms)} (${Math.round((sms / smsSandbox) * 100)}% of the sandbox)`,
      target: 'report',
      ok: true,
    });
    await connect('sms', smsProvider(smsLimit));
    const limitedSms = await run('SMS over HTTP, rate limited', 'sms', limitedMessages);
    results.push({
      name: `${limitedMessages.toLocaleString('en')} SMS, limit ${smsLimit}/s`,
      figure: fmt(limitedSms),
      target: `≤ ${smsLimit}/s and ≥ 80% of it`,
      ok: limitedSms <= smsLimit * 1.02 && limitedSms >= smsLimit * 0.8,
    });
  } finally {
    await runtime?.stop();
    await smtp.stop();
    await twilio.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
