/**
 * Whether ingestion by one process (events posted over HTTP to a process that applies them
 * meanwhile, the reading the segments benchmark holds to its target) costs more than its two
 * stages alone: in the segments benchmark's workspace without segments, four cycles of new
 * customers and then their orders again, each part accepted alone (workers off), applied alone
 * (API off), and then, on other fresh customers, taken in by one process. If one process took
 * much longer than the two stages one after the other, its time would hold waste of its own that
 * makes upkeep's share look smaller (BENCHMARKS.md, 2026-12-02). Not part of `pnpm bench`.
 *
 *   node bench/runtime/stages-vs-one-process.ts
 *
 * Prints each part's wall seconds, and the CPU Node and PostgreSQL used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLocalPort, startEmbeddedPostgres } from '@waymark/runtime';
import { acceptMeasured, applyAllMeasured, newCustomers, orderingAgain, takeInMeasured, twoWorkspaces } from './segments.bench.ts';

const customers = Number(process.env.BENCH_SEGMENT_CUSTOMERS ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-stages-'));
const pg = await startEmbeddedPostgres(dir, await freeLocalPort());
try {
  const { spaces } = await twoWorkspaces(pg.url);
  const { writeKey } = spaces['0 segments'];
  const show = (label: string, used: { seconds: number; node: number; postgres: number }) =>
    console.log(`${label}: wall ${used.seconds.toFixed(2)} s, node ${used.node.toFixed(2)} s, postgres ${used.postgres.toFixed(2)} s`);
  for (let cycle = 1; cycle <= 4; cycle++) {
    const [stages, oneProcess] = [`s${cycle}-`, `p${cycle}-`];
    show(`cycle ${cycle}, new customers, accepted alone`, await acceptMeasured(pg.url, writeKey, newCustomers(stages, customers), 'new customers'));
    show(`cycle ${cycle}, new customers, applied alone`, await applyAllMeasured(pg.url, customers * 2, 'new customers'));
    show(`cycle ${cycle}, orders again, accepted alone`, await acceptMeasured(pg.url, writeKey, orderingAgain(stages, customers), 'orders again'));
    show(`cycle ${cycle}, orders again, applied alone`, await applyAllMeasured(pg.url, customers, 'orders again'));
    show(`cycle ${cycle}, new customers, one process`, await takeInMeasured(pg.url, writeKey, newCustomers(oneProcess, customers), 'new customers'));
    show(`cycle ${cycle}, orders again, one process`, await takeInMeasured(pg.url, writeKey, orderingAgain(oneProcess, customers), 'orders again'));
  }
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
