import {
  advance,
  compileJourney,
  startProgress,
  type CustomerEvent,
  type CustomerProfile,
  type Effect,
  type EngineContext,
  type JourneyDocumentInput,
  type JourneyMachine,
  type Progress,
} from '@waymark/shared';

type Input = JourneyDocumentInput;
type NodeSpec = [id: string, type: Input['graph']['nodes'][number]['type'], data: unknown];
type EdgeSpec = [source: string, target: string, handle?: string];

/** A journey from compact node and edge lists; the trigger is an event entry on `start` unless given. */
export function journey(spec: { nodes: NodeSpec[]; edges: EdgeSpec[]; settings?: object; entry?: unknown; id?: string }): JourneyMachine {
  return compileJourney(document(spec));
}

export function document(spec: { nodes: NodeSpec[]; edges: EdgeSpec[]; settings?: object; entry?: unknown; id?: string }): Input {
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

/** Node data shorthands. */
export const wait = (amount: number, unit: 'minutes' | 'hours' | 'days' | 'weeks' = 'days') => ({ wait: { kind: 'duration', duration: { amount, unit } } });
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
export const traitIs = (path: string, value: unknown) => ({ rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path, operator: 'equals', value }] } });

/** A customer reachable on email (and SMS with consent when given). */
export function customer(traits: Record<string, unknown> = {}, channels: CustomerProfile['channels'] = { email: { address: 'c@example.com' } }, id = 'c1'): CustomerProfile {
  return { id, traits, channels };
}

export const event = (name: string, timestamp: string, properties: Record<string, unknown> = {}): CustomerEvent => ({ name, properties, timestamp });

/** Starts and enters a run. */
export function enter(machine: JourneyMachine, now: string, ctx: Partial<EngineContext> = {}, trigger: CustomerEvent | null = event('start', now), id = 'p1') {
  const progress = startProgress({ id, machine, customerId: ctx.customer?.id ?? 'c1', trigger, key: null, now });
  return advance(machine, progress, { type: 'enter' }, { customer: customer(), ...ctx, now });
}

/** Fires the run's current timer at its due time (or `now`). */
export function fire(machine: JourneyMachine, progress: Progress, ctx: Partial<EngineContext> = {}) {
  const position = progress.position;
  if (!position) throw new Error('run is not parked');
  return advance(machine, progress, { type: 'timer-fired', timerId: position.timerId }, { customer: customer(), ...ctx, now: ctx.now ?? position.until });
}

/** Feeds a customer event at its timestamp. */
export function send(machine: JourneyMachine, progress: Progress, e: CustomerEvent, ctx: Partial<EngineContext> = {}) {
  return advance(machine, progress, { type: 'event', event: e }, { customer: customer(), ...ctx, now: e.timestamp });
}

export type Step = Extract<Effect, { type: 'record-step' }>;
export type Message = Extract<Effect, { type: 'send-message' }>;
export const steps = (effects: Effect[]) => effects.filter((e): e is Step => e.type === 'record-step').map((s) => [s.nodeId, s.handle, s.reason]);
export const messages = (effects: Effect[]) => effects.filter((e): e is Message => e.type === 'send-message');
export const ofType = <T extends Effect['type']>(effects: Effect[], type: T) => effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
