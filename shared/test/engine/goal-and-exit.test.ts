import { describe, expect, it } from 'vitest';
import { simulateRun } from '@waymark/shared';
import { customer, email, enter, event, feed, fire, goal, journey, linear, messages, ofType, quietHours, stepAt, steps, track, traitIs, wait, waitForEvent } from './journeys.ts';

const now = '2026-11-25T10:00:00Z';
/** Wait, then send: the run is parked at `day` when goal and exit events arrive. */
const nurture = (settings: object, days = 2) =>
  linear(
    [
      ['day', 'wait', wait(days)],
      ['hello', 'send', email()],
    ],
    { settings },
  );
/** Waits for `awaited`; either way it ends at `x`. */
const awaiting = (awaited: string, settings: object) =>
  journey({
    settings,
    nodes: [
      ['w', 'wait-for-event', waitForEvent(awaited)],
      ['thanks', 'send', email('Thanks')],
      ['x', 'exit', {}],
    ],
    edges: [
      ['trigger', 'w'],
      ['w', 'thanks', 'event'],
      ['w', 'x', 'timeout'],
      ['thanks', 'x'],
    ],
  });
const purchase = (timestamp: string, properties: Record<string, unknown> = {}) => event('purchase', timestamp, properties);
const convertsOf = (r: { effects: Parameters<typeof ofType>[0] }) => ofType(r.effects, 'convert');

