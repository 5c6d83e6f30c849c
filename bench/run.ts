import { cpus, totalmem } from 'node:os';
import { advanceBench } from './engine/advance.bench.ts';
import { compileBench } from './engine/compile.bench.ts';
import { channelsBench } from './runtime/channels.bench.ts';
import { runtimeBench } from './runtime/runtime.bench.ts';
import { segmentStatsBench } from './runtime/segment-stats.bench.ts';
import { segmentsBench } from './runtime/segments.bench.ts';
import { statsBench } from './runtime/stats.bench.ts';
import { builderBench } from './web/builder.bench.ts';
import type { BenchResult } from './measure.ts';

/** `pnpm bench`: runs every benchmark and prints a Markdown table for BENCHMARKS.md. */
const suites: [string, () => Promise<BenchResult[]>][] = [
  ['compile', compileBench],
  ['engine', advanceBench],
  ['runtime', runtimeBench],
  ['stats', statsBench],
  ['channels', channelsBench],
  ['segments', segmentsBench],
  ['segment-stats', segmentStatsBench],
  ['web', builderBench],
];

const only = process.argv.slice(2);
const results: BenchResult[] = [];
for (const [name, run] of suites) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`running ${name}…\n`);
  results.push(...(await run()));
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nMachine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
console.log('| benchmark | result | target | |');
console.log('|---|---|---|---|');
for (const r of results) console.log(`| ${r.name} | ${r.figure} | ${r.target} | ${r.target === 'report' ? '' : r.ok ? 'met' : 'missed'} |`);
