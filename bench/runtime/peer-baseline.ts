import { createRequire } from 'node:module';
import { PgBoss } from 'pg-boss';
import type { Runtime } from '@waymark/runtime';
import { progress } from '../measure.ts';

type Sql = Runtime['sql'];
type Tx = Parameters<Parameters<Sql['begin']>[1]>[0];

/**
 * postgres.js, the runtime's own client (with its patch), resolved from the runtime package: the
 * bench package does not depend on it directly.
 */
export const postgres = createRequire(import.meta.resolve('@waymark/runtime'))('postgres') as (url: string, options?: { max?: number; onnotice?: () => void }) => Sql;

/** pg-boss statements run on a postgres.js transaction, so a handler's writes and its next job commit together. */
const inTx = (tx: Tx) => ({ db: { executeSql: async (text: string, values?: unknown[]) => ({ rows: await tx.unsafe(text, values as never[]) }) } });

const queues = { enter: 'peer-enter', condition: 'peer-condition', send: 'peer-send', deliver: 'peer-deliver' } as const;

interface PeerJob {
  customerId?: string;
  runId?: string;
  messageId?: string;
}

export interface PeerOptions {
  /**
   * How a worker handles the batch pg-boss hands it: `batch` (default) writes the whole batch
   * set-based in one transaction with its next jobs, as a tuned queue-based engine would (pg-boss
   * retries the whole batch on a throw anyway); `job` gives every job its own transaction, run
   * concurrently within the batch, as per-customer workflow engines do.
   */
  mode?: 'batch' | 'job';
  /** Jobs pg-boss hands a worker at once (default 100). */
  batchSize?: number;
}

/**
 * The peers' design (Dittofeed-style per-customer workflows, most queue-based journey engines):
 * every customer step is its own pg-boss job. The same journey as the end-to-end benchmark —
 * enter → condition (plan = 'pro') → send (render a template, queue the message) → deliver (mark
 * it sent, complete the run) — in plain tables of schema `peer` and pg-boss schema `pgboss_peer`;
 * each handler's writes and its next job commit in one transaction. Customers are seeded and
 * their `enter` jobs queued before the clock starts (as the end-to-end benchmark's events are
 * stored before it); timed until every message is sent. Checks exactly once (one message per
 * customer, every run completed) and throws if not.
 */