describe('goal', () => {
  it('C1 a goal event inside the window emits convert, once per run', () => {
    const machine = nurture(goal({ exitOnConversion: false }));
    const first = track(machine, enter(machine, now).progress, purchase('2026-11-26T10:00:00Z'));
    expect(convertsOf(first)).toEqual([{ type: 'convert', event: 'purchase', at: '2026-11-26T10:00:00.000Z' }]);
    expect(first.progress.convertedAt).toBe('2026-11-26T10:00:00.000Z');
    const second = track(machine, first.progress, purchase('2026-11-26T11:00:00Z'));
    expect(second).toEqual({ progress: first.progress, effects: [], ignored: 'not-waiting' });
  });

  it('C1 the window includes both ends: the moment of entry and exactly entry + window', () => {
    const machine = nurture(goal(), 30);
    const parked = enter(machine, now).progress;
    expect(convertsOf(track(machine, parked, purchase(now)))).toHaveLength(1);
    expect(convertsOf(track(machine, parked, purchase('2026-12-02T10:00:00Z')))).toHaveLength(1);
  });

  it('C1 a goal event that happened before the run entered is not a conversion, even if it arrives late', () => {
    const machine = nurture(goal());
    const parked = enter(machine, now).progress;
    expect(feed(machine, parked, { type: 'event', event: purchase('2026-11-25T09:59:59Z') }, { now: '2026-11-25T10:05:00Z' }).ignored).toBe('not-waiting');
  });

  it('C1 the goal filter applies and may compare with the trigger event', () => {
    const machine = nurture(
      goal({
        filter: [
          { path: 'cartId', operator: 'equals', valueFrom: { source: 'trigger-event', path: 'cartId' } },
          { path: 'total', operator: 'greater-than', value: 0 },
        ],
      }),
    );
    const parked = enter(machine, now, {}, event('start', now, { cartId: 'cart-1' })).progress;
    expect(track(machine, parked, purchase('2026-11-26T10:00:00Z', { cartId: 'cart-2', total: 50 })).ignored).toBe('not-waiting');
    expect(track(machine, parked, purchase('2026-11-26T10:00:00Z', { cartId: 'cart-1', total: 0 })).ignored).toBe('not-waiting');
    expect(track(machine, parked, purchase('2026-11-26T10:00:00Z', { cartId: 'cart-1', total: 50 })).progress.status).toBe('converted');
  });

  it('C1 a goal input converts like an event; another event name does not', () => {
    const machine = nurture(goal());
    const parked = enter(machine, now).progress;
    const r = feed(machine, parked, { type: 'goal', event: purchase('2026-11-26T10:00:00Z') }, { now: '2026-11-26T10:00:00Z' });
    expect([convertsOf(r).length, r.progress.status]).toEqual([1, 'converted']);
    expect(feed(machine, parked, { type: 'goal', event: event('signup', '2026-11-26T10:00:00Z') }, { now: '2026-11-26T10:00:00Z' }).ignored).toBe('not-waiting');
  });

  it('C2 by default a conversion ends the run wherever it is parked', () => {
    const parkedIn = [
      [nurture(goal()), 'day'],
      [awaiting('opened', goal()), 'w'],
      [linear([['m', 'send', email()]], { settings: { ...goal(), ...quietHours() } }), 'm'],
    ] as const;
    for (const [machine, nodeId] of parkedIn) {
      const parked = enter(machine, '2026-11-25T22:00:00Z').progress;
      expect(parked.position?.nodeId).toBe(nodeId);
      const r = track(machine, parked, purchase('2026-11-25T23:00:00Z'));
      expect([r.progress.status, r.progress.endReason, r.progress.position, r.progress.endedAt]).toEqual(['converted', 'converted', null, '2026-11-25T23:00:00.000Z']);
      expect(ofType(r.effects, 'exit')).toEqual([{ type: 'exit', reason: 'converted', nodeId, at: '2026-11-25T23:00:00.000Z' }]);
      expect(messages(r.effects)).toEqual([]);
    }
  });

  it('C2 with exitOnConversion false the run converts and carries on', () => {
    const machine = nurture(goal({ exitOnConversion: false }));
    const parked = enter(machine, now).progress;
    const r = track(machine, parked, purchase('2026-11-26T10:00:00Z'));
    expect([r.progress.status, r.progress.position]).toEqual(['active', parked.position]);
    expect(ofType(r.effects, 'exit')).toEqual([]);
    expect(messages(fire(machine, r.progress).effects)).toHaveLength(1);
  });

  it('C2 when the awaited event is also the goal: by default the run converts; otherwise it converts and takes the event branch', () => {
    const ending = awaiting('purchase', goal());
    const ended = track(ending, enter(ending, now).progress, purchase('2026-11-25T11:00:00Z'));
    expect([ended.progress.status, steps(ended.effects)]).toEqual(['converted', []]);
    const going = awaiting('purchase', goal({ exitOnConversion: false }));
    const r = track(going, enter(going, now).progress, purchase('2026-11-25T11:00:00Z'));
    expect(convertsOf(r)).toHaveLength(1);
    expect(steps(r.effects)).toEqual([
      ['w', 'event', 'event-matched'],
      ['thanks', 'next', 'sent'],
      ['x', null, 'exit-node'],
    ]);
  });

  it('C2 a whole run: the customer who buys after the first email gets no second one', () => {
    const machine = linear(
      [
        ['first', 'send', email('Your cart')],
        ['day', 'wait', wait(1)],
        ['second', 'send', email('Last chance')],
      ],
      { settings: goal() },
    );
    const bought = simulateRun({ machine, customer: customer(), trigger: event('start', now), events: [purchase('2026-11-25T22:00:00Z')] });
    expect(messages(bought.effects).map((m) => m.nodeId)).toEqual(['first']);
    expect([bought.progress.status, bought.progress.convertedAt]).toEqual(['converted', '2026-11-25T22:00:00.000Z']);
    const browsed = simulateRun({ machine, customer: customer(), trigger: event('start', now), events: [event('page_viewed', '2026-11-25T22:00:00Z')] });
    expect(messages(browsed.effects).map((m) => m.nodeId)).toEqual(['first', 'second']);
  });

  it('C3 a goal event after the window is not a conversion', () => {
    const machine = nurture(goal(), 30);
    const parked = enter(machine, now).progress;
    expect(track(machine, parked, purchase('2026-12-02T10:00:01Z'))).toEqual({ progress: parked, effects: [], ignored: 'not-waiting' });
    const held = linear(
      [
        [
          'ab',
          'split',
          {
            arms: [
              { id: 'a', weight: 50, holdout: true },
              { id: 'b', weight: 50, holdout: true },
            ],
          },
        ],
      ],
      { settings: goal() },
    );
    const control = enter(held, now).progress;
    expect(control.position?.until).toBe('2026-12-02T10:00:00.000Z');
    expect(feed(held, control, { type: 'goal', event: purchase('2026-12-02T10:00:00.001Z') }, { now: '2026-12-02T10:00:00.001Z' }).ignored).toBe('not-waiting');
  });
});

