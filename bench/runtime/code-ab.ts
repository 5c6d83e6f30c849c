/**
 * Two versions of the runtime in one process, on one database: the segments benchmark's rounds
 * (new customers, their orders again, their everyday traffic; in a workspace without segments and
 * one with twenty) applied alternately by this checkout's event loops and by those of another
 * checkout (`CODE_AB_BASE`, a clone at the commit to compare with, its dependencies installed), in
 * a mirrored order — so a change to upkeep's code is judged against the machine's own drift, which
 * between separate runs of `pnpm bench segments` is larger than most such changes. Not part of
 * `pnpm bench`.
 *
 *   git clone -q . /tmp/base && (cd /tmp/base && git checkout -q <commit> && pnpm install --offline)
 *   CODE_AB_BASE=/tmp/base node bench/runtime/code-ab.ts
 *
 * Prints, per version, upkeep's cost per round (0 against 20 segments), the mean round times, and
 * the Node CPU per event upkeep adds (20 against 0 segments: what a change to Node's part moves;
 * `ab-rounds.ts`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLocalPort, startEmbeddedPostgres } from '@waymark/runtime';
import { alternate, threeRounds } from './ab-rounds.ts';
import * as here from './segments.bench.ts';

const base = process.env.CODE_AB_BASE;
if (!base) throw new Error('CODE_AB_BASE: the checkout to compare with');
const customers = Number(process.env.BENCH_SEGMENT_CUSTOMERS ?? 10_000);
const reps = Number(process.env.CODE_AB_REPS ?? 4);
const versions = { base: (await import(join(base, 'bench/runtime/segments.bench.ts'))) as typeof here, here };

const dir = mkdtempSync(join(tmpdir(), 'waymark-code-ab-'));
const pg = await startEmbeddedPostgres(dir, await freeLocalPort());
try {
  const { spaces } = await here.twoWorkspaces(pg.url);
  let n = 0;
  await alternate(['base', 'here'] as const, reps, (version, space) => threeRounds(pg.url, spaces[space].writeKey, `c${n++}-`, customers, versions[version].applyAllMeasured, `${version}, ${space}`));
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
