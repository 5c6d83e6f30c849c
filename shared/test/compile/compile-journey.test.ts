import { describe, expect, it } from 'vitest';
import { compileJourney, JourneyInvalidError, JourneyMachine } from '@waymark/shared';
import { examples } from '@waymark/examples';
import { document, email, traitIs, wait } from '../engine/journeys.ts';

const branchy = () =>
  document({
    settings: { reEntry: { mode: 'always' } },
    nodes: [
      ['pro', 'condition', traitIs('plan', 'pro')],
      ['w', 'wait-for-event', { event: 'paid', timeout: { amount: 2, unit: 'hours' } }],
      [
        'ab',
        'split',
        {
          arms: [
            { id: 'a', weight: 50 },
            { id: 'b', weight: 40 },
            { id: 'h', weight: 10, holdout: true },
          ],
        },
      ],
      ['hello', 'send', email()],
      ['day', 'wait', wait(1)],
      ['x', 'exit', {}],
    ],
    edges: [
      ['trigger', 'pro'],
      ['pro', 'w', 'yes'],
      ['pro', 'ab', 'no'],
      ['w', 'hello', 'event'],
      ['w', 'x', 'timeout'],
      ['ab', 'hello', 'a'],
      ['ab', 'day', 'b'],
    ],
  });

describe('compileJourney', () => {
  it('makes every transition explicit, with null where a next is unconnected', () => {
    const machine = compileJourney(branchy());
    expect(machine.initial).toBe('trigger');
    expect(machine.entry).toEqual({ kind: 'event', event: 'start' });
    expect(machine.settings.reEntry).toEqual({ mode: 'always' });
    expect(machine.states.trigger).toEqual({ type: 'trigger', next: 'pro' });
    expect(machine.states.pro).toMatchObject({ type: 'condition', onYes: 'w', onNo: 'ab' });
    expect(machine.states.w).toMatchObject({ type: 'wait-for-event', event: 'paid', onEvent: 'hello', onTimeout: 'x' });
    expect(machine.states.ab).toEqual({
      type: 'split',
      arms: [
        { id: 'a', weight: 50, holdout: false, next: 'hello' },
        { id: 'b', weight: 40, holdout: false, next: 'day' },
        { id: 'h', weight: 10, holdout: true, next: null },
      ],
    });
    expect(machine.states.hello).toMatchObject({ type: 'send', transactional: false, next: null });
    expect(machine.states.day).toMatchObject({ type: 'wait', next: null });
    expect(machine.states.x).toEqual({ type: 'exit' });
  });

  it('fills in settings defaults and produces a machine its schema accepts', () => {
    const machine = compileJourney(branchy());
    expect(machine.settings).toMatchObject({ concurrency: { mode: 'single' }, timeZone: 'UTC', bypassFrequencyCap: false });
    expect(JourneyMachine.parse(machine)).toEqual(machine);
  });

  it('is deterministic: compiling twice gives deep-equal machines that survive JSON', () => {
    for (const doc of [branchy(), ...examples.map((e) => e.document)]) {
      const a = compileJourney(doc);
      const b = compileJourney(structuredClone(doc));
      expect(a).toEqual(b);
      expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    }
  });

  it('throws JourneyInvalidError carrying the error list', () => {
    const doc = branchy();
    doc.graph.edges = doc.graph.edges.filter((e) => e.sourceHandle !== 'timeout');
    try {
      compileJourney(doc);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JourneyInvalidError);
      expect((error as JourneyInvalidError).errors).toContainEqual(expect.objectContaining({ code: 'dangling-handle', nodeId: 'w', field: 'timeout' }));
    }
  });
});
