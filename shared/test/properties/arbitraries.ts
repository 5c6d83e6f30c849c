import fc from 'fast-check';
import type { CustomerEvent, CustomerProfile, JourneyDocumentInput } from '@waymark/shared';

type NodeInput = JourneyDocumentInput['graph']['nodes'][number];
type EdgeInput = JourneyDocumentInput['graph']['edges'][number];

/** Event names the generated journeys wait for, aim at, or exit on; customers perform them. */
export const eventNames = ['start', 'paid', 'clicked', 'cancelled'] as const;
const channels = ['email', 'sms', 'push', 'webhook', 'in-app'] as const;

const content = {
  email: { subject: 'Hi {{ customer.name | default: "you" }}', html: '<p>{{ event.cartId | default: "-" }}</p>' },
  sms: { text: 'Hi {{ customer.name }}' }, // fails to render for customers without a name: a logged skip
  push: { title: 'T', body: 'B {{ journey.name }}' },
  webhook: { method: 'POST', url: 'https://hooks.test/{{ customer.id }}', body: '{"id": {{ customer.id | json }}}' },
  'in-app': { title: 'T', body: 'B' },
};

const duration = fc.record({ amount: fc.integer({ min: 0, max: 3 }), unit: fc.constantFrom('minutes', 'hours', 'days') });
const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const rule = fc.oneof(
  fc.record({ kind: fc.constant('trait'), path: fc.constantFrom('plan', 'age', 'name'), operator: fc.constantFrom('equals', 'exists', 'greater-than'), value: fc.constantFrom('pro', 30) }),
  fc.record({ kind: fc.constant('channel'), channel: fc.constantFrom(...channels), state: fc.constant('reachable-and-consented') }),
  fc.record({
    kind: fc.constant('event-count'),
    event: fc.constantFrom(...eventNames),
    comparison: fc.constant('at-least'),
    count: fc.integer({ min: 0, max: 2 }),
    within: fc.constant({ amount: 7, unit: 'days' }),
  }),
);

/** Node data by type, for every node type but trigger. */
const nodeData = {
  wait: fc.oneof(
    duration.map((d) => ({ wait: { kind: 'duration', duration: d } })),
    fc.record({ kind: fc.constant('time-of-day'), time, weekdays: fc.option(fc.subarray(['mon', 'wed', 'sat'], { minLength: 1 }), { nil: undefined }) }).map((wait) => ({ wait })),
    fc
      .record({ kind: fc.constant('date'), source: fc.constant('trait'), path: fc.constant('renews_at'), time: fc.option(time, { nil: undefined }), ifMissing: fc.constantFrom('exit', 'continue') })
      .map((wait) => ({ wait })),
  ),
  'wait-for-event': fc.record({
    event: fc.constantFrom(...eventNames),
    filter: fc.constantFrom(undefined, [{ path: 'cartId', operator: 'equals', valueFrom: { source: 'trigger-event', path: 'cartId' } }]),
    timeout: duration.map((d) => ({ ...d, amount: d.amount + 1 })),
  }),
  condition: fc.array(rule, { minLength: 1, maxLength: 3 }).chain((rules) => fc.constantFrom('all', 'any').map((match) => ({ rules: { kind: 'group', match, rules } }))),
  split: fc.boolean().map((holdout) => ({
    arms: [
      { id: 'a', weight: 40 },
      { id: 'b', weight: 40 },
      { id: 'c', weight: 20, holdout },
    ],
  })),
  send: fc.oneof(
    fc.record({ channel: fc.constantFrom(...channels), transactional: fc.boolean() }).map(({ channel, transactional }) => ({ delivery: { mode: 'channel', channel }, content, transactional })),
    fc.shuffledSubarray([...channels], { minLength: 1 }).map((list) => ({ delivery: { mode: 'preferred-channel', channels: list }, content })),
  ),
  'update-profile': fc.constant({
    operations: [
      { op: 'set', trait: 'plan', value: 'pro' },
      { op: 'unset', trait: 'age' },
    ],
  }),
} as const;
type Body = keyof typeof nodeData;
/** Whether a node always takes time (what the validator requires inside a loop). */
const pauses = (type: Body, data: { wait?: { kind: string; duration?: { amount: number } } }) =>
  type === 'wait-for-event' || (type === 'wait' && (data.wait!.kind === 'time-of-day' || (data.wait!.duration?.amount ?? 0) > 0));

/**
 * A random valid journey: nodes are placed in order, each fed by a still-open handle of an
 * earlier node (so all are reachable and forward edges cannot loop); leftover required handles go
 * to a final exit; leftover handles of waiting nodes may loop back (a loop through a wait).
 */
