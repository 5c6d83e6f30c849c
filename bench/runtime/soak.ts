import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { JourneyDocumentInput } from '@waymark/shared';
import { bootstrapWorkspace, createJourney, createRuntime, publishJourney, type Runtime } from '@waymark/runtime';
import { createKey } from '../../runtime/src/services/keys.ts';
import { dateWaitJourney, endToEndJourney } from './bench-journeys.ts';

/** The end-to-end journey's shape (trigger → condition → send (sandbox) → exit) on an event of its own. */
const signupJourney = endToEndJourney('soak-signup', 'Soak: trigger → condition → send → exit', 'soak_signup');

/**
 * trigger → wait → exit, the wait until the event's `due_at` (sent 30 s ahead): a duration wait
 * counts in whole minutes at least, too long for a soak of a minute or two.
 */
const waitJourney = dateWaitJourney('soak-wait', 'Soak: 30 s wait', 'soak_wait');

const waitSeconds = 30;

/** Tables that take every customer's writes, and pg-boss's shared job table. */
const hotTables = ['progress', 'run_steps', 'send_outcomes', 'messages', 'events', 'event_queue', 'node_stats', 'customers', 'customer_identities', 'pgboss.job_common'] as const;

export interface TableSample {
  bytes: number;
  live: number;
  dead: number;
  /** Autovacuum runs on the table so far (pg_stat_user_tables.autovacuum_count). */
  autovacuums: number;
}

export interface Sample {
  /** Seconds since the load started. */
  at: number;
  /** Customers posted so far (each: identify, signup, wait). */
  customers: number;
  rssMiB: number;
  heapMiB: number;
  /** Waits fired since the previous sample; lag = when the run left the wait − its exact due time (from the step), in seconds. */
  lag: { fired: number; p50: number | null; p99: number | null; max: number | null };
  /** Waits due more than 5 s ago and not fired yet. */
  overdueTimers: number;
  /** Events stored and not yet processed (`event_queue`). */
  eventBacklog: number;
  tables: Record<string, TableSample>;
  /** Every table of pg-boss's schema together. */
  pgbossBytes: number;
  /** pg-boss jobs by state (all queues). */
  jobs: Record<string, number>;
}

export interface SoakBound {
  name: string;
  bound: string;
  observed: string;
  ok: boolean;
}

export interface SoakReport {
  minutes: number;
  /** New customers per second (three calls each: identify, a signup into the end-to-end shape, a 30 s wait). */
  perSecond: number;
  customers: number;
  /** Seconds after the load stopped until every signup had its message and every wait had fired. */
  drainSeconds: number;
  /** After the drain: signups without exactly one message, waits not exited. */
  incomplete: { messagesMissing: number; messagesDuplicated: number; waitsOpen: number };
  samples: Sample[];
  /** The sample the growth bounds start from (after warm-up). */
  warm: Sample;
  first: Sample;
  last: Sample;
  max: { rssMiB: number; lagP99: number | null; lagMax: number | null; eventBacklog: number; overdueTimers: number; dead: Record<string, number> };
  /** pg-boss jobs created during the soak, per customer. */
  jobsPerCustomer: number;
  bounds: SoakBound[];
}

export interface SoakOptions {
  /** New customers per second (default 100: 300 calls/s). */
  perSecond?: number;
  /** Seconds between samples (default 15). */
  sampleSeconds?: number;
}

const mib = (bytes: number) => bytes / 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** A live journey with this name, or a new one from `document`, published. */
async function liveJourney(rt: Runtime, workspaceId: string, document: JourneyDocumentInput): Promise<string> {
  const [existing] = await rt.sql`select id from journeys where workspace_id = ${workspaceId} and name = ${document.name} and status = 'live'`;
  if (existing) return existing.id as string;
  const journey = await createJourney(rt.db, workspaceId, { name: document.name, document });
  await publishJourney(rt.db, workspaceId, journey.id, 'bench');
  return journey.id;
}

/**
 * Soak: a runtime (role `all`) under a steady load for `minutes`. Every second one `/v1/batch`
 * over HTTP brings `perSecond` new customers, each identified, tracked into the end-to-end
 * journey's shape (its own copy, on `soak_signup`) and into a 30 s wait (`soak_wait`). Every
 * `sampleSeconds` a sample: the process's RSS, the lag of the waits fired since the previous
 * sample, overdue timers, the event backlog, sizes and live/dead tuples of the hot tables and
 * pg-boss's job table, pg-boss jobs by state; a line per sample goes to stderr and to `onSample`.
 * After the load, waits until every customer is through (messages exactly once, waits exited).
 * Reports first, warm (the sample the growth bounds start from) and last samples, maxima and
 * whether each stated bound held; nothing here fails on a bound, the report says.
 */
