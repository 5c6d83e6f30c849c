import { describe, expect, it } from 'vitest';
import { advance } from '@waymark/shared';
import { customer, email, enter, event, fire, journey, messages, ofType, send, steps, traitIs, wait } from './journeys.ts';

const now = '2026-11-25T10:00:00Z';
const nurture = (settings: object) =>
  journey({ settings, nodes: [['day', 'wait', wait(2)], ['hello', 'send', email()]], edges: [['trigger', 'day'], ['day', 'hello']] });
const goal = (extra: object = {}) => ({ goal: { event: 'purchase', window: { amount: 7, unit: 'days' }, ...extra } });

describe('goal and exit criteria', () => {
  it('C1 a goal event inside the window converts once', () => {
    const machine = nurture(goal({ exitOnConversion: false }));
    const parked = enter(machine, now).progress;
    const first = send(machine, parked, event('purchase', '2026-11-26T10:00:00Z'));
    expect(ofType(first.effects, 'convert')).toEqual([{ type: 'convert', event: 'purchase', at: '2026-11-26T10:00:00.000Z' }]);
    expect(send(machine, first.progress, event('purchase', '2026-11-26T11:00:00Z')).ignored).toBe('not-waiting');
  });

  it('C1 the goal filter applies, and the goal input converts like an event', () => {
    const machine = nurture(goal({ filter: [{ path: 'total', operator: 'greater-than', value: 50 }] }));
    const parked = enter(machine, now).progress;
    expect(send(machine, parked, event('purchase', '2026-11-26T10:00:00Z', { total: 10 })).ignored).toBe('not-waiting');
    const r = advance(machine, parked, { type: 'goal', event: event('purchase', '2026-11-26T10:00:00Z', { total: 90 }) }, { now: '2026-11-26T10:00:00Z', customer: customer() });
    expect(r.progress.status).toBe('converted');
  });

  it('C2 by default a conversion ends the run wherever it waits; with exitOnConversion false it carries on', () => {
    const ending = nurture(goal());
    const r = send(ending, enter(ending, now).progress, event('purchase', '2026-11-26T10:00:00Z'));
    expect([r.progress.status, r.progress.endReason, r.progress.position]).toEqual(['converted', 'converted', null]);
    expect(ofType(r.effects, 'exit')).toEqual([{ type: 'exit', reason: 'converted', nodeId: 'day', at: '2026-11-26T10:00:00.000Z' }]);
    const going = nurture(goal({ exitOnConversion: false }));
    const kept = send(going, enter(going, now).progress, event('purchase', '2026-11-26T10:00:00Z'));
    expect(kept.progress.status).toBe('active');
    expect(messages(fire(going, kept.progress).effects)).toHaveLength(1);
  });

  it('C3 a goal event after the window is not a conversion', () => {
    const machine = journey({ settings: goal(), nodes: [['day', 'wait', wait(30)]], edges: [['trigger', 'day']] });
    expect(send(machine, enter(machine, now).progress, event('purchase', '2026-12-03T10:00:01Z')).ignored).toBe('not-waiting');
  });

  it('C4 an exit criterion removes the customer wherever they are, before goal and waits, without converting', () => {
    const machine = nurture({ ...goal(), exitCriteria: { events: [{ event: 'purchase', filter: [{ path: 'refund', operator: 'equals', value: true }] }, { event: 'unsubscribed_all' }] } });
    const parked = enter(machine, now).progress;
    const r = send(machine, parked, event('unsubscribed_all', '2026-11-26T10:00:00Z'));
    expect([r.progress.status, r.progress.endReason]).toEqual(['exited', 'exited-early']);
    const refund = send(machine, parked, event('purchase', '2026-11-26T10:00:00Z', { refund: true }));
    expect(refund.progress.endReason).toBe('exited-early');
    expect(ofType(refund.effects, 'convert')).toEqual([]);
  });

  it('C5 a segment run leaves when its customer stops matching the entry rules', () => {
    const machine = journey({
      entry: { kind: 'segment', ...traitIs('plan', 'trial') },
      settings: { exitCriteria: { whenEntryRulesStopMatching: true } },
      nodes: [['day', 'wait', wait(3)]],
      edges: [['trigger', 'day']],
    });
    const parked = enter(machine, now, { customer: customer({ plan: 'trial' }) }, null).progress;
    const still = advance(machine, parked, { type: 'profile-changed' }, { now, customer: customer({ plan: 'trial' }) });
    expect(still.ignored).toBe('not-waiting');
    const left = advance(machine, parked, { type: 'profile-changed' }, { now, customer: customer({ plan: 'pro' }) });
    expect([left.progress.status, left.progress.endReason]).toEqual(['exited', 'entry-rules-unmatched']);
  });
});

