import { describe, expect, it } from 'vitest';
import { compileJourney, JourneyInvalidError, type JourneyMachine } from '@waymark/shared';
import {
  arms,
  dateWait,
  document,
  email,
  enter,
  event,
  feed,
  fire,
  goal,
  journey,
  linear,
  ofType,
  path,
  quietHours,
  setTraits,
  start,
  steps,
  track,
  wait,
  waitForEvent,
  type NodeSpec,
} from './journeys.ts';

const now = '2026-11-25T10:00:00Z';
/** Send, wait a day, and round again. */
const daily = () =>
  journey({
    nodes: [
      ['m', 'send', email()],
      ['day', 'wait', wait(1)],
    ],
    edges: [
      ['trigger', 'm'],
      ['m', 'day'],
      ['day', 'm'],
    ],
  });
/** Waits for `paid` (timeout to `late`), then waits five days. */
const payment = () =>
  journey({
    nodes: [
      ['w', 'wait-for-event', waitForEvent('paid')],
      ['after', 'wait', wait(5)],
      ['late', 'send', email('Still unpaid')],
    ],
    edges: [
      ['trigger', 'w'],
      ['w', 'after', 'event'],
      ['w', 'late', 'timeout'],
    ],
  });
const stale = (machine: JourneyMachine, progress: Parameters<typeof feed>[1], timerId: string, at = '2026-11-26T10:00:00Z') => feed(machine, progress, { type: 'timer-fired', timerId }, { now: at });

