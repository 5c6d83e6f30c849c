import { everydayTraffic, ingestWith, newCustomers, orderingAgain, type applyAllMeasured } from './segments.bench.ts';

/**
 * What the two A/B tools (`schema-ab.ts`, `code-ab.ts`) share: the segments benchmark's three rounds
 * in one workspace, two variants alternated in a mirrored order so both see the same machine, and
 * the summary of upkeep's cost per variant.
 */
export type Space = '0 segments' | '20 segments';
type Times = { process: number; again: number; everyday: number };
/** A round's seconds, and the Node CPU (µs) per event, of each of its three parts. */
export type Round = { seconds: Times; node: Times };

const parts = ['process', 'again', 'everyday'] as const;

/** New customers, their orders again, their everyday traffic, in the workspace of `writeKey`, each applied by `apply`. */
export async function threeRounds(url: string, writeKey: string, prefix: string, customers: number, apply: typeof applyAllMeasured, label: string): Promise<Round> {
  const seconds = {} as Times;
  const node = {} as Times;
  const calls = { process: newCustomers(prefix, customers), again: orderingAgain(prefix, customers), everyday: everydayTraffic(prefix, customers) };
  for (const part of parts) {
    await ingestWith(url, writeKey, calls[part], `ingest ${part}`);
    const used = await apply(url, calls[part].length, `apply ${part} (${label})`);
    seconds[part] = used.seconds;
    node[part] = (used.node / calls[part].length) * 1e6;
  }
  return { seconds, node };
}

/**
 * Runs `round` for each variant and space once unmeasured, then `reps` times measured in the order
 * A·0, A·20, B·20, B·0 and its mirror, and prints per variant upkeep's cost per round (0 against
 * 20 segments), the mean round times and the Node CPU an event upkeep adds.
 */
export async function alternate<V extends string>(variants: readonly [V, V], reps: number, round: (variant: V, space: Space) => Promise<Round>): Promise<void> {
  const results = new Map<string, Round[]>();
  const [a, b] = variants;
  for (const variant of variants) for (const space of ['0 segments', '20 segments'] as const) await round(variant, space);
  const order: [V, Space][] = [
    [a, '0 segments'],
    [a, '20 segments'],
    [b, '20 segments'],
    [b, '0 segments'],
  ];
  for (let r = 0; r < reps; r++) {
    for (const [variant, space] of r % 2 ? [...order].reverse() : order) results.set(`${variant} ${space}`, [...(results.get(`${variant} ${space}`) ?? []), await round(variant, space)]);
  }
  const mean = (list: Times[], part: keyof Times) => list.reduce((sum, t) => sum + t[part], 0) / list.length;
  const total = (list: Times[]) => parts.reduce((sum, part) => sum + mean(list, part), 0);
  for (const variant of variants) {
    const of = (space: Space) => results.get(`${variant} ${space}`)!;
    const [none, twenty] = [of('0 segments').map((r) => r.seconds), of('20 segments').map((r) => r.seconds)];
    const cost = (part: keyof Times) => `${Math.round((1 - mean(none, part) / mean(twenty, part)) * 100)} %`;
    const times = (list: Times[]) => parts.map((part) => mean(list, part).toFixed(2)).join(' · ');
    const nodeOf = (space: Space) => of(space).map((r) => r.node);
    const added = parts.map((part) => (mean(nodeOf('20 segments'), part) - mean(nodeOf('0 segments'), part)).toFixed(1)).join(' · ');
    console.log(
      `${variant}: new ${cost('process')} · worst ${cost('again')} · everyday ${cost('everyday')} · stream ${Math.round((1 - total(none) / total(twenty)) * 100)} % (seconds, 20 segments ${times(twenty)}; 0 segments ${times(none)}; Node CPU µs an event that upkeep adds ${added})`,
    );
  }
}