describe('late conversion', () => {
  const short = () => linear([['hello', 'send', email()]], { settings: { ...goal(), exitCriteria: { events: [{ event: 'unsubscribed' }] } } });

  it('C6 a completed run converts on a goal inside its window, once, and stays completed', () => {
    const machine = short();
    const done = enter(machine, now).progress;
    expect(done.status).toBe('completed');
    const late = feed(machine, done, { type: 'goal', event: purchase('2026-11-28T10:00:00Z') }, { now: '2026-11-28T10:00:00Z' });
    expect(late.effects).toEqual([{ type: 'convert', event: 'purchase', at: '2026-11-28T10:00:00.000Z' }]);
    expect([late.progress.status, late.progress.convertedAt, late.progress.endReason]).toEqual(['completed', '2026-11-28T10:00:00.000Z', done.endReason]);
    const again = feed(machine, late.progress, { type: 'goal', event: purchase('2026-11-29T10:00:00Z') }, { now: '2026-11-29T10:00:00Z' });
    expect(again).toEqual({ progress: late.progress, effects: [], ignored: 'not-active' });
  });

  it('C6 not after the window, not for another event, and never for a run that left by exit criteria', () => {
    const machine = short();
    const done = enter(machine, now).progress;
    expect(feed(machine, done, { type: 'goal', event: purchase('2026-12-03T10:00:01Z') }, { now: '2026-12-03T10:00:01Z' }).ignored).toBe('not-active');
    expect(feed(machine, done, { type: 'goal', event: event('browse', '2026-11-26T10:00:00Z') }, { now: '2026-11-26T10:00:00Z' }).ignored).toBe('not-active');
    const waiting = nurture({ ...goal(), exitCriteria: { events: [{ event: 'unsubscribed' }] } });
    const left = track(waiting, enter(waiting, now).progress, event('unsubscribed', '2026-11-25T11:00:00Z')).progress;
    expect(left.status).toBe('exited');
    expect(feed(waiting, left, { type: 'goal', event: purchase('2026-11-26T10:00:00Z') }, { now: '2026-11-26T10:00:00Z' }).ignored).toBe('not-active');
  });
});