export async function peerBaseline(url: string, customers: number, options: PeerOptions = {}): Promise<{ perSecond: number; seconds: number }> {
  const mode = options.mode ?? 'batch';
  const batchSize = options.batchSize ?? 100;
  const sql = postgres(url, { max: 20, onnotice: () => {} });
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss_peer' });
  boss.on('error', () => {});
  try {
    await sql.unsafe(`
      drop schema if exists peer cascade;
      create schema peer;
      create table peer.customers (id text primary key, traits jsonb not null);
      create table peer.runs (id bigserial primary key, customer_id text not null, node text not null, status text not null);
      create table peer.steps (id bigserial primary key, run_id bigint not null, node text not null, at timestamptz not null default now());
      create index steps_run on peer.steps (run_id, id);
      create table peer.messages (id bigserial primary key, customer_id text not null, content jsonb not null, status text not null);
      create index messages_customer on peer.messages (customer_id);`);
    await sql`insert into peer.customers select 'p' || i, jsonb_build_object('plan', 'pro', 'first_name', 'Ada ' || i) from generate_series(0, ${customers - 1}::int) i`;
    await boss.start();
    for (const name of Object.values(queues)) {
      await boss.deleteQueue(name).catch(() => {});
      await boss.createQueue(name);
    }
    for (let i = 0; i < customers; i += 5_000)
      await boss.insert(
        queues.enter,
        Array.from({ length: Math.min(5_000, customers - i) }, (_, j) => ({ data: { customerId: `p${i + j}` } })),
      );

    /** Each handler: its writes for some jobs and the jobs of the next step, in the transaction `tx`. */
    const handlers: Record<keyof typeof queues, (tx: Tx, jobs: PeerJob[]) => Promise<void>> = {
      async enter(tx, jobs) {
        const runs = await tx.unsafe(
          `with r as (insert into peer.runs (customer_id, node, status) select c, 'trigger', 'active' from unnest($1::text[]) c returning id, customer_id),
           s as (insert into peer.steps (run_id, node) select id, 'trigger' from r)
           select id::text, customer_id from r`,
          [jobs.map((j) => j.customerId!)],
        );
        await boss.insert(
          queues.condition,
          runs.map((r) => ({ data: { runId: r.id, customerId: r.customer_id } })),
          inTx(tx),
        );
      },
      async condition(tx, jobs) {
        const runs = await tx.unsafe(
          `with c as (select r.id, coalesce(c.traits->>'plan' = 'pro', false) as pro from unnest($1::bigint[]) x(id) join peer.runs r on r.id = x.id join peer.customers c on c.id = r.customer_id),
           u as (update peer.runs r set node = case when c.pro then 'is-pro' else 'not-pro' end, status = case when c.pro then r.status else 'completed' end from c where r.id = c.id),
           s as (insert into peer.steps (run_id, node) select id, 'is-pro' from c)
           select id::text, pro from c`,
          [jobs.map((j) => j.runId!)],
        );
        const byRun = new Map(jobs.map((j) => [j.runId!, j.customerId!]));
        const pro = runs.filter((r) => r.pro);
        if (pro.length)
          await boss.insert(
            queues.send,
            pro.map((r) => ({ data: { runId: r.id, customerId: byRun.get(r.id) } })),
            inTx(tx),
          );
      },
      async send(tx, jobs) {
        const traits = await tx.unsafe(`select id, traits from peer.customers where id = any($1::text[])`, [jobs.map((j) => j.customerId!)]);
        const byCustomer = new Map(traits.map((c) => [c.id as string, c.traits as Record<string, string>]));
        const contents = jobs.map((j) => {
          const t = byCustomer.get(j.customerId!) ?? {};
          return JSON.stringify({ title: `Welcome ${t.first_name ?? ''}`, body: `Your plan: ${t.plan ?? ''}` });
        });
        const messages = await tx.unsafe(
          `with m as (insert into peer.messages (customer_id, content, status) select c, content::jsonb, 'queued' from unnest($1::text[], $2::text[]) x(c, content) returning id, customer_id),
           u as (update peer.runs set node = 'hello' where id = any($3::bigint[])),
           s as (insert into peer.steps (run_id, node) select unnest($3::bigint[]), 'hello')
           select id::text, customer_id from m`,
          [jobs.map((j) => j.customerId!), contents, jobs.map((j) => j.runId!)],
        );
        const runOf = new Map(jobs.map((j) => [j.customerId!, j.runId!]));
        await boss.insert(
          queues.deliver,
          messages.map((m) => ({ data: { runId: runOf.get(m.customer_id), messageId: m.id } })),
          inTx(tx),
        );
      },
      async deliver(tx, jobs) {
        await tx.unsafe(
          `with m as (update peer.messages set status = 'sent' where id = any($1::bigint[]) and status = 'queued'),
           u as (update peer.runs set node = 'done', status = 'completed' where id = any($2::bigint[])),
           s as (insert into peer.steps (run_id, node) select unnest($2::bigint[]), 'done')
           select 1`,
          [jobs.map((j) => j.messageId!), jobs.map((j) => j.runId!)],
        );
      },
    };

    let sent = 0;
    const start = performance.now();
    for (const name of Object.keys(queues) as (keyof typeof queues)[]) {
      await boss.work<PeerJob>(queues[name], { batchSize, burstWhenBatchFull: true, localConcurrency: 2, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        const data = jobs.map((j) => j.data);
        if (mode === 'batch') await sql.begin((tx) => handlers[name](tx, data));
        else await Promise.all(data.map((job) => sql.begin((tx) => handlers[name](tx, [job]))));
        if (name === 'deliver') sent += jobs.length;
      });
    }
    for (;;) {
      progress(`peer baseline (one pg-boss job per step, ${mode})`, Math.min(sent, customers), customers);
      if (sent >= customers) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - start) / 1000;

    const [check] = await sql.unsafe(`
      select (select count(*) from peer.customers c where not exists (select 1 from peer.messages m where m.customer_id = c.id and m.status = 'sent'))::int as missing,
             (select coalesce(sum(n - 1), 0) from (select count(*) as n from peer.messages group by customer_id having count(*) > 1) d)::int as duplicates,
             (select count(*) from peer.runs where status <> 'completed')::int as open,
             (select count(*) from peer.runs)::int as runs,
             (select count(*) from peer.steps)::int as steps`);
    if (check!.missing || check!.duplicates || check!.open || check!.runs !== customers || check!.steps !== customers * 4)
      throw new Error(`peer baseline is not exactly once: ${JSON.stringify(check)}`);
    return { perSecond: customers / seconds, seconds };
  } finally {
    await boss.stop({ graceful: true, timeout: 10_000 });
    await sql.end({ timeout: 5 });
  }
}
