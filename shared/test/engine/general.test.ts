import { afterEach, describe, expect, it, vi } from 'vitest';
import { advance, bucketOf, type AdvanceResult, type EngineInput, type JourneyMachine, type Progress } from '@waymark/shared';
import {
  arms,
  customer,
  deepFreeze,
  email,
  enter,
  event,
  everywhere,
  feed,
  fire,
  goal,
  journey,
  linear,
  messages,
  ofType,
  path,
  quietHours,
  setTraits,
  sms,
  start,
  stepAt,
  steps,
  timeOfDay,
  track,
  traitIs,
  wait,
  waitForEvent,
} from './journeys.ts';

const now = '2026-11-25T10:00:00Z';

/** Welcome series: an A/B split between email and SMS, a day's pause, then a reminder. */
const welcome = () =>
  journey({
    nodes: [
      ['ab', 'split', arms({ id: 'a', weight: 50 }, { id: 'b', weight: 50 })],
      ['ea', 'send', email('Welcome {{ customer.first_name | default: "friend" }}')],
      ['sb', 'send', sms('Welcome!')],
      ['day', 'wait', wait(1)],
      ['bye', 'send', email('Still there?')],
    ],
    edges: [
      ['trigger', 'ab'],
      ['ab', 'ea', 'a'],
      ['ab', 'sb', 'b'],
      ['ea', 'day'],
      ['sb', 'day'],
      ['day', 'bye'],
    ],
  });

/** Update the profile, send, then wait for the email to be opened. */
const onboarding = (settings: object) =>
  journey({
    settings,
    nodes: [
      ['up', 'update-profile', setTraits({ op: 'set', trait: 'stage', value: 'welcomed' }, { op: 'unset', trait: 'legacy' })],
      ['hello', 'send', email()],
      ['w', 'wait-for-event', waitForEvent('opened')],
      ['done', 'exit', {}],
    ],
    edges: [...path('trigger', 'up', 'hello', 'w'), ['w', 'done', 'event'], ['w', 'done', 'timeout']],
  });

/** Enters and fires the timer for five customers: the whole output of a run. */
const runAll = (machine: JourneyMachine) =>
  ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => {
    const first = enter(machine, now, { customer: customer({ first_name: 'Ada' }, everywhere, id) });
    return [first, fire(machine, first.progress, { customer: customer({ first_name: 'Ada' }, everywhere, id) })];
  });

