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
 * Prints each database's upkeep cost per round (0 against 20 segments), its mean round times and
 * the Node CPU an event upkeep adds (`ab-rounds.ts`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLocalPort, startEmbeddedPostgres } from '@waymark/runtime';
import { alternate, threeRounds } from './ab-rounds.ts';
import { postgres } from './peer-baseline.ts';
import { applyAllMeasured, twoWorkspaces } from './segments.bench.ts';

const customers = Number(process.env.BENCH_SEGMENT_CUSTOMERS ?? 10_000);
const reps = Number(process.env.SCHEMA_AB_REPS ?? 4);
// By default A has no members index at all, with room on each page for updates in place (how it was measured on 2026-12-01).
const setupA = process.env.SCHEMA_AB_A ?? 'drop index customer_segments_segments; alter table customer_segments set (fillfactor = 80)';
const dbs: Record<string, { url: string; spaces: Awaited<ReturnType<typeof twoWorkspaces>>['spaces']; stop: () => Promise<void>; dir: string }> = {};
try {
  for (const name of ['A (changed)', 'B (as migrated)']) {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-schema-ab-'));
    const pg = await startEmbeddedPostgres(dir, await freeLocalPort());
    dbs[name] = { url: pg.url, spaces: (await twoWorkspaces(pg.url)).spaces, stop: () => pg.stop(), dir };
    if (name.startsWith('A') && setupA) {
      const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
      await admin.unsafe(setupA);
      await admin.end();
    }
  }
  let n = 0;
  await alternate(['A (changed)', 'B (as migrated)'] as const, reps, (db, space) =>
    threeRounds(dbs[db]!.url, dbs[db]!.spaces[space].writeKey, `r${n++}-`, customers, applyAllMeasured, `${db}, ${space}`),
  );
} finally {
  for (const db of Object.values(dbs)) {
    await db.stop();
    rmSync(db.dir, { recursive: true, force: true });
  }
}
process.exit(0);
