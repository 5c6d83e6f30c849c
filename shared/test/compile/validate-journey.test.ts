import { describe, expect, it } from 'vitest';
import { CompileErrorCode, reviewJourney, validateJourney, type CompileError } from '@waymark/shared';
import { document, email, traitIs, wait } from '../engine/journeys.ts';

const codes = (errors: CompileError[]) => errors.map((e) => e.code);
const only = (errors: CompileError[], code: CompileError['code']) => errors.filter((e) => e.code === code);
const valid = () =>
  document({
    nodes: [
      ['hello', 'send', email()],
      ['bye', 'exit', {}],
    ],
    edges: [
      ['trigger', 'hello'],
      ['hello', 'bye'],
    ],
  });
const seen = new Set<string>();
const expectError = (errors: CompileError[], expected: Partial<CompileError> & { code: CompileError['code'] }) => {
  seen.add(expected.code);
  const match = only(errors, expected.code);
  expect(match).toContainEqual(expect.objectContaining(expected));
  for (const error of match) expect(error.message.length).toBeGreaterThan(10);
};

describe('validateJourney', () => {
  it('a valid journey has no errors', () => {
    expect(validateJourney(valid())).toEqual([]);
  });

  it('never throws on garbage, and says what is wrong with the document', () => {
    for (const garbage of [null, 42, 'journey', [], {}, { schemaVersion: 1, id: 'x', name: 'x', graph: { nodes: [{ id: 'a' }], edges: [] } }]) {
      const errors = validateJourney(garbage);
      expect(errors.length).toBeGreaterThan(0);
    }
    expectError(validateJourney({ ...valid(), schemaVersion: 2 }), { code: 'invalid-document', field: 'schemaVersion' });
  });

  it('invalid settings point at the setting', () => {
    expectError(validateJourney({ ...valid(), settings: { reEntry: { mode: 'sometimes' } } }), { code: 'invalid-settings', field: 'settings.reEntry.mode' });
  });

  it('no trigger, and more than one trigger', () => {
    const doc = valid();
    expectError(validateJourney({ ...doc, graph: { nodes: doc.graph.nodes.slice(1), edges: [] } }), { code: 'no-trigger' });
    const two = document({
      nodes: [
        ['again', 'trigger', { entry: { kind: 'api' } }],
        ['hello', 'send', email()],
      ],
      edges: [
        ['trigger', 'hello'],
        ['again', 'hello'],
      ],
    });
    expectError(validateJourney(two), { code: 'multiple-triggers', nodeId: 'again' });
  });

  it('duplicate node ids and unknown node types', () => {
    const doc = valid();
    expectError(validateJourney({ ...doc, graph: { ...doc.graph, nodes: [...doc.graph.nodes, doc.graph.nodes[2]!] } }), { code: 'duplicate-node-id', nodeId: 'bye' });
    const odd = { ...doc, graph: { ...doc.graph, nodes: [...doc.graph.nodes, { id: 'q', type: 'teleport', position: { x: 0, y: 0 }, data: {} }] } };
    expectError(validateJourney(odd), { code: 'unknown-node-type', nodeId: 'q', field: 'type' });
  });

  it('invalid node data is mapped to the node and the field inside data', () => {
    const doc = document({ nodes: [['hello', 'send', { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: '  ', html: '<p/>' } } }]], edges: [['trigger', 'hello']] });
    expectError(validateJourney(doc), { code: 'invalid-node-data', nodeId: 'hello', field: 'content.email.subject', message: 'Write a subject' });
    const noContent = document({ nodes: [['hello', 'send', { delivery: { mode: 'channel', channel: 'sms' }, content: {} }]], edges: [['trigger', 'hello']] });
    expectError(validateJourney(noContent), { code: 'invalid-node-data', nodeId: 'hello', field: 'content.sms' });
    const badWait = document({ nodes: [['w', 'wait', { wait: { kind: 'time-of-day', time: '25:00' } }]], edges: [['trigger', 'w']] });
    expectError(validateJourney(badWait), { code: 'invalid-node-data', nodeId: 'w', field: 'wait.time' });
  });

  it('edges: duplicate ids, missing nodes, unknown handles, into the trigger, two edges from one handle', () => {
    const doc = valid();
    const edges = (list: object[]) => validateJourney({ ...doc, graph: { ...doc.graph, edges: [...doc.graph.edges, ...list] } });
    expectError(edges([{ id: 'e0', source: 'hello', sourceHandle: 'next', target: 'bye' }]), { code: 'duplicate-edge-id', edgeId: 'e0' });
    expectError(edges([{ id: 'x1', source: 'bye', sourceHandle: 'next', target: 'ghost' }]), { code: 'missing-node', edgeId: 'x1' });
    expectError(edges([{ id: 'x2', source: 'hello', sourceHandle: 'yes', target: 'bye' }]), { code: 'unknown-handle', edgeId: 'x2', nodeId: 'hello' });
    expectError(edges([{ id: 'x3', source: 'hello', sourceHandle: 'next', target: 'trigger' }]), { code: 'edge-into-trigger', edgeId: 'x3' });
    expectError(edges([{ id: 'x4', source: 'hello', sourceHandle: 'next', target: 'trigger' }]), { code: 'edge-into-trigger' });
    const twice = document({
      nodes: [
        ['hello', 'send', email()],
        ['a', 'exit', {}],
        ['b', 'exit', {}],
      ],
      edges: [
        ['trigger', 'hello'],
        ['hello', 'a'],
        ['hello', 'b'],
      ],
    });
    expectError(validateJourney(twice), { code: 'duplicate-handle-edge', nodeId: 'hello', edgeId: 'e2' });
  });

  it('a required branch without an edge is dangling; an open next is allowed', () => {
    const doc = document({
      nodes: [
        ['pro', 'condition', traitIs('plan', 'pro')],
        ['hello', 'send', email()],
      ],
      edges: [
        ['trigger', 'pro'],
        ['pro', 'hello', 'yes'],
      ],
    });
    expectError(validateJourney(doc), { code: 'dangling-handle', nodeId: 'pro', field: 'no' });
    expect(codes(validateJourney(doc))).toEqual(['dangling-handle']);
    const holdout = document({
      nodes: [
        [
          'ab',
          'split',
          {
            arms: [
              { id: 'a', weight: 90 },
              { id: 'h', weight: 10, holdout: true },
            ],
          },
        ],
        ['hello', 'send', email()],
      ],
      edges: [
        ['trigger', 'ab'],
        ['ab', 'hello', 'a'],
      ],
    });
    expect(validateJourney(holdout)).toEqual([]);
  });

  it('a node no path reaches is unreachable', () => {
    const doc = document({
      nodes: [
        ['hello', 'send', email()],
        ['lost', 'exit', {}],
      ],
      edges: [['trigger', 'hello']],
    });
    expectError(validateJourney(doc), { code: 'unreachable-node', nodeId: 'lost' });
  });

  it('a loop without a wait is refused; a loop through a wait is fine', () => {
    const tight = document({
      nodes: [
        ['pro', 'condition', traitIs('plan', 'pro')],
        ['hello', 'send', email()],
        ['x', 'exit', {}],
      ],
      edges: [
        ['trigger', 'pro'],
        ['pro', 'hello', 'yes'],
        ['pro', 'x', 'no'],
        ['hello', 'pro'],
      ],
    });
    expectError(validateJourney(tight), { code: 'cycle-without-wait' });
    expect(only(validateJourney(tight), 'cycle-without-wait')[0]!.message).toContain('pro → hello');
    const self = document({
      nodes: [['hello', 'send', email()]],
      edges: [
        ['trigger', 'hello'],
        ['hello', 'hello'],
      ],
    });
    expectError(validateJourney(self), { code: 'cycle-without-wait', nodeId: 'hello' });
    const paced = document({
      nodes: [
        ['pro', 'condition', traitIs('plan', 'pro')],
        ['hello', 'send', email()],
        ['day', 'wait', wait(1)],
        ['x', 'exit', {}],
      ],
      edges: [
        ['trigger', 'pro'],
        ['pro', 'hello', 'yes'],
        ['pro', 'x', 'no'],
        ['hello', 'day'],
        ['day', 'pro'],
      ],
    });
    expect(validateJourney(paced)).toEqual([]);
    const instantWaits = [wait(0), { wait: { kind: 'date', source: 'trait', path: 'due', ifMissing: 'continue' } }];
    for (const data of instantWaits) {
      const loop = document({
        nodes: [
          ['w', 'wait', data],
          ['hello', 'send', email()],
        ],
        edges: [
          ['trigger', 'w'],
          ['w', 'hello'],
          ['hello', 'w'],
        ],
      });
      expectError(validateJourney(loop), { code: 'cycle-without-wait' });
    }
  });

  it('a Liquid syntax error names the field', () => {
    const doc = document({ nodes: [['hello', 'send', email('Hi {{ customer.first_name ')]], edges: [['trigger', 'hello']] });
    expectError(validateJourney(doc), { code: 'template-syntax', nodeId: 'hello', field: 'content.email.subject' });
    const set = document({ nodes: [['up', 'update-profile', { operations: [{ op: 'set', trait: 'x', value: '{% if %}' }] }]], edges: [['trigger', 'up']] });
    expectError(validateJourney(set), { code: 'template-syntax', nodeId: 'up', field: 'operations.0.value' });
    const filter = document({ nodes: [['hello', 'send', email('{{ customer.id | shout }}')]], edges: [['trigger', 'hello']] });
    expectError(validateJourney(filter), { code: 'template-syntax', field: 'content.email.subject' });
  });

  it('split weights must sum to 100 and arms need distinct ids', () => {
    const doc = document({
      nodes: [
        [
          'ab',
          'split',
          {
            arms: [
              { id: 'a', weight: 60 },
              { id: 'a', weight: 30 },
            ],
          },
        ],
        ['x', 'exit', {}],
      ],
      edges: [
        ['trigger', 'ab'],
        ['ab', 'x', 'a'],
      ],
    });
    const errors = validateJourney(doc);
    expectError(errors, { code: 'split-weights', nodeId: 'ab', field: 'arms', message: 'Split weights add up to 90%; they must add up to 100%.' });
    expectError(errors, { code: 'duplicate-split-arm', nodeId: 'ab', field: 'arms.1.id' });
  });

  it('time zones must exist', () => {
    expectError(validateJourney({ ...valid(), settings: { timeZone: 'Europe/Atlantis' } }), { code: 'invalid-time-zone', field: 'settings.timeZone' });
    const doc = document({ nodes: [['w', 'wait', { wait: { kind: 'time-of-day', time: '09:00', fallbackTimeZone: 'Nowhere/Else' } }]], edges: [['trigger', 'w']] });
    expectError(validateJourney(doc), { code: 'invalid-time-zone', nodeId: 'w', field: 'wait.fallbackTimeZone' });
  });

  it('reading the trigger event in a journey not started by an event or an enrollment is refused', () => {
    const doc = document({
      entry: { kind: 'segment', rules: { kind: 'group', match: 'all', rules: [] } },
      nodes: [['hello', 'send', email('Your cart {{ event.cartId }}')]],
      edges: [['trigger', 'hello']],
    });
    expectError(validateJourney(doc), { code: 'trigger-reference-without-event', nodeId: 'hello', field: 'content.email.subject' });
    expect(validateJourney({ ...doc, graph: { ...doc.graph, nodes: [{ ...doc.graph.nodes[0]!, data: { entry: { kind: 'event', event: 'cart' } } }, doc.graph.nodes[1]!] } })).toEqual([]);
    // An enrollment's properties are its trigger's (SPEC E4); such a journey is reminded that only enrollments start it.
    const byApi = { ...doc, graph: { ...doc.graph, nodes: [{ ...doc.graph.nodes[0]!, data: { entry: { kind: 'api' } } }, doc.graph.nodes[1]!] } };
    expect(validateJourney(byApi)).toEqual([]);
    expectError(reviewJourney(byApi), { code: 'enrolled-only', severity: 'warning', nodeId: 'trigger', field: 'entry' });
  });

  it('a message rule must point at a send node', () => {
    const doc = document({
      nodes: [
        ['opened', 'condition', { rules: { kind: 'group', match: 'all', rules: [{ kind: 'message', nodeId: 'bye', activity: 'opened' }] } }],
        ['bye', 'exit', {}],
      ],
      edges: [
        ['trigger', 'opened'],
        ['opened', 'bye', 'yes'],
        ['opened', 'bye', 'no'],
      ],
    });
    expectError(validateJourney(doc), { code: 'unknown-message-node', nodeId: 'opened', field: 'rules.rules.0.nodeId' });
  });

  it('an event count counts in one window, in the last … or between two dates in order', () => {
    const counting = (window: object) =>
      document({
        nodes: [
          ['c', 'condition', { rules: { kind: 'group', match: 'all', rules: [{ kind: 'event-count', event: 'purchase', comparison: 'at-least', count: 1, ...window }] } }],
          ['x', 'exit', {}],
        ],
        edges: [
          ['trigger', 'c'],
          ['c', 'x', 'yes'],
          ['c', 'x', 'no'],
        ],
      });
    expect(validateJourney(counting({ between: { from: '2026-11-01', to: '2026-11-30' } }))).toEqual([]);
    expectError(validateJourney(counting({})), { code: 'invalid-node-data', nodeId: 'c', field: 'rules.rules.0.within', message: 'Count in one window: in the last …, or between two dates' });
    expectError(validateJourney(counting({ within: { amount: 7, unit: 'days' }, between: { from: '2026-11-01', to: '2026-11-30' } })), { code: 'invalid-node-data', field: 'rules.rules.0.within' });
    expectError(validateJourney(counting({ between: { from: '2026-11-30', to: '2026-11-01' } })), {
      code: 'invalid-node-data',
      field: 'rules.rules.0.between.to',
      message: 'The first date must not be after the last',
    });
  });

  it('a segment a rule, a segment trigger or an exit criterion names must exist in the workspace (when its segments are known)', () => {
    const doc = document({
      entry: { kind: 'segment-change', segmentId: 'seg-gone', change: 'entered' },
      settings: { exitCriteria: { segments: [{ segmentId: 'seg-trial' }] } },
      nodes: [
        ['in', 'condition', { rules: { kind: 'group', match: 'all', rules: [{ kind: 'segment', segmentId: 'seg-old', state: 'in' }] } }],
        ['bye', 'exit', {}],
      ],
      edges: [
        ['trigger', 'in'],
        ['in', 'bye', 'yes'],
        ['in', 'bye', 'no'],
      ],
    });
    expect(validateJourney(doc)).toEqual([]);
    const errors = validateJourney(doc, { segments: [{ id: 'seg-trial', name: 'Trial' }] });
    expectError(errors, { code: 'unknown-segment', nodeId: 'trigger', field: 'entry.segmentId' });
    expectError(errors, { code: 'unknown-segment', nodeId: 'in', field: 'rules.rules.0.segmentId' });
    expect(errors).toHaveLength(2);
    expectError(validateJourney(doc, { segments: [] }), { code: 'unknown-segment', field: 'settings.exitCriteria.segments.0.segmentId' });
  });

  it('with a catalog, unknown traits, events and properties are warnings (with the closest names seen), never errors', () => {
    const doc = document({
      entry: { kind: 'event', event: 'cart_abandoned', filter: [{ path: 'total', operator: 'greater-than', value: 0 }] },
      settings: { goal: { event: 'order_completed', window: { amount: 1, unit: 'days' } } },
      nodes: [
        ['pro', 'condition', traitIs('plann', 'pro')],
        ['hello', 'send', email('{{ customer.first_name }} {{ event.cartid }}')],
        ['x', 'exit', {}],
      ],
      edges: [
        ['trigger', 'pro'],
        ['pro', 'hello', 'yes'],
        ['pro', 'x', 'no'],
      ],
    });
    expect(validateJourney(doc)).toEqual([]);
    const catalog = { traits: ['plan', 'first_name'], events: { cart_abandoned: { properties: ['cartId', 'total'] }, 'Order Completed': {} } };
    const review = reviewJourney(doc, catalog);
    expectError(review, { code: 'unknown-trait', severity: 'warning', nodeId: 'pro', field: 'rules.rules.0.path', message: 'No customer has a "plann" trait yet. Did you mean “plan”?' });
    expectError(review, {
      code: 'unknown-event',
      severity: 'warning',
      field: 'settings.goal.event',
      message: 'No "order_completed" event has been received in this workspace yet. Did you mean “Order Completed”?',
    });
    expectError(review, { code: 'unknown-event', severity: 'warning', nodeId: 'hello', message: '"cart_abandoned" events have had no "cartid" property yet. Did you mean “cartId”?' });
    expect(review).toHaveLength(3);
    expect(validateJourney(doc)).toEqual([]);
  });

  it('warns when a printed trait is missing for some customers and has no default; a default, or an if on it, is enough', () => {
    const withTemplate = (subject: string) => document({ nodes: [['hello', 'send', email(subject)]], edges: [['trigger', 'hello']] });
    const catalog = { traits: ['first_name', 'plan'], traitCoverage: { first_name: 0.9, plan: 1 } };
    expectError(reviewJourney(withTemplate('Welcome, {{ customer.first_name }}!'), catalog), {
      code: 'missing-default',
      severity: 'warning',
      nodeId: 'hello',
      message: 'first_name is missing for 10% of customers seen, who would not get this message; add a default: {{ customer.first_name | default: "…" }}.',
    });
    for (const guarded of ['Welcome, {{ customer.first_name | default: "there" }}!', '{% if customer.first_name %}Hi {{ customer.first_name }}{% endif %}', 'Your plan: {{ customer.plan }}']) {
      expect(reviewJourney(withTemplate(guarded), catalog).filter((p) => p.code === 'missing-default')).toEqual([]);
    }
  });

  it('a condition with no rules is an error; a send keeps content of a channel it no longer sends only as a warning, not checked', () => {
    const empty = document({
      nodes: [
        ['pro', 'condition', { rules: { kind: 'group', match: 'all', rules: [] } }],
        ['x', 'exit', {}],
        ['y', 'exit', {}],
      ],
      edges: [
        ['trigger', 'pro'],
        ['pro', 'x', 'yes'],
        ['pro', 'y', 'no'],
      ],
    });
    expectError(validateJourney(empty), { code: 'empty-condition', nodeId: 'pro', field: 'rules' });
    const switched = document({
      nodes: [['hello', 'send', { delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: 'Hi' }, email: { subject: '', html: '' } } }]],
      edges: [['trigger', 'hello']],
    });
    expect(validateJourney(switched)).toEqual([]);
    expectError(reviewJourney(switched), { code: 'unused-content', severity: 'warning', nodeId: 'hello', field: 'content.email' });
  });

  it('errors are written for people, never in the schema library’s words', () => {
    const blank = document({
      nodes: [
        ['hello', 'send', { delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: 'Hi' } } }],
        ['later', 'wait', { wait: { kind: 'duration', duration: { amount: -1, unit: 'days' } } }],
      ],
      edges: [
        ['trigger', 'hello'],
        ['hello', 'later'],
      ],
    });
    const messages = validateJourney({ ...blank, settings: { goal: { event: '', window: { amount: 1, unit: 'days' } } } }).map((p) => p.message);
    expect(messages.join(' ')).not.toMatch(/Too small|expected|Invalid input|>=/);
    expect(messages).toContain('The amount must be at least 0.');
  });

  it('every error code is exercised by a test above', () => {
    expect([...seen].sort()).toEqual([...CompileErrorCode.options].sort());
  });
});
