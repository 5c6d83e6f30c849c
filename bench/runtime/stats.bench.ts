import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapWorkspace, createJourney, createRuntime, publishJourney, freeLocalPort, startEmbeddedPostgres } from '@waymark/runtime';
import { generateJourney } from '../engine/generate-journey.ts';
import { type BenchResult, measure } from '../measure.ts';

const runs = Number(process.env.BENCH_STATS_RUNS ?? 100_000);
const stepsPerRun = 10;
const days = 90;

/**
 * The analyst's queries on a journey with 1,000,000 recorded steps over 90 days and 50 steps: the
 * canvas overlay (`/stats`), the report (`/report`), who is waiting at a step and the journeys
 * list, each through the HTTP API, median of 9 after a cold run. The history is written with SQL
 * (runs, steps, messages, customers, and day counters consistent with the steps), not replayed.
 */
export async function statsBench(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-stats-'));
  const pg = await startEmbeddedPostgres(dir, await freeLocalPort());
  const results: BenchResult[] = [];
  try {
    const runtime = await createRuntime({ databaseUrl: pg.url, role: 'api' });
    const first = (await bootstrapWorkspace(runtime.db))!;
    const document = generateJourney(50);
    const journey = await createJourney(runtime.db, first.workspaceId, { name: 'Bench: 90 days of history', document });
    await publishJourney(runtime.db, first.workspaceId, journey.id, 'bench');
    const nodeIds = document.graph.nodes.map((n) => n.id);
    const sends = document.graph.nodes.filter((n) => n.type === 'send').map((n) => n.id);
    const wait = document.graph.nodes.find((n) => n.type === 'wait')!.id;
    const sql = runtime.sql;
    const ws = first.workspaceId;
    const now = Date.now();
    process.stderr.write(`stats: writing ${runs.toLocaleString('en')} runs and ${(runs * stepsPerRun).toLocaleString('en')} steps…\n`);
    await sql.unsafe(
      `insert into customers (id, workspace_id, traits, channels)
       select 'c' || g, $1, jsonb_build_object('email', 'c' || g || '@example.com', 'plan', case when g % 3 = 0 then 'pro' else 'free' end),
              jsonb_build_object('email', jsonb_build_object('address', 'c' || g || '@example.com'))
       from generate_series(1, $2) g`,
      [ws, runs],
    );
    // Runs entered evenly over 90 days; 5 % still waiting at the wait step.
    await sql.unsafe(
      `insert into progress (id, workspace_id, journey_id, version, customer_id, status, node_id, state, entered_at, ended_at)
       select 'r' || g, $1, $2, 1, 'c' || g, case when g % 20 = 0 then 'active' else 'completed' end, case when g % 20 = 0 then $3 else null end,
              jsonb_build_object('updatedAt', to_json(e.at), 'position', case when g % 20 = 0 then jsonb_build_object('nodeId', $3::text, 'until', to_json(e.at + interval '1 day')) else null end),
              e.at, case when g % 20 = 0 then null else e.at + interval '1 day' end
       from generate_series(1, $4) g, lateral (select to_timestamp($5 / 1000.0) - ((g % ${days}) || ' days')::interval - ((g % 1440) || ' minutes')::interval as at) e`,
      [ws, journey.id, wait, runs, now],
    );
    // Steps as the workers write them: one run_steps row per run (its steps in order), and the sends and skips as outcomes.
    const step = `(${pgArray(nodeIds)})[1 + (g + i * 7) % ${nodeIds.length}] as node_id,
              case when (g + i) % 25 = 0 then 'skipped:no-consent' when (g + i) % 3 = 0 then 'sent' else 'entered' end as reason, r.entered_at + (i || ' minutes')::interval as at`;
    await sql.unsafe(
      `insert into run_steps (workspace_id, progress_id, journey_id, version, transitions)
       select $1, 'r' || g, $2, 1, jsonb_agg(jsonb_build_object('node_id', s.node_id, 'handle', 'next', 'reason', s.reason, 'detail', '', 'at', s.at) order by s.i)
       from generate_series(1, $3) g join progress r on r.id = 'r' || g, lateral (select i, ${step} from generate_series(0, ${stepsPerRun - 1}) i) s
       group by g`,
      [ws, journey.id, runs],
    );
    await sql.unsafe(
      `insert into send_outcomes (workspace_id, journey_id, version, node_id, progress_id, reason, at)
       select $1, $2, 1, s.node_id, 'r' || g, s.reason, s.at
       from generate_series(1, $3) g join progress r on r.id = 'r' || g, lateral (select ${step} from generate_series(0, ${stepsPerRun - 1}) i) s
       where s.reason = 'sent' or s.reason like 'skipped:%'`,
      [ws, journey.id, runs],
    );
    await sql.unsafe(`insert into run_entries (workspace_id, journey_id, version, entered_at, customer_id) select workspace_id, journey_id, version, entered_at, customer_id from progress`);
    await sql.unsafe(
      `insert into messages (id, workspace_id, idempotency_key, progress_id, journey_id, version, node_id, customer_id, channel, "to", content, status, created_at, sent_at)
       select 'm' || g, $1, 'k' || g, 'r' || g, $2, 1, (${pgArray(sends)})[1 + g % ${sends.length}], 'c' || g, 'email', 'c' || g || '@example.com', '{}'::jsonb, 'sent', r.entered_at, r.entered_at
       from generate_series(1, $3) g join progress r on r.id = 'r' || g`,
      [ws, journey.id, runs],
    );
    // The day counters the workers would have written for these steps, plus messages and waits.
    await sql.unsafe(
      `insert into node_stats (workspace_id, journey_id, version, day, node_id, metric, count)
       select $1, $2, 1, (at at time zone 'UTC')::date, node_id, m.metric, count(*)
       from steps, lateral (values ('entered'), ('left:next'), ('converted'), ('sent'), ('sent@email'), ('opened'), ('clicked'), ('waited:10')) m(metric)
       where journey_id = $2 group by 4, 5, 6
       union all
       select $1, $2, 1, (entered_at at time zone 'UTC')::date, '_journey', m.metric, count(*)
       from progress, lateral (values ('entered'), ('converted'), ('exit:completed')) m(metric) where journey_id = $2 group by 4, 5, 6`,
      [ws, journey.id],
    );
    await sql.unsafe('vacuum analyze');
    const [counts] = await sql.unsafe(`select (select count(*) from steps) as steps, (select count(*) from node_stats) as counters`);
    process.stderr.write(`stats: ${Number(counts!.steps).toLocaleString('en')} steps, ${Number(counts!.counters).toLocaleString('en')} day counters\n`);

    const signIn = await runtime.app.request('/api/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: first.ownerEmail, password: first.ownerPassword }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const base = `/api/workspaces/${ws}/journeys`;
    const day = (ago: number) => new Date(now - ago * 86_400_000).toISOString().slice(0, 10);
    const get = async (path: string) => {
      const response = await runtime.app.request(path, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const cases: [string, string][] = [
      ['canvas overlay, last 30 days (`/stats`)', `${base}/${journey.id}/stats?from=${day(29)}&to=${day(0)}`],
      ['canvas overlay, all 90 days (`/stats`)', `${base}/${journey.id}/stats`],
      ['journey report, last 30 days (`/report`)', `${base}/${journey.id}/report?from=${day(29)}&to=${day(0)}`],
      ['who is waiting at a step, first page of 50 with the total', `${base}/${journey.id}/nodes/${wait}/customers?state=waiting`],
      ['who a send step sent to, last 30 days, first page with the total', `${base}/${journey.id}/nodes/${sends[0]}/customers?state=sent&from=${day(29)}&to=${day(0)}`],
      ['journeys list with the live version over 30 days', `${base}`],
    ];
    if (process.env.BENCH_EXPLAIN) {
      for (const q of [
        `select node_id, metric, sum(count)::bigint as count from node_stats where journey_id = '${journey.id}' and version = any('{1}'::int[]) and metric <> 'waiting' group by node_id, metric`,
        `select count(*)::int as n from (select customer_id collate "C" from progress where journey_id = '${journey.id}' and version = any('{1}'::int[]) group by 1) c`,
        `select node_id, sum(count)::bigint as count from node_stats where journey_id = '${journey.id}' and version = any('{1}'::int[]) and metric = 'waiting' group by node_id`,
      ]) {
        const plan = await sql.unsafe(`explain analyze ${q}`);
        process.stderr.write(`${plan.map((r) => r['QUERY PLAN']).join('\n')}\n\n`);
      }
    }
    for (const [name, path] of cases) {
      const m = await measure(name, () => get(path), { iterations: 9 });
      results.push({
        name: `${name} — ${(runs * stepsPerRun).toLocaleString('en')} steps, 50 nodes, 90 days`,
        figure: `${m.median.toFixed(1)} ms median (p90 ${m.p90.toFixed(1)}, cold ${m.first.toFixed(1)})`,
        target: '≤ 200 ms',
        ok: m.median <= 200,
      });
    }
    await runtime.stop();
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const pgArray = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;
