import { describe, expect, it } from 'vitest';
import { customer, email, enter, event, fire, journey, messages, ofType, send, steps, traitIs, wait } from './journeys.ts';

const now = '2026-11-25T10:00:00Z';

describe('states', () => {
  it('S1 the trigger records entered and moves on', () => {
    const r = enter(journey({ nodes: [['x', 'exit', {}]], edges: [['trigger', 'x']] }), now);
    expect(steps(r.effects)).toEqual([
      ['trigger', 'next', 'entered'],
      ['x', null, 'exit-node'],
    ]);
    expect(ofType(r.effects, 'record-step')[0]!.detail).toBe('entered on start');
  });

  it('S2 a duration wait is exact elapsed time, even across DST', () => {
    const machine = journey({ nodes: [['w', 'wait', wait(24, 'hours')]], edges: [['trigger', 'w']] });
    const r = enter(machine, '2026-03-07T15:00:00Z', { customer: customer({ timezone: 'America/New_York' }) });
    expect(r.progress.position?.until).toBe('2026-03-08T15:00:00.000Z');
  });

  it('S3 a time-of-day wait parks until the next local HH:MM on an allowed weekday', () => {
    const machine = journey({ nodes: [['w', 'wait', { wait: { kind: 'time-of-day', time: '09:30', weekdays: ['sat', 'sun'] } }]], edges: [['trigger', 'w']] });
    // Wednesday 2026-11-25 10:00 UTC is 11:00 in Berlin; the next weekend 09:30 is Saturday the 28th.
    const r = enter(machine, now, { customer: customer({ timezone: 'Europe/Berlin' }) });
    expect(r.progress.position?.until).toBe('2026-11-28T08:30:00.000Z');
  });

  it('S4 a date wait shifts a trait date by calendar days and sets the local time', () => {
    const machine = journey({
      nodes: [['w', 'wait', { wait: { kind: 'date', source: 'trait', path: 'renews_at', offset: { amount: 1, unit: 'weeks', direction: 'before' }, time: '08:00' } }]],
      edges: [['trigger', 'w']],
    });
    const r = enter(machine, now, { customer: customer({ renews_at: '2027-01-15T18:00:00Z', timezone: 'America/Los_Angeles' }) });
    expect(r.progress.position?.until).toBe('2027-01-08T16:00:00.000Z');
  });

  it('S4 a date wait reads the trigger event, epoch seconds, and adds hour offsets as elapsed time', () => {
    const machine = journey({
      nodes: [['w', 'wait', { wait: { kind: 'date', source: 'trigger-event', path: 'appointment', offset: { amount: 2, unit: 'hours', direction: 'before' } } }]],
      edges: [['trigger', 'w']],
    });
    const appointment = Date.parse('2026-12-01T15:00:00Z') / 1000;
    const r = enter(machine, now, {}, event('start', now, { appointment }));
    expect(r.progress.position?.until).toBe('2026-12-01T13:00:00.000Z');
  });

  it('S5 a wait already due continues at once', () => {
    const machine = journey({
      nodes: [['w', 'wait', { wait: { kind: 'date', source: 'trait', path: 'due' } }], ['hello', 'send', email()]],
      edges: [['trigger', 'w'], ['w', 'hello']],
    });
    const r = enter(machine, now, { customer: customer({ due: '2026-01-01' }) });
    expect(steps(r.effects)).toEqual([
      ['trigger', 'next', 'entered'],
      ['w', 'next', 'wait-already-due'],
      ['hello', 'next', 'sent'],
    ]);
  });

  it('S6 a missing date ends the run by default, or continues when told to', () => {
    const build = (ifMissing: string) =>
      journey({ nodes: [['w', 'wait', { wait: { kind: 'date', source: 'trait', path: 'due', ifMissing } }], ['hello', 'send', email()]], edges: [['trigger', 'w'], ['w', 'hello']] });
    const exit = enter(build('exit'), now, { customer: customer({ due: 'someday' }) });
    expect([exit.progress.status, exit.progress.endReason]).toEqual(['exited', 'date-missing']);
    expect(steps(exit.effects).at(-1)).toEqual(['w', null, 'wait-date-missing']);
    const go = enter(build('continue'), now);
    expect(steps(go.effects).slice(1)).toEqual([
      ['w', 'next', 'wait-date-missing'],
      ['hello', 'next', 'sent'],
    ]);
  });

  const keyed = () =>
    journey({
      nodes: [
        ['w', 'wait-for-event', { event: 'order_completed', filter: [{ path: 'cartId', operator: 'equals', valueFrom: { source: 'trigger-event', path: 'cartId' } }], timeout: { amount: 4, unit: 'hours' } }],
        ['thanks', 'send', email('Thanks for {{ journey.last_event.orderId }}')],
        ['nudge', 'send', email('Your cart')],
      ],
      edges: [['trigger', 'w'], ['w', 'thanks', 'event'], ['w', 'nudge', 'timeout']],
    });

  it('S7 waiting for an event parks with a timeout and publishes the resolved filter', () => {
    const r = enter(keyed(), now, {}, event('start', now, { cartId: 'cart-1' }));
    expect(r.progress.position).toMatchObject({ nodeId: 'w', waiting: 'event', until: '2026-11-25T14:00:00.000Z' });
    expect(ofType(r.effects, 'await-event')).toEqual([
      { type: 'await-event', nodeId: 'w', event: 'order_completed', filter: [{ path: 'cartId', operator: 'equals', value: 'cart-1' }], until: '2026-11-25T14:00:00.000Z' },
    ]);
  });

  it('S8 the awaited event releases the wait by the event handle and is readable as journey.last_event', () => {
    const machine = keyed();
    const parked = enter(machine, now, {}, event('start', now, { cartId: 'cart-1' })).progress;
    const r = send(machine, parked, event('order_completed', '2026-11-25T11:00:00Z', { cartId: 'cart-1', orderId: 'o-9' }));
    expect(steps(r.effects)[0]).toEqual(['w', 'event', 'event-matched']);
    expect(messages(r.effects)[0]!.content.subject).toBe('Thanks for o-9');
  });

  it('S9 keyed waits: another cart, or a run without the key, is not released', () => {
    const machine = keyed();
    const parked = enter(machine, now, {}, event('start', now, { cartId: 'cart-1' })).progress;
    expect(send(machine, parked, event('order_completed', '2026-11-25T11:00:00Z', { cartId: 'cart-2' })).ignored).toBe('not-waiting');
    const keyless = enter(machine, now, {}, event('start', now, {})).progress;
    expect(send(machine, keyless, event('order_completed', '2026-11-25T11:00:00Z', {})).ignored).toBe('not-waiting');
  });

  it('S10 the timeout takes the timeout handle', () => {
    const machine = keyed();
    const r = fire(machine, enter(machine, now, {}, event('start', now, { cartId: 'cart-1' })).progress);
    expect(steps(r.effects)[0]).toEqual(['w', 'timeout', 'event-timeout']);
    expect(messages(r.effects)[0]!.nodeId).toBe('nudge');
  });

  it('S11 a condition takes yes or no and explains each rule', () => {
    const machine = journey({
      nodes: [['pro', 'condition', traitIs('plan', 'pro')], ['y', 'exit', {}], ['n', 'exit', {}]],
      edges: [['trigger', 'pro'], ['pro', 'y', 'yes'], ['pro', 'n', 'no']],
    });
    const yes = enter(machine, now, { customer: customer({ plan: 'pro' }) });
    const no = enter(machine, now, { customer: customer({ plan: 'free' }) });
    expect(steps(yes.effects)[1]).toEqual(['pro', 'yes', 'rules-matched']);
    expect(steps(no.effects)[1]).toEqual(['pro', 'no', 'rules-not-matched']);
    expect(ofType(no.effects, 'record-step')[1]!.detail).toBe('plan equals "pro": no (was "free")');
  });

  const split = (holdout: boolean, settings?: object) =>
    journey({
      settings,
      nodes: [['ab', 'split', { arms: [{ id: 'a', weight: 50 }, { id: 'b', weight: 50, holdout }] }], ['ea', 'send', email('A')], ...(holdout ? [] : [['eb', 'send', email('B')] as ['eb', 'send', object]])],
      edges: holdout ? [['trigger', 'ab'], ['ab', 'ea', 'a']] : [['trigger', 'ab'], ['ab', 'ea', 'a'], ['ab', 'eb', 'b']],
    });

  it('S12 a split gives a customer the same arm every time, and spreads customers by weight', () => {
    const machine = split(false);
    const armOf = (id: string) => steps(enter(machine, now, { customer: customer({}, undefined, id) }).effects)[1]![1];
    expect(armOf('alice')).toBe(armOf('alice'));
    const arms = Array.from({ length: 400 }, (_, i) => armOf(`customer-${i}`));
    const a = arms.filter((x) => x === 'a').length;
    expect(a).toBeGreaterThan(150);
    expect(a).toBeLessThan(250);
  });

  it('S13 a holdout arm holds the run until the goal window closes, then ends it', () => {
    const machine = split(true, { goal: { event: 'bought', window: { amount: 3, unit: 'days' } } });
    const held = Array.from({ length: 50 }, (_, i) => enter(machine, now, { customer: customer({}, undefined, `c${i}`) })).find((r) => r.progress.position?.waiting === 'holdout')!;
    expect(held.progress.position?.until).toBe('2026-11-28T10:00:00.000Z');
    expect(messages(held.effects)).toEqual([]);
    const ended = fire(machine, held.progress);
    expect([ended.progress.status, ended.progress.endReason]).toEqual(['completed', 'holdout']);
    const noGoal = split(true);
    const gone = Array.from({ length: 50 }, (_, i) => enter(noGoal, now, { customer: customer({}, undefined, `c${i}`) })).find((r) => r.progress.endReason === 'holdout');
    expect(gone?.progress.status).toBe('completed');
  });

  it('S14 update-profile converts values, emits one effect, and later states see the new traits', () => {
    const machine = journey({
      nodes: [
        ['up', 'update-profile', { operations: [
          { op: 'set', trait: 'score', value: '{{ customer.score | plus: 5 }}', as: 'number' },
          { op: 'set', trait: 'vip', value: 'true', as: 'boolean' },
          { op: 'set', trait: 'broken', value: '{{ customer.nope }}' },
          { op: 'unset', trait: 'legacy' },
        ] }],
        ['hello', 'send', email('Score {{ customer.score }}, vip {{ customer.vip }}')],
      ],
      edges: [['trigger', 'up'], ['up', 'hello']],
    });
    const r = enter(machine, now, { customer: customer({ score: 10, legacy: 1 }) });
    expect(ofType(r.effects, 'update-profile')).toEqual([{ type: 'update-profile', nodeId: 'up', set: { score: 15, vip: true }, unset: ['legacy'] }]);
    expect(steps(r.effects)[1]).toEqual(['up', 'next', 'skipped:template-error']);
    expect(messages(r.effects)[0]!.content.subject).toBe('Score 15, vip true');
  });

  it('S15 an exit node ends the run as completed by exit-node', () => {
    const r = enter(journey({ nodes: [['x', 'exit', { reason: 'done' }]], edges: [['trigger', 'x']] }), now);
    expect([r.progress.status, r.progress.endReason]).toEqual(['completed', 'exit-node']);
    expect(ofType(r.effects, 'exit')).toEqual([{ type: 'exit', reason: 'exit-node', nodeId: 'x', at: '2026-11-25T10:00:00.000Z' }]);
  });

  it('S16 an unconnected next ends the run as completed', () => {
    const r = enter(journey({ nodes: [['hello', 'send', email()]], edges: [['trigger', 'hello']] }), now);
    expect([r.progress.status, r.progress.endReason, r.progress.position]).toEqual(['completed', 'completed', null]);
  });
});
