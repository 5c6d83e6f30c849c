/**
 * What each part of membership upkeep costs in the worst case (a returning customer's order that
 * changes their memberships), found by taking parts away: not part of `pnpm bench`, since it needs
 * the runtime patched with probes that no release should carry.
 *
 *   git apply bench/runtime/upkeep-parts.patch
 *   node bench/runtime/upkeep-parts.ts
 *   git checkout runtime
 *
 * Configurations, each on fresh customers (new customers applied first, unmeasured; then their
 * second order, measured), alternating in a mirrored order for `UPKEEP_PARTS_REPS` repetitions:
 * - `0 segments`: the baseline;
 * - `20 segments`: Waymark as it is;
 * - `no write`: memberships evaluated but not written (`WAYMARK_PARTS_NO_WRITE`);
 * - `no history read`: each customer's history kept in memory after its first read
 *   (`WAYMARK_PARTS_HISTORY_IN_MEMORY`), as per-customer counters in the membership row would;
 * - `neither`: both: what evaluating the rules and the rest of upkeep cost with nothing read or
 *   written for it. No design that keeps memberships exact in the transaction costs less than this
 *   plus one durable write per changed customer (`membershipLayouts`' floor);
 * - `no history read, no members index`: the history kept in memory, and the GIN index through
 *   which members are listed dropped for the round: the cheapest design that still writes each
 *   change in the transaction (every members list would then read every membership row).
 * All run with `fillfactor = 70` on the membership rows, so an update may stay on its page. With
 * `UPKEEP_PARTS_VACUUM=1` the database is vacuumed before each measured round, so no round pays
 * for what earlier rounds left to clean (autovacuum, the GIN index's pending list).
 * Prints, per configuration, the wall time and the CPU Node and PostgreSQL used per order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLocalPort, startEmbeddedPostgres } from '@waymark/runtime';
import { postgres } from './peer-baseline.ts';
import { applyAllMeasured, ingestWith, newCustomers, orderingAgain, twoWorkspaces } from './segments.bench.ts';

const customers = Number(process.env.BENCH_SEGMENT_CUSTOMERS ?? 10_000);
const repetitions = Number(process.env.UPKEEP_PARTS_REPS ?? 4);

const configurations = {
  '0 segments': { space: '0 segments', probes: [] },
  '20 segments': { space: '20 segments', probes: [] },
  'no write': { space: '20 segments', probes: ['WAYMARK_PARTS_NO_WRITE'] },
  'no history read': { space: '20 segments', probes: ['WAYMARK_PARTS_HISTORY_IN_MEMORY'] },
  neither: { space: '20 segments', probes: ['WAYMARK_PARTS_NO_WRITE', 'WAYMARK_PARTS_HISTORY_IN_MEMORY'] },
  'no history read, no members index': { space: '20 segments', probes: ['WAYMARK_PARTS_HISTORY_IN_MEMORY'], dropIndex: true },
} as const satisfies Record<string, { space: string; probes: readonly string[]; dropIndex?: boolean }>;
type Name = keyof typeof configurations;

const dir = mkdtempSync(join(tmpdir(), 'waymark-upkeep-parts-'));
const pg = await startEmbeddedPostgres(dir, await freeLocalPort());
try {
  const { spaces } = await twoWorkspaces(pg.url);
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  // Room on each page, so an update that changes no indexed column can stay on its page (HOT).
  await admin.unsafe('alter table customer_segments set (fillfactor = 70)');
  const per = Object.fromEntries(Object.keys(configurations).map((name) => [name, [] as { wall: number; node: number; postgres: number }[]]));
  const round = async (name: Name, prefix: string, measured: boolean) => {
    const { space, probes } = configurations[name];
    const dropIndex = 'dropIndex' in configurations[name];
    const { writeKey } = spaces[space];
    const calls = newCustomers(prefix, customers);
    await ingestWith(pg.url, writeKey, calls, `ingest (${name})`);
    await applyAllMeasured(pg.url, calls.length, `apply (${name})`);
    const again = orderingAgain(prefix, customers);
    await ingestWith(pg.url, writeKey, again, `ingest again (${name})`);
    // With UPKEEP_PARTS_VACUUM=1, what the rounds before left to clean up is cleaned first, outside the measure.
    if (process.env.UPKEEP_PARTS_VACUUM) await admin.unsafe('vacuum analyze');
    for (const probe of probes) process.env[probe] = '1';
    if (dropIndex) await admin.unsafe('drop index customer_segments_segments');
    try {
      const used = await applyAllMeasured(pg.url, again.length, `apply again (${name})`);
      const micro = (seconds: number) => (seconds / again.length) * 1e6;
      if (measured) per[name]!.push({ wall: micro(used.seconds), node: micro(used.node), postgres: micro(used.postgres) });
    } finally {
      for (const probe of probes) delete process.env[probe];
      if (dropIndex) await admin.unsafe('create index customer_segments_segments on customer_segments using gin (segments)');
    }
  };
  const names = (process.env.UPKEEP_PARTS ? process.env.UPKEEP_PARTS.split(';') : Object.keys(configurations)) as Name[];
  for (const name of names) await round(name, `w-${name}-`, false);
  let n = 0;
  for (let rep = 0; rep < repetitions; rep++) for (const name of rep % 2 ? [...names].reverse() : names) await round(name, `r${n++}-`, true);
  const base = mean(per['0 segments']!).wall;
  console.log(`| configuration | wall · Node CPU · PostgreSQL CPU per order (µs) | throughput cost |\n| --- | --- | --- |`);
  for (const name of names) {
    const m = mean(per[name]!);
    console.log(`| ${name} | ${m.wall.toFixed(0)} · ${m.node.toFixed(0)} · ${m.postgres.toFixed(0)} | ${Math.round((1 - base / m.wall) * 100)} % |`);
  }
  await admin.end();
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);

function mean(list: { wall: number; node: number; postgres: number }[]) {
  const of = (key: 'wall' | 'node' | 'postgres') => list.reduce((sum, r) => sum + r[key], 0) / list.length;
  return { wall: of('wall'), node: of('node'), postgres: of('postgres') };
}