describe('timers and loops', () => {
  it('T1 a timer id is progressId:nodeId:visit:purpose, for every kind of wait', () => {
    const held = linear([['ab', 'split', arms({ id: 'a', weight: 50, holdout: true }, { id: 'b', weight: 50, holdout: true })]], { settings: goal() });
    const ids = [
      enter(linear([['day', 'wait', wait(1)]]), now, {}, event('start', now), 'run-42'),
      enter(payment(), now, {}, event('start', now), 'run-42'),
      enter(linear([['m', 'send', email()]], { settings: quietHours() }), '2026-11-25T23:00:00Z', {}, event('start', now), 'run-42'),
      enter(held, now, {}, event('start', now), 'run-42'),
    ].map((r) => r.progress.position?.timerId);
    expect(ids).toEqual(['run-42:day:1:timer', 'run-42:w:1:event', 'run-42:m:1:quiet-hours', 'run-42:ab:1:holdout']);
  });

  it('T1 a node visited again gets a new timer id, and the position holds exactly the timer scheduled', () => {
    const machine = daily();
    const first = enter(machine, now);
    const second = fire(machine, first.progress);
    expect([first.progress.position?.timerId, second.progress.position?.timerId]).toEqual(['p1:day:1:timer', 'p1:day:2:timer']);
    expect(ofType(second.effects, 'schedule-timer').map((t) => t.timerId)).toEqual([second.progress.position?.timerId]);
  });

  it('T2 the timeout of a wait the customer already left is stale', () => {
    const machine = payment();
    const parked = enter(machine, now).progress;
    const moved = track(machine, parked, event('paid', '2026-11-25T11:00:00Z')).progress;
    expect(moved.position?.timerId).toBe('p1:after:1:timer');
    expect(stale(machine, moved, 'p1:w:1:event')).toEqual({ progress: moved, effects: [], ignored: 'stale-timer' });
  });

  it('T2 a timer from an earlier loop visit, with another purpose, or unknown, is stale', () => {
    const machine = daily();
    const second = fire(machine, enter(machine, now).progress).progress;
    for (const timerId of ['p1:day:1:timer', 'p1:day:2:quiet-hours', 'p2:day:2:timer', 'nonsense']) {
      const r = stale(machine, second, timerId, '2026-11-27T10:00:00Z');
      expect(r.ignored).toBe('stale-timer');
      expect(r.progress).toBe(second);
    }
  });

  it('T2 a timer for a run that has not entered yet is stale', () => {
    const machine = daily();
    const fresh = start(machine, now);
    expect(stale(machine, fresh, 'p1:day:1:timer')).toEqual({ progress: fresh, effects: [], ignored: 'stale-timer' });
  });

  it('T2 a timer firing after the run converted or left changes nothing (reported as not-active, G3)', () => {
    const machine = linear([['day', 'wait', wait(2)]], { settings: { ...goal(), exitCriteria: { events: [{ event: 'unsubscribed' }] } } });
    const parked = enter(machine, now).progress;
    for (const e of [event('purchase', '2026-11-26T10:00:00Z'), event('unsubscribed', '2026-11-26T10:00:00Z')]) {
      const ended = track(machine, parked, e).progress;
      expect(stale(machine, ended, parked.position!.timerId, parked.position!.until)).toEqual({ progress: ended, effects: [], ignored: 'not-active' });
    }
  });

  it('T3 an event that is not an exit criterion, a conversion or the awaited event is ignored as not-waiting', () => {
    const machine = journey({
      settings: { ...goal(), ...quietHours() },
      nodes: [
        ['day', 'wait', wait(1)],
        ['w', 'wait-for-event', waitForEvent('clicked')],
        ['m', 'send', email()],
        ['x', 'exit', {}],
      ],
      edges: [...path('trigger', 'day', 'w'), ['w', 'm', 'event'], ['w', 'x', 'timeout'], ['m', 'x']],
    });
    const inDay = enter(machine, now).progress;
    expect(track(machine, inDay, event('clicked', '2026-11-25T11:00:00Z'))).toEqual({ progress: inDay, effects: [], ignored: 'not-waiting' });
    expect(track(machine, inDay, event('page_viewed', '2026-11-25T11:00:00Z')).ignored).toBe('not-waiting');
    const fresh = start(machine, now);
    expect(track(machine, fresh, event('clicked', '2026-11-25T11:00:00Z')).ignored).toBe('not-waiting');
    // Waiting for "clicked" at night: the click releases the wait; the send is then deferred, and a second click finds nothing to release.
    const inW = fire(machine, inDay, { now: '2026-11-26T22:00:00Z' }).progress;
    const deferred = track(machine, inW, event('clicked', '2026-11-26T22:05:00Z')).progress;
    expect(deferred.position).toMatchObject({ nodeId: 'm', waiting: 'quiet-hours' });
    expect(track(machine, deferred, event('clicked', '2026-11-26T22:10:00Z')).ignored).toBe('not-waiting');
  });

  describe('T4 loop guard', () => {
    const chain = (length: number) => linear(Array.from({ length }, (_, i): NodeSpec => [`n${i}`, 'update-profile', setTraits({ op: 'set', trait: 'step', value: String(i) })]));

    it('T4 beyond ctx.stepCap states in one input the run ends with step-cap', () => {
      const r = enter(chain(3), now, { stepCap: 2 });
      expect(steps(r.effects)).toEqual([
        ['trigger', 'next', 'entered'],
        ['n0', 'next', 'profile-updated'],
      ]);
      expect([r.progress.endReason, r.progress.position]).toEqual(['step-cap', null]);
      expect(r.progress.status).not.toBe('active');
      expect(ofType(r.effects, 'exit')).toEqual([{ type: 'exit', reason: 'step-cap', nodeId: 'n1', at: '2026-11-25T10:00:00.000Z' }]);
    });

    it('T4 exactly stepCap states is still allowed', () => {
      expect(enter(chain(2), now, { stepCap: 3 }).progress.endReason).toBe('completed');
    });

    it('T4 the default cap is 100 states', () => {
      const r = enter(chain(120), now);
      expect(ofType(r.effects, 'record-step')).toHaveLength(100);
      expect(ofType(r.effects, 'exit')).toEqual([{ type: 'exit', reason: 'step-cap', nodeId: 'n99', at: '2026-11-25T10:00:00.000Z' }]);
      expect(enter(chain(99), now).progress.endReason).toBe('completed');
    });

    it('T4 the cap counts states per input, so a loop through a real wait runs on', () => {
      const machine = daily();
      let r = enter(machine, now, { stepCap: 3 });
      for (let i = 0; i < 5; i++) r = fire(machine, r.progress, { stepCap: 3 });
      expect([r.progress.status, r.progress.position?.timerId]).toEqual(['active', 'p1:day:6:timer']);
    });

    it('T4 loops whose only wait may be due at once are refused before they reach the engine', () => {
      for (const pause of [wait(0, 'minutes'), dateWait('due', { ifMissing: 'continue' })]) {
        const loop = document({
          nodes: [
            ['m', 'send', email()],
            ['w', 'wait', pause],
          ],
          edges: [
            ['trigger', 'm'],
            ['m', 'w'],
            ['w', 'm'],
          ],
        });
        let codes: string[] = [];
        try {
          compileJourney(loop);
        } catch (error) {
          codes = error instanceof JourneyInvalidError ? error.errors.map((e) => e.code) : ['not a JourneyInvalidError'];
        }
        expect(codes).toContain('cycle-without-wait');
      }
    });
  });
});
