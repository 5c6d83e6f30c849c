import {
  advance,
  bucketOf,
  compileJourney,
  startProgress,
  type AdvanceResult,
  type CustomerEvent,
  type CustomerProfile,
  type Effect,
  type EngineContext,
  type EngineInput,
  type JourneyDocumentInput,
  type JourneyMachine,
  type Progress,
} from '@waymark/shared';

/** Builders for journey documents and helpers to drive runs in engine tests. Documents are plain JSON. */

type Input = JourneyDocumentInput;
export type NodeSpec = [id: string, type: Input['graph']['nodes'][number]['type'], data: unknown];
export type EdgeSpec = [source: string, target: string, handle?: string];
export interface JourneySpec {
  nodes: NodeSpec[];
  edges: EdgeSpec[];
  settings?: object;
  entry?: unknown;
  id?: string;
}

/** A journey document from compact node and edge lists; the trigger is an event entry on `start` unless given. */
export function document(spec: JourneySpec): Input {
  const trigger: NodeSpec = ['trigger', 'trigger', { entry: spec.entry ?? { kind: 'event', event: 'start' } }];
  return {
    schemaVersion: 1,
    id: spec.id ?? 'j',
    name: 'Test journey',
    settings: spec.settings as Input['settings'],
    graph: {
      nodes: [trigger, ...spec.nodes].map(([id, type, data], i) => ({ id, type, position: { x: 0, y: i * 100 }, data }) as Input['graph']['nodes'][number]),
      edges: spec.edges.map(([source, target, sourceHandle = 'next'], i) => ({ id: `e${i}`, source, sourceHandle, target })),
    },
  };
}

/** Compiles a document built by `document`. */
export function journey(spec: JourneySpec): JourneyMachine {
  return compileJourney(document(spec));
}

/** Edges trigger → a → b … along `next` handles. */
export const path = (...ids: string[]): EdgeSpec[] => ids.slice(1).map((id, i) => [ids[i]!, id]);

/** Nodes in one line after the trigger; the last node's `next` stays unconnected. */
export function linear(nodes: NodeSpec[], options: Omit<JourneySpec, 'nodes' | 'edges'> = {}): JourneyMachine {
  return journey({ ...options, nodes, edges: path('trigger', ...nodes.map(([id]) => id)) });
}

// Node data.
type Unit = 'minutes' | 'hours' | 'days' | 'weeks';
export const wait = (amount: number, unit: Unit = 'days') => ({ wait: { kind: 'duration', duration: { amount, unit } } });
export const timeOfDay = (time: string, extra: object = {}) => ({ wait: { kind: 'time-of-day', time, ...extra } });
export const dateWait = (path: string, extra: object = {}) => ({ wait: { kind: 'date', source: 'trait', path, ...extra } });
export const waitForEvent = (event: string, filter?: object[], timeout = { amount: 4, unit: 'hours' }) => ({ event, timeout, ...(filter ? { filter } : {}) });
/** "The same cart as the one that started this run." */
export const sameCart = [{ path: 'cartId', operator: 'equals', valueFrom: { source: 'trigger-event', path: 'cartId' } }];

export const email = (subject = 'Hello {{ customer.first_name | default: "you" }}', extra: Record<string, unknown> = {}) => ({
  delivery: { mode: 'channel', channel: 'email' },
  content: { email: { subject, html: '<p>Hi</p>' } },
  ...extra,
});
export const sms = (text = 'Hi {{ customer.first_name | default: "there" }}', extra: Record<string, unknown> = {}) => ({
  delivery: { mode: 'channel', channel: 'sms' },
  content: { sms: { text } },
  ...extra,
});
export const push = (title = 'Psst', extra: Record<string, unknown> = {}) => ({
  delivery: { mode: 'channel', channel: 'push' },
  content: { push: { title, body: 'Come back' } },
  ...extra,
});
/** An in-app message; `fields` adds to its content (a `cta`). */
export const inApp = (title = 'Welcome back', fields: object = {}) => ({
  delivery: { mode: 'channel', channel: 'in-app' },
  content: { 'in-app': { title, body: 'Have a look', ...fields } },
});
/** A POST webhook; `fields` adds to its content (`headers`). */
export const webhook = (body?: string, fields: object = {}) => ({
  delivery: { mode: 'channel', channel: 'webhook' },
  content: { webhook: { method: 'POST', url: 'https://hooks.example.com/{{ customer.id }}', ...(body === undefined ? {} : { body }), ...fields } },
});
/** A preferred-channel send with content for every person channel. */
export const preferred = (channels: string[]) => ({
  delivery: { mode: 'preferred-channel', channels },
  content: {
    email: { subject: 'By email', html: '<p>e</p>' },
    sms: { text: 'By SMS' },
    push: { title: 'By push', body: 'p' },
    'in-app': { title: 'In the app', body: 'i' },
  },
});