describe('general', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('G1 the same arguments give deep-equal results whatever the wall clock reads', () => {
    const machine = welcome();
    vi.useFakeTimers();
    vi.setSystemTime(new Date('1999-01-01T00:00:00Z'));
    const in1999 = runAll(machine);
    vi.setSystemTime(new Date('2040-06-15T12:34:56Z'));
    const in2040 = runAll(machine);
    expect(in2040).toEqual(in1999);
    expect(in1999[0]![0]!.progress.updatedAt).toBe('2026-11-25T10:00:00.000Z');
  });

  it('G1 randomness comes only from bucketOf over journey, node and customer ids', () => {
    const random = vi.spyOn(Math, 'random');
    const machine = welcome();
    for (const [first] of runAll(machine)) {
      const expected = bucketOf(`j:ab:${first!.progress.customerId}`) < 50 ? 'a' : 'b';
      expect(stepAt(first!.effects, 'ab').handle).toBe(expected);
    }
    expect(random).not.toHaveBeenCalled();
  });

  it('G1 deep-frozen machine, progress, input and context are read, never mutated', () => {
    const machine = deepFreeze(onboarding(goal({ exitOnConversion: false })));
    const ctx = deepFreeze({ now, customer: customer({ legacy: true }), sentToday: { email: 0 }, frequencyCap: { email: 5 }, events: [], messageActivity: [] });
    const snapshot = structuredClone(ctx);
    const fresh = deepFreeze(start(machine, now));
    const entered = advance(machine, fresh, deepFreeze({ type: 'enter' }), ctx);
    expect(messages(entered.effects)).toHaveLength(1);
    expect(ofType(entered.effects, 'update-profile')).toEqual([{ type: 'update-profile', nodeId: 'up', set: { stage: 'welcomed' }, unset: ['legacy'] }]);
    expect(fresh).toEqual(start(machine, now));
    const parked = deepFreeze(entered.progress);
    const bought = advance(machine, parked, deepFreeze({ type: 'event', event: event('purchase', '2026-11-25T11:00:00Z') }), { ...ctx, now: '2026-11-25T11:00:00Z' });
    const timedOut = advance(machine, parked, deepFreeze({ type: 'timer-fired', timerId: parked.position!.timerId }), { ...ctx, now: parked.position!.until });
    expect(ofType(bought.effects, 'convert')).toHaveLength(1);
    expect(steps(timedOut.effects)).toEqual([
      ['w', 'timeout', 'event-timeout'],
      ['done', null, 'exit-node'],
    ]);
    expect(ctx).toEqual(snapshot);
    expect(parked.status).toBe('active');
  });

  it('G2 the engine plans all seven kinds of effect as plain JSON data', () => {
    const machine = onboarding(goal());
    const entered = enter(machine, now);
    const bought = track(machine, entered.progress, event('purchase', '2026-11-25T11:00:00Z'));
    const effects = [...entered.effects, ...bought.effects];
    expect([...new Set(effects.map((e) => e.type))].sort()).toEqual(['await-event', 'convert', 'exit', 'record-step', 'schedule-timer', 'send-message', 'update-profile']);
    expect(JSON.parse(JSON.stringify(effects))).toEqual(effects);
  });

  it('G2 planning a send performs nothing: the context counts and profile stay as they were', () => {
    const ctx = { customer: customer({ first_name: 'Ada' }), sentToday: { email: 1 }, frequencyCap: { email: 3 } };
    const r = enter(
      linear([
        ['up', 'update-profile', setTraits({ op: 'set', trait: 'first_name', value: 'Grace' })],
        ['hello', 'send', email()],
      ]),
      now,
      ctx,
    );
    expect(messages(r.effects).map((m) => m.content.subject)).toEqual(['Hello Grace']);
    expect(ctx).toEqual({ customer: customer({ first_name: 'Ada' }), sentToday: { email: 1 }, frequencyCap: { email: 3 } });
  });

  describe('G3 ended runs', () => {
    const machine = linear([['day', 'wait', wait(2)]], { settings: { ...goal(), exitCriteria: { events: [{ event: 'unsubscribed' }] } } });
    const parked = enter(machine, now).progress;
    const ended: Record<string, Progress> = {
      completed: fire(machine, parked).progress,
      converted: track(machine, parked, event('purchase', '2026-11-26T10:00:00Z')).progress,
      exited: track(machine, parked, event('unsubscribed', '2026-11-26T10:00:00Z')).progress,
    };
    const inputs: EngineInput[] = [
      { type: 'enter' },
      { type: 'timer-fired', timerId: parked.position!.timerId },
      { type: 'event', event: event('purchase', '2026-11-26T12:00:00Z') },
      { type: 'goal', event: event('purchase', '2026-11-26T12:00:00Z') },
      { type: 'profile-changed' },
    ];
    it.each(Object.keys(ended))('G3 a %s run ignores every input as not-active and changes nothing (but C6)', (status) => {
      const progress = ended[status]!;
      expect(progress.status).toBe(status);
      for (const input of inputs) {
        if (status === 'completed' && input.type === 'goal') continue; // a late conversion, SPEC C6
        const r = feed(machine, progress, input, { now: '2026-11-26T12:00:00Z' });
        expect(r).toEqual({ progress, effects: [], ignored: 'not-active' });
        expect(r.progress).toBe(progress);
      }
    });
  });

  it('G4 an input that does not apply returns the very same progress, no effects and its reason', () => {
    const machine = linear([['day', 'wait', wait(2)]], { settings: goal() });
    const parked = enter(machine, now).progress;
    const later = { now: '2026-11-26T10:00:00Z' };
    const cases: [EngineInput, string][] = [
      [{ type: 'enter' }, 'already-entered'],
      [{ type: 'timer-fired', timerId: 'p1:day:7:timer' }, 'stale-timer'],
      [{ type: 'event', event: event('page_viewed', later.now) }, 'not-waiting'],
      [{ type: 'goal', event: event('newsletter_signup', later.now) }, 'not-waiting'],
      [{ type: 'profile-changed' }, 'not-waiting'],
    ];
    for (const [input, reason] of cases) {
      const r = feed(machine, parked, input, later);
      expect(r.progress).toBe(parked);
      expect(r).toEqual({ progress: parked, effects: [], ignored: reason });
    }
  });

  it('G5 after every input an active run is parked with exactly one timer due after now', () => {
    const machine = journey({
      settings: { ...goal({ exitOnConversion: false }), ...quietHours('21:00', '08:00') },
      nodes: [
        ['w', 'wait-for-event', waitForEvent('opened', undefined, { amount: 2, unit: 'days' })],
        ['hello', 'send', email()],
        ['tod', 'wait', timeOfDay('09:00')],
        ['bye', 'send', email('Bye')],
      ],
      edges: [['trigger', 'w'], ['w', 'hello', 'event'], ['w', 'bye', 'timeout'], ...path('hello', 'tod', 'bye')],
    });
    const expectParked = (r: AdvanceResult, at: string) => {
      expect(r.progress.status).toBe('active');
      const position = r.progress.position!;
      expect(Date.parse(position.until)).toBeGreaterThan(Date.parse(at));
      const timers = ofType(r.effects, 'schedule-timer');
      if (timers.length) expect(timers).toEqual([{ type: 'schedule-timer', timerId: position.timerId, nodeId: position.nodeId, at: position.until, purpose: position.waiting }]);
    };
    let r = enter(machine, '2026-11-25T20:00:00Z');
    expectParked(r, '2026-11-25T20:00:00Z');
    expect(r.progress.position).toMatchObject({ waiting: 'event', until: '2026-11-27T20:00:00.000Z' });
    r = track(machine, r.progress, event('purchase', '2026-11-25T22:00:00Z'));
    expectParked(r, '2026-11-25T22:00:00Z');
    r = track(machine, r.progress, event('opened', '2026-11-25T22:30:00Z'));
    expectParked(r, '2026-11-25T22:30:00Z');
    expect(r.progress.position).toMatchObject({ nodeId: 'hello', waiting: 'quiet-hours', until: '2026-11-26T08:00:00.000Z' });
    r = fire(machine, r.progress);
    expectParked(r, '2026-11-26T08:00:00Z');
    expect(r.progress.position).toMatchObject({ nodeId: 'tod', waiting: 'timer', until: '2026-11-26T09:00:00.000Z' });
    r = fire(machine, r.progress);
    expect([r.progress.status, r.progress.position]).toEqual(['completed', null]);
  });

  it('G6 every state a run passes records one step with its handle and a sentence', () => {
    const machine = journey({
      entry: { kind: 'event', event: 'signed_up' },
      nodes: [
        ['pro', 'condition', traitIs('plan', 'pro')],
        ['up', 'update-profile', setTraits({ op: 'set', trait: 'tier', value: 'gold' })],
        ['hello', 'send', email('Welcome')],
        ['day', 'wait', wait(1)],
        ['x', 'exit', {}],
      ],
      edges: [...path('trigger', 'pro'), ['pro', 'up', 'yes'], ['pro', 'x', 'no'], ...path('up', 'hello', 'day')],
    });
    const first = enter(machine, now, { customer: customer({ plan: 'pro' }) }, event('signed_up', now));
    const second = fire(machine, first.progress);
    const recorded = [...ofType(first.effects, 'record-step'), ...ofType(second.effects, 'record-step')].map(({ nodeId, handle, reason, detail, at }) => [nodeId, handle, reason, detail, at]);
    expect(recorded).toEqual([
      ['trigger', 'next', 'entered', 'entered on signed_up', '2026-11-25T10:00:00.000Z'],
      ['pro', 'yes', 'rules-matched', 'plan equals "pro": yes (was "pro")', '2026-11-25T10:00:00.000Z'],
      ['up', 'next', 'profile-updated', 'tier = "gold"', '2026-11-25T10:00:00.000Z'],
      ['hello', 'next', 'sent', 'email to ada@example.com', '2026-11-25T10:00:00.000Z'],
      ['day', null, 'waiting', 'until 2026-11-26T10:00:00.000Z (UTC)', '2026-11-25T10:00:00.000Z'],
      ['day', 'next', 'wait-elapsed', 'waited until 2026-11-26T10:00:00.000Z', '2026-11-26T10:00:00.000Z'],
    ]);
    expect(steps(enter(machine, now, { customer: customer({ plan: 'free' }) }).effects)).toEqual([
      ['trigger', 'next', 'entered'],
      ['pro', 'no', 'rules-not-matched'],
      ['x', null, 'exit-node'],
    ]);
  });
});