export async function soak(url: string, minutes: number, onSample?: (s: Sample) => void, options: SoakOptions = {}): Promise<SoakReport> {
  const perSecond = options.perSecond ?? 100;
  const sampleSeconds = options.sampleSeconds ?? 15;
  const rt = await createRuntime({ databaseUrl: url, role: 'all' });
  const server = serve({ fetch: rt.app.fetch, port: 0, hostname: '127.0.0.1' });
  try {
    await new Promise((r) => server.once('listening', r));
    const [workspace] = await rt.sql`select id from workspaces order by created_at limit 1`;
    const first = workspace ? null : await bootstrapWorkspace(rt.db);
    const workspaceId = (workspace?.id as string | undefined) ?? first!.workspaceId;
    const writeKey = first?.writeKey ?? (await createKey(rt.db, workspaceId, 'write', 'soak benchmark')).secret;
    const signupId = await liveJourney(rt, workspaceId, signupJourney);
    const waitId = await liveJourney(rt, workspaceId, waitJourney);
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/batch`;
    const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
    const tag = Date.now().toString(36);
    const [{ since }] = (await rt.sql`select now() as since`) as unknown as [{ since: Date }];
    /** Customers through each journey so far (counters); the journeys may be reused from an earlier soak. */
    const through = async () => {
      const [row] = await rt.sql`
        select (select coalesce(sum(count), 0) from node_stats where journey_id = ${signupId} and node_id = 'hello' and metric = 'sent')::bigint as sent,
               (select coalesce(sum(count), 0) from node_stats where journey_id = ${waitId} and node_id = '_journey' and metric like 'exit:%')::bigint as exited`;
      return { sent: Number(row!.sent), exited: Number(row!.exited) };
    };
    const { sent: sentBefore, exited: exitedBefore } = await through();

    // The load: one batch a second, on the second; a batch that takes longer does not hold back the next.
    let customers = 0;
    let lateTicks = 0;
    let failure: unknown = null;
    const inFlight = new Set<Promise<void>>();
    const start = performance.now();
    const loadEnds = start + minutes * 60_000;
    const post = async (from: number, count: number) => {
      const dueAt = new Date(Date.now() + waitSeconds * 1000).toISOString();
      const batch = Array.from({ length: count }, (_, j) => {
        const userId = `${tag}-${from + j}`;
        return [
          { type: 'identify', userId, messageId: `${userId}-i`, traits: { first_name: `Kim ${from + j}`, plan: 'pro' } },
          { type: 'track', userId, event: 'soak_signup', messageId: `${userId}-s`, properties: {} },
          { type: 'track', userId, event: 'soak_wait', messageId: `${userId}-w`, properties: { due_at: dueAt } },
        ];
      }).flat();
      const response = await fetch(endpoint, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
      if (response.status !== 200) throw new Error(`ingestion answered ${response.status}: ${await response.text()}`);
    };
    const load = (async () => {
      for (let tick = 0; performance.now() < loadEnds && !failure; tick++) {
        if (inFlight.size >= 4) {
          lateTicks++;
          await Promise.race(inFlight);
        }
        const sending: Promise<void> = post(customers, perSecond)
          .catch((error) => {
            failure ??= error;
          })
          .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
        customers += perSecond;
        await sleep(start + (tick + 1) * 1000 - performance.now());
      }
      await Promise.all(inFlight);
    })();

    // The samples.
    // Read from run_steps by its own id (the steps view's ids are computed, so a range on them scans).
    let lastStep = Number((await rt.sql`select coalesce(max(id), 0)::bigint as id from run_steps`)[0]!.id);
    const samples: Sample[] = [];
    const sample = async (): Promise<Sample> => {
      const [lag] = await rt.sql`
        select count(*)::int as fired, max(id)::bigint as last, percentile_cont(array[0.5, 0.99]) within group (order by lag) as q, max(lag) as worst
        from (select r.id, extract(epoch from t.at - substring(t.detail from 'waited until (.*)$')::timestamptz)::float8 as lag
              from run_steps r, jsonb_to_recordset(r.transitions) as t(reason text, detail text, at timestamptz)
              where r.id > ${lastStep} and r.journey_id = ${waitId} and t.reason = 'wait-elapsed') s`;
      if (lag!.last !== null) lastStep = Number(lag!.last);
      const [counts] = await rt.sql`
        select (select count(*) from event_queue)::int as backlog,
               (select count(*) from progress where journey_id = ${waitId} and due_at < now() - interval '5 seconds')::int as overdue,
               (select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'pgboss' and c.relkind = 'r')::bigint as pgboss`;
      const stats = await rt.sql`
        select case when schemaname = 'public' then relname else schemaname || '.' || relname end as name,
               pg_total_relation_size(relid)::bigint as bytes, n_live_tup::bigint as live, n_dead_tup::bigint as dead, autovacuum_count::bigint as autovacuums
        from pg_stat_user_tables
        where (schemaname = 'public' or schemaname = 'pgboss') and (case when schemaname = 'public' then relname else schemaname || '.' || relname end) in ${rt.sql(hotTables as unknown as string[])}`;
      const jobs = await rt.sql`select state, count(*)::int as n from pgboss.job group by state`;
      const memory = process.memoryUsage();
      const q = lag!.q as number[] | null;
      return {
        at: (performance.now() - start) / 1000,
        customers,
        rssMiB: mib(memory.rss),
        heapMiB: mib(memory.heapUsed),
        lag: { fired: lag!.fired as number, p50: q?.[0] ?? null, p99: q?.[1] ?? null, max: (lag!.worst as number | null) ?? null },
        overdueTimers: counts!.overdue as number,
        eventBacklog: counts!.backlog as number,
        tables: Object.fromEntries(stats.map((r) => [r.name as string, { bytes: Number(r.bytes), live: Number(r.live), dead: Number(r.dead), autovacuums: Number(r.autovacuums) }])),
        pgbossBytes: Number(counts!.pgboss),
        jobs: Object.fromEntries(jobs.map((r) => [r.state as string, r.n as number])),
      };
    };
    const seconds = (s: number | null) => (s === null ? '–' : `${s.toFixed(2)} s`);
    const print = (s: Sample, label = 'soak') => {
      const t = s.tables;
      const dead = (name: string) => t[name]?.dead ?? 0;
      process.stderr.write(
        `${label} ${s.at.toFixed(0)} s: ${s.customers} customers, RSS ${s.rssMiB.toFixed(0)} MiB (heap ${s.heapMiB.toFixed(0)}), ` +
          `waits fired ${s.lag.fired} lag p50 ${seconds(s.lag.p50)} p99 ${seconds(s.lag.p99)} max ${seconds(s.lag.max)}, overdue ${s.overdueTimers}, backlog ${s.eventBacklog} events, ` +
          `dead tuples progress ${dead('progress')} messages ${dead('messages')} event_queue ${dead('event_queue')} node_stats ${dead('node_stats')} job_common ${dead('pgboss.job_common')}, ` +
          `pg-boss ${mib(s.pgbossBytes).toFixed(1)} MiB ${Object.values(s.jobs).reduce((a, b) => a + b, 0)} jobs\n`,
      );
    };
    const take = async (label?: string) => {
      const s = await sample();
      samples.push(s);
      print(s, label);
      onSample?.(s);
      return s;
    };
    for (let next = start + sampleSeconds * 1000; next < loadEnds - 1_000; next += sampleSeconds * 1000) {
      await sleep(next - performance.now());
      if (failure) break;
      await take();
    }
    await load;
    if (failure) throw failure;
    const last = await take('soak (load ends)');

    // The drain: every customer through both journeys (the last waits are due 30 s after their post).
    const drainStart = performance.now();
    for (let at = performance.now(); ; at = performance.now()) {
      const { sent, exited } = await through();
      if (sent - sentBefore >= customers && exited - exitedBefore >= customers) break;
      if (at - drainStart > (waitSeconds + 120) * 1000) break;
      await sleep(500);
    }
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const [check] = await rt.sql`
      with c as (select customer_id from customer_identities where workspace_id = ${workspaceId} and kind = 'user_id' and value like ${`${tag}-%`}),
      m as (select c.customer_id, count(m.id)::int as n from c left join messages m on m.customer_id = c.customer_id and m.journey_id = ${signupId} group by c.customer_id)
      select ${customers}::int - (select count(*) from m where n > 0)::int as missing,
             (select coalesce(sum(n - 1), 0) from m where n > 1)::int as duplicated,
             ${customers}::int - (select count(*) from progress p join c on c.customer_id = p.customer_id where p.journey_id = ${waitId} and p.status <> 'active')::int as open`;
    const [{ jobs: jobsCreated }] = (await rt.sql`select count(*)::int as jobs from pgboss.job where created_on >= ${since}`) as unknown as [{ jobs: number }];

    // The report: the growth bounds start after warm-up (the first sample at least a minute in, or half-way for shorter soaks).
    const warmAt = Math.min(60, (minutes * 60) / 2);
    const warm = samples.find((s) => s.at >= warmAt) ?? samples[0]!;
    const firstSample = samples[0]!;
    const withLag = samples.filter((s) => s.lag.p99 !== null);
    const maxOf = (values: (number | null)[]) => values.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.max(m, v)), null);
    const dead: Record<string, number> = {};
    for (const name of hotTables) dead[name] = Math.max(...samples.map((s) => s.tables[name]?.dead ?? 0));
    const bounds: SoakBound[] = [];
    const rssGrowth = last.rssMiB / warm.rssMiB - 1;
    bounds.push({
      name: 'memory',
      bound: `RSS grows ≤ 20% from ${warm.at.toFixed(0)} s (after warm-up) to the end of the load`,
      observed: `${warm.rssMiB.toFixed(0)} → ${last.rssMiB.toFixed(0)} MiB (${(rssGrowth * 100).toFixed(0)}%), max ${Math.max(...samples.map((s) => s.rssMiB)).toFixed(0)} MiB`,
      ok: rssGrowth <= 0.2,
    });
    if (withLag.length >= 2) {
      const a = withLag[0]!;
      const b = withLag[withLag.length - 1]!;
      bounds.push({
        name: 'timer lag',
        bound: 'p99 of the last window of fired waits ≤ p99 of the first window + 1 s',
        observed: `p99 ${seconds(a.lag.p99)} (at ${a.at.toFixed(0)} s, ${a.lag.fired} waits) → ${seconds(b.lag.p99)} (at ${b.at.toFixed(0)} s, ${b.lag.fired} waits); worst ${seconds(maxOf(samples.map((s) => s.lag.max)))}`,
        ok: b.lag.p99! <= a.lag.p99! + 1,
      });
    } else
      bounds.push({
        name: 'timer lag',
        bound: 'needs two samples with fired waits',
        observed: `${withLag.length} sample(s) with fired waits: soak longer than ${waitSeconds} s + two samples`,
        ok: false,
      });
    bounds.push({
      name: 'backlog',
      bound: `at the end of the load, ≤ 2 s of load waiting: event backlog ≤ ${6 * perSecond} events, overdue waits ≤ ${2 * perSecond}`,
      observed: `event backlog ${last.eventBacklog} (max ${Math.max(...samples.map((s) => s.eventBacklog))}), overdue waits ${last.overdueTimers} (max ${Math.max(...samples.map((s) => s.overdueTimers))})`,
      ok: last.eventBacklog <= 6 * perSecond && last.overdueTimers <= 2 * perSecond,
    });
    const half = samples.slice(0, Math.max(1, Math.ceil(samples.length / 2)));
    for (const name of hotTables) {
      const end = last.tables[name];
      if (!end) continue;
      const earlyMax = Math.max(...half.map((s) => s.tables[name]?.dead ?? 0));
      const vacuums = end.autovacuums - (firstSample.tables[name]?.autovacuums ?? 0);
      const trigger = 50 + 0.2 * end.live;
      bounds.push({
        name: `dead tuples ${name}`,
        bound: "not growing without bound: at the end ≤ the first half's max, or under autovacuum's trigger (50 + 20% of live), or vacuumed during the soak and below its max",
        observed: `dead ${firstSample.tables[name]?.dead ?? 0} → ${end.dead} (max ${dead[name]}; live ${end.live}; ${vacuums} autovacuum run(s) in the soak)`,
        ok: end.dead <= earlyMax || end.dead <= trigger || (vacuums > 0 && end.dead < dead[name]!),
      });
    }
    const jobsPerCustomer = jobsCreated / Math.max(1, customers);
    bounds.push({
      name: 'pg-boss jobs',
      bound:
        'fewer pg-boss jobs than customers (jobs per due second and per batch, never per customer; the peer design makes four per customer). Completed jobs stay deleteAfterSeconds (7 days by default), so pg-boss tables grow by retention at jobs/s, not with bloat',
      observed: `${jobsCreated} jobs for ${customers} customers (${jobsPerCustomer.toFixed(3)} per customer, ${(jobsCreated / (minutes * 60)).toFixed(1)} jobs/s); pg-boss schema ${mib(firstSample.pgbossBytes).toFixed(1)} → ${mib(last.pgbossBytes).toFixed(1)} MiB`,
      ok: jobsPerCustomer < 1,
    });
    const late = lateTicks ? ` (${lateTicks} ticks waited for a slow post)` : '';
    process.stderr.write(`soak: ${customers} customers in ${minutes} min${late}; drained in ${drainSeconds.toFixed(1)} s\n`);
    return {
      minutes,
      perSecond,
      customers,
      drainSeconds,
      incomplete: { messagesMissing: check!.missing as number, messagesDuplicated: check!.duplicated as number, waitsOpen: check!.open as number },
      samples,
      warm,
      first: firstSample,
      last,
      max: {
        rssMiB: Math.max(...samples.map((s) => s.rssMiB)),
        lagP99: maxOf(samples.map((s) => s.lag.p99)),
        lagMax: maxOf(samples.map((s) => s.lag.max)),
        eventBacklog: Math.max(...samples.map((s) => s.eventBacklog)),
        overdueTimers: Math.max(...samples.map((s) => s.overdueTimers)),
        dead,
      },
      jobsPerCustomer,
      bounds,
    };
  } finally {
    await new Promise((r) => server.close(r));
    await rt.stop();
  }
}
