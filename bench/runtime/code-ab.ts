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
 * the Node CPU per event upkeep adds (20 against 0 segments: what a change to Node's part moves).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLocalPort, startEmbeddedPostgres } from '@waymark/runtime';
import * as here from './segments.bench.ts';

const base = process.env.CODE_AB_BASE;
if (!base) throw new Error('CODE_AB_BASE: the checkout to compare with');
const customers = Number(process.env.BENCH_SEGMENT_CUSTOMERS ?? 10_000);
const reps = Number(process.env.CODE_AB_REPS ?? 4);
const versions = { base: (await import(join(base, 'bench/runtime/segments.bench.ts'))) as typeof here, here };
type Version = keyof typeof versions;
type Space = '0 segments' | '20 segments';
type Times = { process: number; again: number; everyday: number };
type Round = { seconds: Times; node: Times };

const dir = mkdtempSync(join(tmpdir(), 'waymark-code-ab-'));
const pg = await startEmbeddedPostgres(dir, await freeLocalPort());
const results = new Map<string, Round[]>();
try {
  const { spaces } = await here.twoWorkspaces(pg.url);
  let n = 0;
  const round = async (version: Version, space: Space, measured: boolean) => {
    const { applyAllMeasured } = versions[version];
    const { writeKey } = spaces[space];
    const prefix = `c${n++}-`;
    const apply = async (calls: object[], label: string) => {
      await here.ingestWith(pg.url, writeKey, calls, `ingest ${label}`);
      const used = await applyAllMeasured(pg.url, calls.length, `apply ${label} (${version}, ${space})`);
      return { seconds: used.seconds, node: (used.node / calls.length) * 1e6 };
    };
    const process = await apply(here.newCustomers(prefix, customers), 'new');
    const again = await apply(here.orderingAgain(prefix, customers), 'again');
    const everyday = await apply(here.everydayTraffic(prefix, customers), 'everyday');
    const round: Round = {
      seconds: { process: process.seconds, again: again.seconds, everyday: everyday.seconds },
      node: { process: process.node, again: again.node, everyday: everyday.node },
    };
    if (measured) results.set(`${version} ${space}`, [...(results.get(`${version} ${space}`) ?? []), round]);
  };
  for (const version of ['base', 'here'] as const) for (const space of ['0 segments', '20 segments'] as const) await round(version, space, false);
  const order: [Version, Space][] = [
    ['base', '0 segments'],
    ['base', '20 segments'],
    ['here', '20 segments'],
    ['here', '0 segments'],
  ];
  for (let r = 0; r < reps; r++) for (const [version, space] of r % 2 ? [...order].reverse() : order) await round(version, space, true);
  const mean = (list: Times[], key: keyof Times) => list.reduce((sum, t) => sum + t[key], 0) / list.length;
  const total = (list: Times[]) => mean(list, 'process') + mean(list, 'again') + mean(list, 'everyday');
  const keys = ['process', 'again', 'everyday'] as const;
  for (const version of ['base', 'here'] as const) {
    const none = results.get(`${version} 0 segments`)!.map((r) => r.seconds);
    const twenty = results.get(`${version} 20 segments`)!.map((r) => r.seconds);
    const nodeOf = (space: Space) => results.get(`${version} ${space}`)!.map((r) => r.node);
    const added = keys.map((key) => (mean(nodeOf('20 segments'), key) - mean(nodeOf('0 segments'), key)).toFixed(1)).join(' · ');
    const cost = (key: keyof Times) => `${Math.round((1 - mean(none, key) / mean(twenty, key)) * 100)} %`;
    const times = (list: Times[]) => keys.map((key) => mean(list, key).toFixed(2)).join(' · ');
    console.log(
      `${version}: new ${cost('process')} · worst ${cost('again')} · everyday ${cost('everyday')} · stream ${Math.round((1 - total(none) / total(twenty)) * 100)} % (seconds, 20 segments ${times(twenty)}; 0 segments ${times(none)}; Node CPU µs an event that upkeep adds ${added})`,
    );
  }
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
