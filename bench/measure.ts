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

const shown = new Map<string, number>();

/** Prints progress on one line on a terminal; elsewhere a line per 10%, each once. */
export function progress(label: string, done: number, total: number) {
  const percent = Math.floor((done / total) * 100);
  if (process.stderr.isTTY) {
    process.stderr.write(`\r${label}: ${percent}%`);
    if (done === total) process.stderr.write('\n');
    return;
  }
  const step = Math.floor(percent / 10) * 10;
  if (shown.get(label) === step) return;
  shown.set(label, step);
  process.stderr.write(`${label}: ${step}%\n`);
}