export const rules = (match: 'all' | 'any', ...list: object[]) => ({ rules: { kind: 'group', match, rules: list } });
export const traitIs = (path: string, value: unknown) => rules('all', { kind: 'trait', path, operator: 'equals', value });
export const setTraits = (...operations: object[]) => ({ operations });
export const arms = (...list: object[]) => ({ arms: list });

// Settings.
export const goal = (extra: object = {}) => ({ goal: { event: 'purchase', window: { amount: 7, unit: 'days' }, ...extra } });
export const quietHours = (start = '21:00', end = '08:00', behavior: 'defer' | 'skip' = 'defer') => ({ quietHours: { start, end, behavior } });

// Customers and events.
export const everywhere = {
  email: { address: 'ada@example.com' },
  sms: { address: '+15550100', consent: 'opted-in' },
  push: { address: 'push-token-1', consent: 'subscribed' },
} as const satisfies CustomerProfile['channels'];

/** A customer reachable on email unless other channels are given. */
export function customer(traits: Record<string, unknown> = {}, channels: CustomerProfile['channels'] = { email: { address: 'ada@example.com' } }, id = 'c1'): CustomerProfile {
  return { id, traits, channels };
}

export const event = (name: string, timestamp: string, properties: Record<string, unknown> = {}): CustomerEvent => ({ name, properties, timestamp });

/** The first customer id `c0`, `c1`, … whose split bucket for this node lies in [from, to). */
export function customerIdInBucket(machine: JourneyMachine, nodeId: string, from: number, to: number): string {
  for (let i = 0; i < 10_000; i++) {
    const bucket = bucketOf(`${machine.journeyId}:${nodeId}:c${i}`);
    if (bucket >= from && bucket < to) return `c${i}`;
  }
  throw new Error('no customer id in that bucket');
}

// Driving runs. "Later" is always a `now` value.
export type Ctx = Partial<EngineContext>;

/** A fresh, not yet entered run. */
export function start(machine: JourneyMachine, now: string, trigger: CustomerEvent | null = event('start', now), id = 'p1', customerId = 'c1'): Progress {
  return startProgress({ id, machine, customerId, trigger, key: null, now });
}

/** Starts and enters a run. */
export function enter(machine: JourneyMachine, now: string, ctx: Ctx = {}, trigger: CustomerEvent | null = event('start', now), id = 'p1'): AdvanceResult {
  const profile = ctx.customer ?? customer();
  return advance(machine, start(machine, now, trigger, id, profile.id), { type: 'enter' }, { ...ctx, customer: profile, now });
}

/** Fires the run's current timer at its due time (or at `ctx.now`). */
export function fire(machine: JourneyMachine, progress: Progress, ctx: Ctx = {}): AdvanceResult {
  const position = progress.position;
  if (!position) throw new Error('the run is not parked');
  return feed(machine, progress, { type: 'timer-fired', timerId: position.timerId }, { now: position.until, ...ctx });
}

/** Feeds a customer event at its timestamp. */
export function track(machine: JourneyMachine, progress: Progress, e: CustomerEvent, ctx: Ctx = {}): AdvanceResult {
  return feed(machine, progress, { type: 'event', event: e }, { now: e.timestamp, ...ctx });
}

/** Any input; the customer defaults to `customer()`. */
export function feed(machine: JourneyMachine, progress: Progress, input: EngineInput, ctx: Ctx & { now: string }): AdvanceResult {
  return advance(machine, progress, input, { customer: customer(), ...ctx });
}

// Reading effects.
export type Step = Extract<Effect, { type: 'record-step' }>;
export type Message = Extract<Effect, { type: 'send-message' }>;
export const ofType = <T extends Effect['type']>(effects: Effect[], type: T) => effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
/** Steps as `[nodeId, handle, reason]`. */
export const steps = (effects: Effect[]) => ofType(effects, 'record-step').map((s) => [s.nodeId, s.handle, s.reason]);
export const messages = (effects: Effect[]) => ofType(effects, 'send-message');
/** The step a node recorded. */
export function stepAt(effects: Effect[], nodeId: string): Step {
  const found = ofType(effects, 'record-step').find((s) => s.nodeId === nodeId);
  if (!found) throw new Error(`no step recorded at ${nodeId}`);
  return found;
}

/** Freezes a value and everything inside it, so any mutation throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