describe('timers and loops', () => {
  it('T1 a timer id names the run, node, visit and purpose', () => {
    const r = enter(nurture({}), now);
    expect(r.progress.position?.timerId).toBe('p1:day:1:timer');
  });

  it('T2 a timer for a position the run has left is ignored', () => {
    const machine = journey({
      nodes: [['w', 'wait-for-event', { event: 'paid', timeout: { amount: 1, unit: 'days' } }], ['a', 'wait', wait(5)], ['b', 'send', email()]],
      edges: [['trigger', 'w'], ['w', 'a', 'event'], ['w', 'b', 'timeout']],
    });
    const parked = enter(machine, now).progress;
    const oldTimer = parked.position!.timerId;
    const moved = send(machine, parked, event('paid', '2026-11-25T12:00:00Z')).progress;
    const late = advance(machine, moved, { type: 'timer-fired', timerId: oldTimer }, { now: '2026-11-26T10:00:00Z', customer: customer() });
    expect(late).toEqual({ progress: moved, effects: [], ignored: 'stale-timer' });
  });

  it('T3 an event for a run that is not waiting for it changes nothing', () => {
    const machine = nurture({});
    const parked = enter(machine, now).progress;
    expect(send(machine, parked, event('clicked', '2026-11-25T11:00:00Z'))).toEqual({ progress: parked, effects: [], ignored: 'not-waiting' });
  });

  it('T4 the step cap ends a run that would run too many states in one input', () => {
    const machine = journey({
      nodes: [['a', 'update-profile', { operations: [{ op: 'set', trait: 'x', value: '1' }] }], ['b', 'update-profile', { operations: [{ op: 'set', trait: 'y', value: '2' }] }], ['c', 'exit', {}]],
      edges: [['trigger', 'a'], ['a', 'b'], ['b', 'c']],
    });
    const r = enter(machine, now, { stepCap: 2 });
    expect([r.progress.status, r.progress.endReason]).toEqual(['completed', 'step-cap']);
    expect(steps(r.effects)).toEqual([
      ['trigger', 'next', 'entered'],
      ['a', 'next', 'profile-updated'],
    ]);
  });
});

describe('time zones', () => {
  const nine = () => journey({ settings: { timeZone: 'Asia/Tokyo' }, nodes: [['w', 'wait', { wait: { kind: 'time-of-day', time: '09:00', fallbackTimeZone: 'Europe/Paris' } }]], edges: [['trigger', 'w']] });

  it('Z1 the customer zone first, then the node fallback; an invalid zone is ignored', () => {
    expect(enter(nine(), now, { customer: customer({ timezone: 'America/Chicago' }) }).progress.position?.until).toBe('2026-11-25T15:00:00.000Z');
    expect(enter(nine(), now, { customer: customer({ timezone: 'Mars/Base' }) }).progress.position?.until).toBe('2026-11-26T08:00:00.000Z');
  });

  it('Z1 the journey zone when there is no node fallback, then UTC', () => {
    const tokyo = journey({ settings: { timeZone: 'Asia/Tokyo' }, nodes: [['w', 'wait', { wait: { kind: 'time-of-day', time: '09:00' } }]], edges: [['trigger', 'w']] });
    expect(enter(tokyo, now).progress.position?.until).toBe('2026-11-26T00:00:00.000Z');
    const utc = journey({ nodes: [['w', 'wait', { wait: { kind: 'time-of-day', time: '09:00' } }]], edges: [['trigger', 'w']] });
    expect(enter(utc, now).progress.position?.until).toBe('2026-11-26T09:00:00.000Z');
  });

  it('Z2 a daily 09:00 loop in New York fires at 09:00 local across spring forward', () => {
    const machine = journey({
      nodes: [['w', 'wait', { wait: { kind: 'time-of-day', time: '09:00' } }], ['m', 'send', email()]],
      edges: [['trigger', 'w'], ['w', 'm'], ['m', 'w']],
    });
    const ny = customer({ timezone: 'America/New_York' });
    let r = enter(machine, '2026-03-06T20:00:00Z', { customer: ny });
    const sends: string[] = [];
    for (let i = 0; i < 4; i++) {
      sends.push(r.progress.position!.until);
      r = fire(machine, r.progress, { customer: ny });
    }
    expect(sends).toEqual(['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-10T13:00:00.000Z']);
  });

  it('Z2 a date wait of "3 days before at 10:00" lands at 10:00 local across fall back', () => {
    const machine = journey({
      nodes: [['w', 'wait', { wait: { kind: 'date', source: 'trait', path: 'ends', offset: { amount: 3, unit: 'days', direction: 'before' }, time: '10:00' } }]],
      edges: [['trigger', 'w']],
    });
    const r = enter(machine, '2026-10-20T00:00:00Z', { customer: customer({ ends: '2026-10-27T12:00:00Z', timezone: 'Europe/Berlin' }) });
    expect(r.progress.position?.until).toBe('2026-10-24T08:00:00.000Z'); // 10:00 CEST, the day before the change
    const after = enter(machine, '2026-10-20T00:00:00Z', { customer: customer({ ends: '2026-10-28T12:00:00Z', timezone: 'Europe/Berlin' }) });
    expect(after.progress.position?.until).toBe('2026-10-25T09:00:00.000Z'); // 10:00 CET, the day of the change
  });
});