export const validJourney: fc.Arbitrary<JourneyDocumentInput> = fc
  .record({
    bodies: fc.array(
      fc.constantFrom(...(Object.keys(nodeData) as Body[])).chain((type) => nodeData[type].map((data) => ({ type, data }))),
      { minLength: 1, maxLength: 12 },
    ),
    picks: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
    settings: fc.record({
      reEntry: fc.constant({ mode: 'always' }),
      goal: fc.option(fc.record({ event: fc.constantFrom('paid', 'clicked'), window: duration, exitOnConversion: fc.boolean() }), { nil: undefined }),
      exitCriteria: fc.option(fc.constant({ events: [{ event: 'cancelled' }] }), { nil: undefined }),
      quietHours: fc.option(fc.record({ start: time, end: time, behavior: fc.constantFrom('defer', 'skip') }), { nil: undefined }),
      timeZone: fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'),
    }),
  })
  .map(({ bodies, picks, settings }) => {
    let pick = 0;
    const choose = (n: number) => picks[pick++ % picks.length]! % n;
    const nodes: NodeInput[] = [{ id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'start' } } }];
    const edges: EdgeInput[] = [];
    const open: { source: string; handle: string; required: boolean; waits: boolean }[] = [{ source: 'trigger', handle: 'next', required: true, waits: false }];
    const handlesOf = (type: Body, data: { arms?: { id: string; holdout: boolean }[] }) =>
      type === 'condition'
        ? [
            ['yes', true],
            ['no', true],
          ]
        : type === 'wait-for-event'
          ? [
              ['event', true],
              ['timeout', true],
            ]
          : type === 'split'
            ? data.arms!.map((a) => [a.id, !a.holdout])
            : [['next', false]];
    bodies.forEach(({ type, data }, i) => {
      if (open.length === 0) return;
      const id = `${type}-${i}`;
      const [from] = open.splice(choose(open.length), 1);
      nodes.push({ id, type, position: { x: 0, y: (i + 1) * 100 }, data } as NodeInput);
      edges.push({ id: `e${edges.length}`, source: from!.source, sourceHandle: from!.handle, target: id });
      for (const [handle, required] of handlesOf(type, data as never)) open.push({ source: id, handle: handle as string, required: required as boolean, waits: pauses(type, data as never) });
    });
    const loopTargets = nodes.slice(1);
    for (const handle of open) {
      const loop = handle.waits && loopTargets.length > 0 && choose(3) === 0;
      if (loop) edges.push({ id: `e${edges.length}`, source: handle.source, sourceHandle: handle.handle, target: loopTargets[choose(loopTargets.length)]!.id });
      else if (handle.required || choose(2) === 0) edges.push({ id: `e${edges.length}`, source: handle.source, sourceHandle: handle.handle, target: 'end' });
    }
    if (edges.some((edge) => edge.target === 'end')) nodes.push({ id: 'end', type: 'exit', position: { x: 0, y: 2000 }, data: {} });
    return { schemaVersion: 1, id: 'generated', name: 'Generated', settings, graph: { nodes, edges } } as JourneyDocumentInput;
  });

const consent = fc.constantFrom(undefined, 'opted-in', 'subscribed', 'unsubscribed');
const channelState = fc.option(fc.record({ address: fc.option(fc.constantFrom('addr-1', 'addr-2'), { nil: undefined }), consent }), { nil: undefined });

/** A random customer: traits, a real or bogus time zone, consent and addresses per channel. */
export const randomCustomer: fc.Arbitrary<CustomerProfile> = fc.record({
  id: fc.constantFrom('c1', 'c2', 'c3'),
  traits: fc.record(
    {
      name: fc.string({ maxLength: 5 }),
      plan: fc.constantFrom('pro', 'free'),
      age: fc.integer({ min: 10, max: 90 }),
      timezone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Pacific/Chatham', 'Not/AZone', ''),
      renews_at: fc.constantFrom('2026-12-01', '2026-11-20T08:00:00Z', 'soon', 1_800_000_000),
    },
    { requiredKeys: [] },
  ),
  channels: fc.record({ email: channelState, sms: channelState, push: channelState }, { requiredKeys: [] }) as fc.Arbitrary<CustomerProfile['channels']>,
  preferredChannel: fc.option(fc.constantFrom(...channels), { nil: undefined }),
});

const start = Date.parse('2026-11-25T10:00:00Z');

/** Events spread over the following two weeks, some with the trigger's cartId. */
export const randomEvents: fc.Arbitrary<CustomerEvent[]> = fc.array(
  fc.record({
    name: fc.constantFrom(...eventNames),
    properties: fc.constantFrom({}, { cartId: 'cart-1' }, { cartId: 'cart-2' }),
    timestamp: fc.integer({ min: 0, max: 14 * 86_400 }).map((s) => new Date(start + s * 1000).toISOString()),
  }),
  { maxLength: 8 },
);

export const startAt = new Date(start).toISOString();
