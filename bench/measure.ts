/** One line of the benchmark report. */
export interface BenchResult {
  name: string;
  figure: string;
  target: string;
  ok: boolean;
}

/** Runs `fn` repeatedly (after one cold run) and reports milliseconds: first, median, p90. */
export async function measure(name: string, fn: () => unknown, { iterations }: { iterations: number }) {
  const times: number[] = [];
  let first = 0;
  for (let i = 0; i <= iterations; i++) {
    const start = performance.now();
    await fn();
    const elapsed = performance.now() - start;
    if (i === 0) first = elapsed;
    else times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { name, first, median: at(0.5), p90: at(0.9) };
}

/** Prints progress on one line, for long runs. */
export function progress(label: string, done: number, total: number) {
  if (!process.stderr.isTTY && done !== total && done % Math.ceil(total / 10) !== 0) return;
  const percent = Math.round((done / total) * 100);
  process.stderr.write(process.stderr.isTTY ? `\r${label}: ${percent}%` : `${label}: ${percent}%\n`);
  if (done === total && process.stderr.isTTY) process.stderr.write('\n');
}
