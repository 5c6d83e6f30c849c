/**
 * Two databases in one run, alike but for what `SCHEMA_AB_A` (SQL) changes in database A after
 * migrating, and the segments benchmark's rounds (new customers, their orders again, their everyday
 * traffic) alternating between them in a mirrored order — so a change to the membership schema is
 * judged against the machine's own drift, which between separate runs of `pnpm bench segments` is
 * larger than most such changes. Not part of `pnpm bench`.
 *
 *   node bench/runtime/schema-ab.ts              # A: without the members index (the default SQL)
 *   SCHEMA_AB_A='…' SCHEMA_AB_REPS=4 node bench/runtime/schema-ab.ts
 *
 * Prints each database's upkeep cost per round (0 against 20 segments) and its mean round times.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLocalPort, startEmbeddedPostgres } from '@waymark/runtime';
import { postgres } from './peer-baseline.ts';
import { applyAllMeasured, everydayTraffic, ingestWith, newCustomers, orderingAgain, twoWorkspaces } from './segments.bench.ts';

const customers = Number(process.env.BENCH_SEGMENT_CUSTOMERS ?? 10_000);
const reps = Number(process.env.SCHEMA_AB_REPS ?? 4);
// By default A has no members index at all, with room on each page for updates in place (how it was measured on 2026-12-01).
const setupA = process.env.SCHEMA_AB_A ?? 'drop index customer_segments_segments; alter table customer_segments set (fillfactor = 80)';
const dbs: Record<string, { url: string; spaces: Awaited<ReturnType<typeof twoWorkspaces>>['spaces']; stop: () => Promise<void>; dir: string }> = {};
for (const name of ['A', 'B']) {
  const dir = mkdtempSync(join(tmpdir(), `waymark-ab-${name}-`));
  const pg = await startEmbeddedPostgres(dir, await freeLocalPort());
  const { spaces } = await twoWorkspaces(pg.url);
  if (name === 'A' && setupA) {
    const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
    await admin.unsafe(setupA);
    await admin.end();
  }
  dbs[name] = { url: pg.url, spaces, stop: () => pg.stop(), dir };
}
type Times = { process: number; again: number; everyday: number };
const results: Record<string, Times[]> = {};
let n = 0;
const round = async (db: string, space: '0 segments' | '20 segments', measured: boolean) => {
  const { url, spaces } = dbs[db]!;
  const { writeKey } = spaces[space];
  const prefix = `r${n++}-`;
  const calls = newCustomers(prefix, customers);
  await ingestWith(url, writeKey, calls, 'ingest');
  const p = await applyAllMeasured(url, calls.length, 'apply');
  const again = orderingAgain(prefix, customers);
  await ingestWith(url, writeKey, again, 'again');
  const a = await applyAllMeasured(url, again.length, 'apply again');
  const everyday = everydayTraffic(prefix, customers);
  await ingestWith(url, writeKey, everyday, 'everyday');
  const e = await applyAllMeasured(url, everyday.length, 'apply everyday');
  const key = `${db} ${space}`;
  if (measured) {
    results[key] ??= [];
    results[key].push({ process: p.seconds, again: a.seconds, everyday: e.seconds });
  }
  console.log(key, p.seconds.toFixed(2), a.seconds.toFixed(2), e.seconds.toFixed(2));
};
try {
  for (const db of ['A', 'B']) for (const s of ['0 segments', '20 segments'] as const) await round(db, s, false);
  for (let r = 0; r < reps; r++) {
    const order: [string, '0 segments' | '20 segments'][] = [
      ['A', '0 segments'],
      ['A', '20 segments'],
      ['B', '20 segments'],
      ['B', '0 segments'],
    ];
    for (const [db, s] of r % 2 ? order.reverse() : order) await round(db, s, true);
  }
  const mean = (list: Times[], k: keyof Times) => list.reduce((x, t) => x + t[k], 0) / list.length;
  for (const db of ['A', 'B']) {
    const z = results[`${db} 0 segments`]!;
    const t = results[`${db} 20 segments`]!;
    const cost = (k: keyof Times) => Math.round((1 - mean(z, k) / mean(t, k)) * 100);
    const stream = Math.round((1 - (mean(z, 'process') + mean(z, 'again') + mean(z, 'everyday')) / (mean(t, 'process') + mean(t, 'again') + mean(t, 'everyday'))) * 100);
    console.log(
      `${db === 'A' ? 'A (changed)' : 'B (as migrated)'}: new ${cost('process')} % · worst ${cost('again')} % · everyday ${cost('everyday')} % · stream ${stream} %   (20-seg s: ${mean(t, 'process').toFixed(2)} ${mean(t, 'again').toFixed(2)} ${mean(t, 'everyday').toFixed(2)}; 0-seg s: ${mean(z, 'process').toFixed(2)} ${mean(z, 'again').toFixed(2)} ${mean(z, 'everyday').toFixed(2)})`,
    );
  }
} finally {
  for (const db of Object.values(dbs)) {
    await db.stop();
    rmSync(db.dir, { recursive: true, force: true });
  }
}
process.exit(0);
