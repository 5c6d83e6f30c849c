import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  advance,
  compileJourney,
  defaultConsentPolicy,
  startProgress,
  type Channel,
  type ConsentPolicy,
  type CustomerProfile,
  type Effect,
  type EngineInput,
  type JourneyDocumentInput,
  type Progress,
} from '@waymark/shared';
import { randomEvents, startAt, validJourney } from './arbitraries.ts';

/** Consent policy, bounces and topics (SPEC M3, M11–M13) over random journeys, customers and policies. */

const personChannels = ['email', 'sms', 'push', 'in-app'] as const;
const mode = fc.constantFrom('opt-in', 'opt-out');
const policy: fc.Arbitrary<ConsentPolicy> = fc.record({ email: mode, sms: mode, push: mode, 'in-app': mode }, { requiredKeys: [] });
const state = fc.option(
  fc.record(
    {
      address: fc.constantFrom('addr-1', 'addr-2', null),
      consent: fc.constantFrom('opted-in', 'subscribed', 'unsubscribed'),
      bounced: fc.boolean(),
      topics: fc.dictionary(fc.constantFrom('news', 'offers'), fc.boolean()),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);
const customerArb: fc.Arbitrary<CustomerProfile> = fc.record({
  id: fc.constantFrom('c1', 'c2'),
  traits: fc.constant({ name: 'Ada' }),
  channels: fc.record({ email: state, sms: state, push: state, 'in-app': state }, { requiredKeys: [] }) as fc.Arbitrary<CustomerProfile['channels']>,
  preferredChannel: fc.option(fc.constantFrom<Channel>('email', 'sms', 'push', 'in-app', 'webhook'), { nil: undefined }),
});
/** A random journey whose sends may belong to a topic. */
const journeyWithTopics: fc.Arbitrary<JourneyDocumentInput> = fc.tuple(validJourney, fc.array(fc.constantFrom(undefined, 'news', 'offers'), { minLength: 12, maxLength: 12 })).map(([doc, topics]) => ({
  ...doc,
  graph: {
    ...doc.graph,
    nodes: doc.graph.nodes.map((node, i) => (node.type === 'send' && topics[i % 12] ? { ...node, data: { ...node.data, topic: topics[i % 12] } } : node)) as JourneyDocumentInput['graph']['nodes'],
  },
}));

/** Every effect a run emits, driven through its events and timers to the end (or 200 inputs). */
function play(
  doc: JourneyDocumentInput,
  customer: CustomerProfile,
  events: ReturnType<typeof randomEvents.generate>['value'],
  consentPolicy: ConsentPolicy,
): { effects: Effect[]; topicOf: (nodeId: string) => string | undefined } {
  const machine = compileJourney(doc);
  const trigger = { name: 'start', properties: { cartId: 'cart-1' }, timestamp: startAt };
  let progress: Progress = startProgress({ id: 'run', machine, customerId: customer.id, trigger, key: null, now: startAt });
  const effects: Effect[] = [];
  const pending = [...events].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  const feed = (now: string, input: EngineInput) => {
    const result = advance(machine, progress, input, { now, customer, events, consentPolicy });
    effects.push(...result.effects);
    progress = result.progress;
  };
  feed(startAt, { type: 'enter' });
  for (let i = 0; i < 200 && progress.status === 'active'; i++) {
    const next = pending[0];
    const timerAt = progress.position!.until;
    if (next && next.timestamp <= timerAt) feed(pending.shift()!.timestamp, { type: 'event', event: next });
    else feed(timerAt, { type: 'timer-fired', timerId: progress.position!.timerId });
  }
  const topicOf = (nodeId: string) => {
    const state = machine.states[nodeId];
    return state?.type === 'send' ? state.topic : undefined;
  };
  return { effects, topicOf };
}

describe('consent properties', () => {
  it('property: M3 M11 M12 M13 no message goes to an unsubscribed channel, a silent opt-in channel, a bounced address or an email topic the customer left', () => {
    fc.assert(
      fc.property(journeyWithTopics, customerArb, randomEvents, policy, (doc, customer, events, consentPolicy) => {
        const { effects, topicOf } = play(doc, customer, events, consentPolicy);
        for (const effect of effects) {
          if (effect.type !== 'send-message' || effect.channel === 'webhook') continue;
          const channel = customer.channels[effect.channel];
          expect(channel?.consent).not.toBe('unsubscribed');
          // A push address is a subscription, itself the yes (M11).
          if (channel?.consent === undefined && effect.channel !== 'push') expect({ ...defaultConsentPolicy, ...consentPolicy }[effect.channel]).toBe('opt-out');
          if (effect.channel !== 'in-app') expect(channel?.bounced).not.toBe(true);
          const topic = topicOf(effect.nodeId);
          if (effect.channel === 'email' && topic) expect(channel?.topics?.[topic]).not.toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('property: M3 M11 one send on one channel goes out exactly when consent (under the policy), an address, no bounce and the topic allow it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...personChannels), fc.constantFrom(undefined, 'news'), customerArb, policy, (channel, topic, customer, consentPolicy) => {
        const content = { email: { subject: 'S', html: '<p>h</p>' }, sms: { text: 'T' }, push: { title: 'T', body: 'B' }, 'in-app': { title: 'T', body: 'B' } };
        const doc: JourneyDocumentInput = {
          schemaVersion: 1,
          id: 'one',
          name: 'One',
          graph: {
            nodes: [
              { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'start' } } },
              { id: 'm', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel }, content: { [channel]: content[channel] }, ...(topic ? { topic } : {}) } },
            ],
            edges: [{ id: 'e', source: 'trigger', sourceHandle: 'next', target: 'm' }],
          },
        };
        const sent = play(doc, customer, [], consentPolicy).effects.some((e) => e.type === 'send-message');
        const s = customer.channels[channel];
        const mode = { ...defaultConsentPolicy, ...consentPolicy }[channel];
        const consented = s?.consent === 'opted-in' || s?.consent === 'subscribed' || (s?.consent === undefined && (mode === 'opt-out' || channel === 'push'));
        const reachable = channel === 'in-app' || (!!s?.address && s.bounced !== true);
        const inTopic = channel !== 'email' || !topic || s?.topics?.[topic] !== false;
        expect(sent).toBe(consented && reachable && inTopic);
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  it('property: M11 under opt-in, a customer with no consent state is never sent on that channel (push: unless subscribed, i.e. with a push address)', () => {
    fc.assert(
      fc.property(validJourney, customerArb, randomEvents, (doc, customer, events) => {
        const silent: CustomerProfile = { ...customer, channels: Object.fromEntries(Object.entries(customer.channels).map(([c, s]) => [c, s && { ...s, consent: undefined }])) };
        const optIn = { email: 'opt-in', sms: 'opt-in', push: 'opt-in', 'in-app': 'opt-in' } as const;
        const sent = play(doc, silent, events, optIn).effects.filter((e) => e.type === 'send-message' && e.channel !== 'webhook' && e.channel !== 'push');
        expect(sent).toEqual([]);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
