import type { Runtime } from '@waymark/runtime';

/**
 * With WAYMARK_BENCH_STATEMENTS=1 (and the embedded server started with pg_stat_statements), prints
 * where PostgreSQL spent its time since the last call; `label` null only resets.
 */
export async function statementReport(rt: Runtime, label: string | null) {
  if (!process.env.WAYMARK_BENCH_STATEMENTS) return;
  if (label) {
    const top = await rt.sql.unsafe(
      `select round(total_exec_time) as ms, calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) as q from pg_stat_statements order by total_exec_time desc limit 20`,
    );
    process.stderr.write(`\nPostgreSQL time by statement (${label}):\n${top.map((r) => `${String(r.ms).padStart(7)} ms ${String(r.calls).padStart(6)}× ${r.q}`).join('\n')}\n`);
  }
  await rt.sql.unsafe('create extension if not exists pg_stat_statements; select pg_stat_statements_reset()');
}
