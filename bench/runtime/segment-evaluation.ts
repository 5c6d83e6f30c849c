import { type CustomerEvent, RuleGroup, segmentReads } from '@waymark/shared';
import { type CustomerRecord, createSegmentWrites, reevaluate, type SegmentDef, touchedBy } from '@waymark/runtime';

/**
 * What evaluating memberships costs in Node alone, with no database: the benchmark's twenty
 * segments, for a batch of returning customers' orders as in the worst-case round (each customer
 * with two orders, holding what the first made them match), `touchedBy` and `reevaluate` as the
 * event loop calls them. Returns µs per order, the median of 400 batches after 200 to warm up.
 * Set against the Node CPU upkeep adds to an order in the benchmark, it says how much of that is
 * the rules themselves and how much the rest (the history read and turned into events, garbage
 * collection, the driver).
 */
export function segmentEvaluation(segments: { name: string; rules: unknown }[], batchSize = 833): number {
  const defs: SegmentDef[] = segments.map(({ name, rules }, i) => {
    const parsed = RuleGroup.parse(rules);
    return { id: `segment-${i}`, number: i + 1, workspaceId: 'ws', name, rules: parsed, reads: segmentReads(parsed) };
  });
  const now = Date.now();
  const order = (id: string, total: number, at: number): CustomerEvent => ({ id, name: 'Order Completed', properties: { total }, timestamp: new Date(at).toISOString() });
  const batch = (): CustomerRecord[] =>
    Array.from({ length: batchSize }, (_, i) => {
      const events = [order(`o${i}`, i % 40, now - 60_000 - i), order(`p${i}`, (i * 7) % 40, now - i)];
      const customer: CustomerRecord = {
        workspaceId: 'ws',
        profile: { id: `customer-${i}`, traits: { plan: ['free', 'pro', 'team'][i % 3], email: `c${i}@example.com` }, channels: { email: { address: `c${i}@example.com` } } },
        frequencyCap: {},
        workspaceZone: 'UTC',
        consentPolicy: {},
        events: events.slice(0, 1),
        sentByDay: new Map(),
        traitsChanged: { set: {}, unset: new Set() },
      };
      // What the first order made them (every segment as of then), and when to check again.
      const first = createSegmentWrites();
      reevaluate(customer, defs, defs, now - 60_000, first);
      const recheckAt = first.rechecks.get(customer.profile.id)?.dueAt;
      if (recheckAt !== undefined) customer.recheckAt = recheckAt;
      customer.events = events;
      return customer;
    });
  const input = { type: 'track', name: 'Order Completed' } as const;
  const run = () => {
    const customers = batch();
    const start = performance.now();
    const writes = createSegmentWrites();
    for (const customer of customers) reevaluate(customer, defs, touchedBy(defs, input), now, writes);
    return performance.now() - start;
  };
  for (let i = 0; i < 200; i++) run();
  const times = Array.from({ length: 400 }, run).sort((a, b) => a - b);
  return (times[times.length >> 1]! / batchSize) * 1000;
}