describe('exit criteria', () => {
  const criteria = (events: object[], extra: object = {}) => ({ ...goal(), exitCriteria: { events }, ...extra });

  it('C4 an event matching an exit criterion ends the run wherever it is, as exited-early, not converted', () => {
    const machine = nurture(criteria([{ event: 'unsubscribed_all' }]));
    const r = track(machine, enter(machine, now).progress, event('unsubscribed_all', '2026-11-26T10:00:00Z'));
    expect([r.progress.status, r.progress.endReason, r.progress.convertedAt]).toEqual(['exited', 'exited-early', null]);
    expect(r.effects).toEqual([{ type: 'exit', reason: 'exited-early', nodeId: 'day', at: '2026-11-26T10:00:00.000Z' }]);
  });

  it('C4 exit criteria are checked before the goal', () => {
    const machine = nurture(criteria([{ event: 'purchase', filter: [{ path: 'refunded', operator: 'equals', value: true }] }]));
    const parked = enter(machine, now).progress;
    const refunded = track(machine, parked, purchase('2026-11-26T10:00:00Z', { refunded: true }));
    expect([refunded.progress.endReason, convertsOf(refunded)]).toEqual(['exited-early', []]);
    expect(track(machine, parked, purchase('2026-11-26T10:00:00Z', { refunded: false })).progress.endReason).toBe('converted');
  });

  it('C4 exit criteria are checked before the awaited event of a wait', () => {
    const machine = awaiting('order_updated', criteria([{ event: 'order_updated', filter: [{ path: 'status', operator: 'equals', value: 'cancelled' }] }]));
    const parked = enter(machine, now).progress;
    const cancelled = track(machine, parked, event('order_updated', '2026-11-25T11:00:00Z', { status: 'cancelled' }));
    expect([cancelled.progress.endReason, steps(cancelled.effects)]).toEqual(['exited-early', []]);
    expect(stepAt(track(machine, parked, event('order_updated', '2026-11-25T11:00:00Z', { status: 'shipped' })).effects, 'w').reason).toBe('event-matched');
  });

  it('C4 a criterion filter may be scoped to this run’s cart', () => {
    const machine = nurture(criteria([{ event: 'cart_emptied', filter: [{ path: 'cartId', operator: 'equals', valueFrom: { source: 'trigger-event', path: 'cartId' } }] }]));
    const parked = enter(machine, now, {}, event('start', now, { cartId: 'cart-1' })).progress;
    expect(track(machine, parked, event('cart_emptied', '2026-11-25T11:00:00Z', { cartId: 'cart-2' })).ignored).toBe('not-waiting');
    expect(track(machine, parked, event('cart_emptied', '2026-11-25T11:00:00Z', { cartId: 'cart-1' })).progress.endReason).toBe('exited-early');
  });

  it('C4 leaving a segment the criteria name ends the run as exited-early; another segment, or entering, does not', () => {
    const machine = nurture(criteria([], { exitCriteria: { events: [], segments: [{ segmentId: 'seg-trial' }] } }));
    const parked = enter(machine, now).progress;
    const left = track(machine, parked, event('Segment Exited', '2026-11-26T10:00:00Z', { segmentId: 'seg-trial', segment: 'Trial' }));
    expect([left.progress.status, left.progress.endReason]).toEqual(['exited', 'exited-early']);
    expect(track(machine, parked, event('Segment Exited', '2026-11-26T10:00:00Z', { segmentId: 'seg-other' })).ignored).toBe('not-waiting');
    expect(track(machine, parked, event('Segment Entered', '2026-11-26T10:00:00Z', { segmentId: 'seg-trial' })).ignored).toBe('not-waiting');
  });

  describe('C5 when entry rules stop matching', () => {
    const trial = (whenEntryRulesStopMatching: boolean, entry: object = { kind: 'segment', ...traitIs('plan', 'trial') }) =>
      linear([['day', 'wait', wait(3)]], { entry, settings: { exitCriteria: { whenEntryRulesStopMatching } } });
    const changed = (machine: ReturnType<typeof trial>, plan: string) => {
      const parked = enter(machine, now, { customer: customer({ plan: 'trial' }) }, null).progress;
      return feed(machine, parked, { type: 'profile-changed' }, { now: '2026-11-26T10:00:00Z', customer: customer({ plan }) });
    };

    it('C5 a segment run whose customer no longer matches ends with entry-rules-unmatched', () => {
      const r = changed(trial(true), 'pro');
      expect([r.progress.status, r.progress.endReason]).toEqual(['exited', 'entry-rules-unmatched']);
      expect(r.effects).toEqual([{ type: 'exit', reason: 'entry-rules-unmatched', nodeId: 'day', at: '2026-11-26T10:00:00.000Z' }]);
    });

    it('C5 a customer who still matches, or a journey without the setting, carries on', () => {
      expect(changed(trial(true), 'trial').ignored).toBe('not-waiting');
      expect(changed(trial(false), 'pro').ignored).toBe('not-waiting');
    });

    it('C5 an "enters segment" run ends with entry-rules-unmatched when the customer leaves that segment, only with the setting', () => {
      const entry = { kind: 'segment-change', segmentId: 'seg-trial', change: 'entered' };
      const leave = (machine: ReturnType<typeof trial>, segmentId: string) =>
        track(machine, enter(machine, now, {}, event('Segment Entered', now, { segmentId: 'seg-trial' })).progress, event('Segment Exited', '2026-11-26T10:00:00Z', { segmentId }));
      expect(leave(trial(true, entry), 'seg-trial').progress.endReason).toBe('entry-rules-unmatched');
      expect(leave(trial(true, entry), 'seg-other').ignored).toBe('not-waiting');
      expect(leave(trial(false, entry), 'seg-trial').ignored).toBe('not-waiting');
    });

    it('C5 applies to segment entries only', () => {
      expect(changed(trial(true, { kind: 'schedule', schedule: { kind: 'once', date: '2026-12-01', time: '09:00' }, ...traitIs('plan', 'trial') }), 'pro').ignored).toBe('not-waiting');
    });
  });
});
