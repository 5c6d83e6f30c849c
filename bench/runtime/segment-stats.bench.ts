import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapWorkspace, createJourney, createRuntime, freeLocalPort, publishJourney, startEmbeddedPostgres } from '@waymark/runtime';
import type { JourneyDocumentInput } from '@waymark/shared';
import { type BenchResult, measure } from '../measure.ts';

const runs = Number(process.env.BENCH_SEGMENT_STATS_RUNS ?? 50_000);
const otherRuns = Number(process.env.BENCH_SEGMENT_STATS_OTHER_RUNS ?? 100_000);
const days = 90;

/** Trigger → condition → email → wait 1 day → email → exit: seven steps a run, two messages. */
const journey: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'bench-segment-stats',
  name: 'Bench: stats by segment',
  settings: { reEntry: { mode: 'always' }, goal: { event: 'bought', window: { amount: 7, unit: 'days' } } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'signed_up' } } },
      { id: 'is-pro', type: 'condition', position: { x: 0, y: 100 }, data: { rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } } },
      { id: 'mail', type: 'send', position: { x: 0, y: 200 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Hi', html: '<p>Hi</p>' } } } },
      { id: 'pause', type: 'wait', position: { x: 0, y: 300 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
      { id: 'again', type: 'send', position: { x: 0, y: 400 }, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Again', html: '<p>Again</p>' } } } },
      { id: 'end', type: 'exit', position: { x: 0, y: 500 }, data: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'is-pro' },
      { id: 'e2', source: 'is-pro', sourceHandle: 'yes', target: 'mail' },
      { id: 'e3', source: 'is-pro', sourceHandle: 'no', target: 'mail' },
      { id: 'e4', source: 'mail', sourceHandle: 'next', target: 'pause' },
      { id: 'e5', source: 'pause', sourceHandle: 'next', target: 'again' },
      { id: 'e6', source: 'again', sourceHandle: 'next', target: 'end' },
    ],
  },
};

/**
 * A segment-filtered canvas overlay, report and "by segment" table, read at read time from the
 * members' runs, steps and messages: 50,000 runs of the journey over 90 days (two run_steps rows
 * a run, as two batches write them; two messages a run, a third opened, a tenth clicked, a tenth
 * converted, 5 % still waiting) among 100,000 runs of another journey, and a 25,000-member
 * segment; through the HTTP API, median of 9 after a cold run. `BENCH_EXPLAIN=1` prints the plan
 * of the segment's counters statement.
 */
export async function segmentStatsBench(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-segment-stats-'));
  const pg = await startEmbeddedPostgres(dir, await freeLocalPort());
  const results: BenchResult[] = [];
  try {
    const runtime = await createRuntime({ databaseUrl: pg.url, role: 'api' });
    const first = (await bootstrapWorkspace(runtime.db))!;
    const ws = first.workspaceId;
    const measured = await createJourney(runtime.db, ws, { name: journey.name, document: journey });
    await publishJourney(runtime.db, ws, measured.id, 'bench');
    const other = await createJourney(runtime.db, ws, { name: 'Bench: another journey', document: { ...journey, id: 'bench-other', name: 'Bench: another journey' } });
    await publishJourney(runtime.db, ws, other.id, 'bench');
    const sql = runtime.sql;
    const customers = Math.max(runs, otherRuns);
    const now = Date.now();
    process.stderr.write(`segment stats: ${customers.toLocaleString('en')} customers, ${runs.toLocaleString('en')} + ${otherRuns.toLocaleString('en')} runs…\n`);
    await sql.unsafe(
      `insert into customers (id, workspace_id, traits, channels)
       select 'c' || g, $1, jsonb_build_object('email', 'c' || g || '@example.com', 'plan', case when g % 3 = 0 then 'pro' else 'free' end),
              jsonb_build_object('email', jsonb_build_object('address', 'c' || g || '@example.com'))
       from generate_series(1, $2) g`,
      [ws, customers],
    );
    for (const [prefix, journeyId, count] of [
      ['r', measured.id, runs],
      ['o', other.id, otherRuns],
    ] as const) {
      // Runs entered evenly over 90 days; 5 % still waiting at the wait, a tenth converted a day after entering.
      await sql.unsafe(
        `insert into progress (id, workspace_id, journey_id, version, customer_id, status, node_id, state, entered_at, ended_at)
         select '${prefix}' || g, $1, $2, 1, 'c' || g, case when g % 20 = 0 then 'active' else 'completed' end, case when g % 20 = 0 then 'pause' end,
                jsonb_build_object('updatedAt', to_json(e.at), 'endReason', case when g % 20 = 0 then null else 'exit-node' end,
                  'convertedAt', case when g % 10 = 3 then to_json(e.at + interval '1 day 2 hours') end),
                e.at, case when g % 20 = 0 then null else e.at + interval '1 day 1 minute' end
         from generate_series(1, $3) g, lateral (select to_timestamp($4 / 1000.0) - ((g % ${days}) || ' days')::interval - ((g % 1440) || ' minutes')::interval as at) e`,
        [ws, journeyId, count, now],
      );
      await sql.unsafe(
        `insert into run_entries (workspace_id, journey_id, version, entered_at, customer_id) select workspace_id, journey_id, version, entered_at, customer_id from progress where journey_id = $1`,
        [journeyId],
      );
      // Two run_steps rows a run: entering to the wait, then (a day later) leaving it to the exit.
      const step = (node: string, handle: string | null, reason: string, at: string) =>
        `jsonb_build_object('node_id', '${node}', 'handle', ${handle ? `'${handle}'` : 'null'}, 'reason', '${reason}', 'detail', '', 'at', to_json(${at}))`;
      await sql.unsafe(
        `insert into run_steps (workspace_id, progress_id, journey_id, version, transitions)
         select $1, r.id, r.journey_id, 1, jsonb_build_array(${step('start', 'next', 'entered', 'r.entered_at')},
           jsonb_build_object('node_id', 'is-pro', 'handle', case when r.customer_id like '%3' then 'yes' else 'no' end, 'reason', 'rules-matched', 'detail', '', 'at', to_json(r.entered_at)),
           ${step('mail', 'next', 'sent', 'r.entered_at')}, ${step('pause', null, 'waiting', 'r.entered_at')})
         from progress r where r.journey_id = $2
         union all
         select $1, r.id, r.journey_id, 1, jsonb_build_array(${step('pause', 'next', 'wait-elapsed', "r.entered_at + interval '1 day 1 minute'")},
           ${step('again', 'next', 'sent', "r.entered_at + interval '1 day 1 minute'")}, ${step('end', null, 'exit-node', "r.entered_at + interval '1 day 1 minute'")})
         from progress r where r.journey_id = $2 and r.status <> 'active'`,
        [ws, journeyId],
      );
      await sql.unsafe(
        `insert into messages (id, workspace_id, idempotency_key, progress_id, journey_id, version, node_id, customer_id, channel, "to", content, status, created_at, sent_at, delivered_at, opened_at, clicked_at)
         select 'm' || r.id || n.node, $1, r.id || n.node, r.id, r.journey_id, 1, n.node, r.customer_id, 'email', r.customer_id || '@example.com', '{}'::jsonb, 'sent', n.at, n.at,
           case when right(r.id, 1) in ('1', '4', '7') then n.at + interval '1 hour' end,
           case when right(r.id, 1) in ('1', '4', '7') then n.at + interval '1 hour' end,
           case when right(r.id, 1) = '1' then n.at + interval '2 hours' end
         from progress r, lateral (values ('mail', r.entered_at), ('again', r.entered_at + interval '1 day 1 minute')) n(node, at)
         where r.journey_id = $2 and (n.node = 'mail' or r.status <> 'active')`,
        [ws, journeyId],
      );
    }
    // Refused entries of the other journey, so the refusals' lookup runs against a table with rows in it.
    await sql.unsafe(
      `insert into entry_refusals (workspace_id, journey_id, customer_id, reason, detail, version, count, first_at, last_at)
       select workspace_id, journey_id, customer_id, 'already-in-journey', 'already in this journey', 1, 1, entered_at, entered_at from progress where journey_id = $1`,
      [other.id],
    );
    // Ten segments: the first has every other customer of the journey (25,000), the others 2,500 to 22,500 of the rest.
    await sql.unsafe(
      `insert into segments (id, workspace_id, name, rules, status)
       select 'seg' || i, $1, 'Segment ' || i, '{"kind":"group","match":"all","rules":[]}'::jsonb, 'ready' from generate_series(0, 9) i`,
      [ws],
    );
    await sql.unsafe(
      `insert into customer_segments (customer_id, workspace_id, segments, entered_at)
       select 'c' || g, $1, array_agg(s.number order by i), array_agg(now()) from generate_series(0, 9) i join segments s on s.id = 'seg' || i, generate_series(1, $2) g
       where (i = 0 and g % 2 = 0) or (i > 0 and g % 2 = 1 and (g / 2) % 10 < i) group by g`,
      [ws, runs],
    );
    await sql.unsafe('vacuum analyze');
    const [counts] = await sql.unsafe(
      `select (select count(*) from progress) as runs, (select count(*) from steps) as steps, (select count(*) from messages) as messages, (select count(*) from customer_segments where segments @> array[(select number from segments where id = 'seg0')]) as members`,
    );
    process.stderr.write(
      `segment stats: ${Number(counts!.runs).toLocaleString('en')} runs, ${Number(counts!.steps).toLocaleString('en')} steps, ${Number(counts!.messages).toLocaleString('en')} messages; the segment has ${Number(counts!.members).toLocaleString('en')} members\n`,
    );

    const signIn = await runtime.app.request('/api/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: first.ownerEmail, password: first.ownerPassword }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const base = `/api/workspaces/${ws}/journeys/${measured.id}`;
    const day = (ago: number) => new Date(now - ago * 86_400_000).toISOString().slice(0, 10);
    const get = async (path: string) => {
      const response = await runtime.app.request(path, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    if (process.env.BENCH_EXPLAIN) {
      // The statement as the service sends it, explained instead of run.
      const { segmentCounters } = await import('../../runtime/src/services/analytics/segment-counters.ts');
      type Query = Parameters<typeof runtime.db.execute>[0] & { queryChunks: unknown[] };
      // drizzle keeps its dialect on the database (internal): it turns the SQL object into text and parameters.
      const dialect = (runtime.db as unknown as { dialect: { sqlToQuery(q: Query): { sql: string; params: unknown[] } } }).dialect;
      const explaining = {
        transaction: async (work: (tx: unknown) => Promise<unknown>) =>
          work({
            execute: async (query: Query) => {
              if (!query.queryChunks.some((c) => typeof c === 'object' && c && 'value' in c && String((c as { value: unknown }).value).includes('with members'))) return [];
              const { sql: text, params } = dialect.sqlToQuery(query);
              // With the memory the service's read gets (boundedRead).
              const plan = await sql.begin(async (tx) => {
                await tx.unsafe(`set local work_mem = '64MB'`);
                return tx.unsafe(`explain (analyze, buffers) ${text}`, params as never[]);
              });
              process.stderr.write(`${plan.map((r) => r['QUERY PLAN']).join('\n')}\n\n`);
              return [];
            },
          }),
      };
      const zone = 'UTC';
      await segmentCounters(explaining as never, {
        journeyId: measured.id,
        version: 1,
        versions: [1],
        machines: new Map(),
        range: { from: day(29), to: day(0), zone },
        since: `${day(29)}T00:00:00Z`,
        until: new Date(Date.parse(`${day(0)}T00:00:00Z`) + 86_400_000).toISOString(),
        segment: { id: 'seg0', name: 'Segment 0', members: 25_000, building: false },
      });
    }
    const cases: [string, string][] = [
      ['canvas overlay for a segment, last 30 days (`/stats?segment=`)', `${base}/stats?segment=seg0&from=${day(29)}&to=${day(0)}`],
      ['journey report for a segment, last 30 days (`/report?segment=`)', `${base}/report?segment=seg0&from=${day(29)}&to=${day(0)}`],
      ['journey report for a segment, all 90 days', `${base}/report?segment=seg0`],
      ['who is waiting at a step, members of the segment, first page', `${base}/nodes/pause/customers?state=waiting&segment=seg0`],
      ['by segment: ten segments (137,500 members), last 30 days', `${base}/report/segments?from=${day(29)}&to=${day(0)}`],
    ];
    for (const [name, path] of cases) {
      const m = await measure(name, () => get(path), { iterations: 9 });
      results.push({
        name: `${name} — ${runs.toLocaleString('en')} runs of the journey, a 25,000-member segment`,
        figure: `${m.median.toFixed(1)} ms median (p90 ${m.p90.toFixed(1)}, cold ${m.first.toFixed(1)})`,
        target: 'report',
        ok: true,
      });
    }
    // Then a segment of everyone (every customer of the workspace, twice the journey's customers), after the cases above (it would be one of the first ten by name).
    await sql.unsafe(`insert into segments (id, workspace_id, name, rules, status) values ('everyone', $1, 'Everyone', '{"kind":"group","match":"all","rules":[]}'::jsonb, 'ready')`, [ws]);
    await sql.unsafe(
      `insert into customer_segments (customer_id, workspace_id, segments, entered_at) select 'c' || g, $1, array[(select number from segments where id = 'everyone')], array[now()]
       from generate_series(1, $2) g on conflict (customer_id) do update set segments = customer_segments.segments || excluded.segments, entered_at = customer_segments.entered_at || excluded.entered_at`,
      [ws, customers],
    );
    // The segments' counts, as upkeep keeps them (a read compares them with the journey's entries to choose its side).
    await sql.unsafe(
      `insert into segment_counts (segment_id, shard, members) select g.id, 0, count(*) from customer_segments m cross join unnest(m.segments) s join segments g on g.number = s group by g.id`,
    );
    await sql.unsafe('vacuum analyze');
    // A segment of everyone: its members found from the segment (as every read was until 2026-12-01)
    // against the journey's customers who are members (the smaller side, which the read now chooses).
    const { segmentCounters } = await import('../../runtime/src/services/analytics/segment-counters.ts');
    const { statsScope } = await import('../../runtime/src/services/analytics/stats-scope.ts');
    const everyone = await statsScope(runtime.db, ws, measured.id, { version: 'live', segment: 'everyone', from: day(29), to: day(0) });
    const scoped = { ...everyone, segment: everyone.segment! };
    const sides = [];
    for (const driver of ['segment', 'journey'] as const) sides.push(await measure(`everyone, by the ${driver}`, () => segmentCounters(runtime.db, scoped, { driver }), { iterations: 5 }));
    const overlay = await measure('everyone, canvas overlay', () => get(`${base}/stats?segment=everyone&from=${day(29)}&to=${day(0)}`), { iterations: 5 });
    results.push({
      name: `a segment of everyone (${customers.toLocaleString('en')} members) on the ${runs.toLocaleString('en')}-run journey, last 30 days: its counters read from the segment's members · from the journey's customers who are members (median of 5) · the canvas overlay, which chooses the smaller side`,
      figure: `${sides.map((m) => `${Math.round(m.median).toLocaleString('en')} ms`).join(' · ')} · ${Math.round(overlay.median).toLocaleString('en')} ms`,
      target: 'report',
      ok: true,
    });
    await runtime.stop();
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.main) for (const r of await segmentStatsBench()) console.log(`| ${r.name} | ${r.figure} |`);
