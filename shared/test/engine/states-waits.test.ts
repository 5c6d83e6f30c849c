import { describe, expect, it } from 'vitest';
import { simulateRun } from '@waymark/shared';
import { customer, dateWait, email, enter, event, fire, journey, linear, messages, ofType, path, sameCart, stepAt, steps, timeOfDay, track, wait, waitForEvent } from './journeys.ts';

/** The waiting states, S2–S10. Conditions, splits and the rest are in states.test.ts; DST in time-zones.test.ts. */

const now = '2026-11-25T10:00:00Z';
const waitThenHello = (data: object) =>
  linear([
    ['w', 'wait', data],
    ['hello', 'send', email()],
  ]);
const untilOf = (data: object, at: string, traits: Record<string, unknown> = {}, trigger = event('start', at)) =>
  enter(waitThenHello(data), at, { customer: customer(traits) }, trigger).progress.position?.until;

describe('states: waits', () => {
  it('S2 a duration wait parks until now plus the duration and schedules its timer', () => {
    const r = enter(waitThenHello(wait(90, 'minutes')), now);
    expect(r.progress.position).toEqual({ nodeId: 'w', waiting: 'timer', until: '2026-11-25T11:30:00.000Z', timerId: 'p1:w:1:timer' });
    expect(ofType(r.effects, 'schedule-timer')).toEqual([{ type: 'schedule-timer', timerId: 'p1:w:1:timer', nodeId: 'w', at: '2026-11-25T11:30:00.000Z', purpose: 'timer' }]);
    expect(messages(r.effects)).toEqual([]);
  });

  it('S2 a duration is exact elapsed time: a day is 24 hours even across spring forward', () => {
    expect(untilOf(wait(1), '2026-03-07T15:00:00Z', { timezone: 'America/New_York' })).toBe('2026-03-08T15:00:00.000Z');
    expect(untilOf(wait(2, 'weeks'), '2026-03-20T09:00:00Z', { timezone: 'Europe/Berlin' })).toBe('2026-04-03T09:00:00.000Z');
  });

  it('S3 a time-of-day wait parks until the next HH:MM strictly after now in the customer zone', () => {
    const nine = timeOfDay('09:00');
    const ny = { timezone: 'America/New_York' };
    expect(untilOf(nine, '2026-11-25T13:59:00Z', ny)).toBe('2026-11-25T14:00:00.000Z');
    expect(untilOf(nine, '2026-11-25T14:00:00Z', ny)).toBe('2026-11-26T14:00:00.000Z');
    const r = enter(waitThenHello(nine), '2026-11-25T14:00:00Z', { customer: customer(ny) });
    expect(stepAt(r.effects, 'w')).toMatchObject({ handle: null, reason: 'waiting', detail: 'until 2026-11-26T14:00:00.000Z (America/New_York)' });
  });

  it('S3 weekdays are judged on the local calendar, not the UTC one', () => {
    // Friday 16:00 UTC is already Saturday 01:00 in Tokyo.
    const tokyo = { timezone: 'Asia/Tokyo' };
    expect(untilOf(timeOfDay('09:00', { weekdays: ['sat'] }), '2026-11-27T16:00:00Z', tokyo)).toBe('2026-11-28T00:00:00.000Z');
    expect(untilOf(timeOfDay('09:00', { weekdays: ['fri'] }), '2026-11-27T16:00:00Z', tokyo)).toBe('2026-12-04T00:00:00.000Z');
    expect(untilOf(timeOfDay('09:30', { weekdays: ['sat', 'sun'] }), now, { timezone: 'Europe/Berlin' })).toBe('2026-11-28T08:30:00.000Z');
  });

  it('S4 a trait instant moves by calendar weeks and takes the local time of day', () => {
    const renewal = dateWait('renews_at', { offset: { amount: 1, unit: 'weeks', direction: 'before' }, time: '08:00' });
    expect(untilOf(renewal, now, { renews_at: '2027-01-15T18:00:00Z', timezone: 'America/Los_Angeles' })).toBe('2027-01-08T16:00:00.000Z');
  });

  it('S4 a YYYY-MM-DD date is a local calendar date: midnight unless a time is given', () => {
    const berlin = { trial_ends: '2026-12-10', timezone: 'Europe/Berlin' };
    expect(untilOf(dateWait('trial_ends'), now, berlin)).toBe('2026-12-09T23:00:00.000Z');
    expect(untilOf(dateWait('trial_ends', { offset: { amount: 3, unit: 'days', direction: 'before' }, time: '09:00' }), now, berlin)).toBe('2026-12-07T08:00:00.000Z');
  });

  it('S4 the trigger event may carry the date as epoch seconds or milliseconds', () => {
    const appointment = (offset: object) => dateWait('appointment', { source: 'trigger-event', offset });
    const seconds = event('start', now, { appointment: 1796137200 }); // 2026-12-01T15:00:00Z
    const millis = event('start', now, { appointment: 1796137200000 });
    expect(untilOf(appointment({ amount: 2, unit: 'hours', direction: 'before' }), now, {}, seconds)).toBe('2026-12-01T13:00:00.000Z');
    expect(untilOf(appointment({ amount: 30, unit: 'minutes', direction: 'after' }), now, {}, millis)).toBe('2026-12-01T15:30:00.000Z');
  });

  it('S4 days move the local calendar date while hours add elapsed time (New York, spring forward)', () => {
    const at = '2026-03-01T00:00:00Z';
    const ny = { appointment: '2026-03-07T15:00:00Z', timezone: 'America/New_York' }; // Saturday 10:00 EST
    expect(untilOf(dateWait('appointment', { offset: { amount: 1, unit: 'days', direction: 'after' } }), at, ny)).toBe('2026-03-08T14:00:00.000Z');
    expect(untilOf(dateWait('appointment', { offset: { amount: 24, unit: 'hours', direction: 'after' } }), at, ny)).toBe('2026-03-08T15:00:00.000Z');
  });

  it('S4 an instant without a time of day keeps its seconds; with one it is on the minute', () => {
    const traits = { paid_at: '2026-12-01T15:00:45.500Z' };
    const nextDay = { offset: { amount: 1, unit: 'days', direction: 'after' } };
    expect(untilOf(dateWait('paid_at', nextDay), now, traits)).toBe('2026-12-02T15:00:45.500Z');
    expect(untilOf(dateWait('paid_at', { ...nextDay, time: '09:00' }), now, traits)).toBe('2026-12-02T09:00:00.000Z');
  });

  it('S4 an instant in the repeated fall-back hour is that instant: no offset waits for it, an hour offset is elapsed time', () => {
    // 06:30Z is the second 01:30 in New York on 2026-11-01 (EST); 05:30Z was the first (EDT).
    const ny = { second_pass: '2026-11-01T06:30:00Z', timezone: 'America/New_York' };
    const at = '2026-10-31T00:00:00Z';
    const exact = untilOf(dateWait('second_pass'), at, ny);
    const twoHoursBefore = untilOf(dateWait('second_pass', { offset: { amount: 2, unit: 'hours', direction: 'before' } }), at, ny);
    expect({ exact, twoHoursBefore }).toEqual({ exact: '2026-11-01T06:30:00.000Z', twoHoursBefore: '2026-11-01T04:30:00.000Z' });
  });

  it('S5 a wait whose moment is already past records wait-already-due and continues at once', () => {
    const r = enter(waitThenHello(dateWait('due')), now, { customer: customer({ due: '2026-01-01' }) });
    expect(steps(r.effects)).toEqual([
      ['trigger', 'next', 'entered'],
      ['w', 'next', 'wait-already-due'],
      ['hello', 'next', 'sent'],
    ]);
    expect(stepAt(r.effects, 'w').detail).toBe('due at 2026-01-01T00:00:00.000Z, already past');
    expect(ofType(r.effects, 'schedule-timer')).toEqual([]);
  });

  it('S5 a moment equal to now is due; a moment one millisecond later waits', () => {
    expect(stepAt(enter(waitThenHello(dateWait('due')), now, { customer: customer({ due: now }) }).effects, 'w').reason).toBe('wait-already-due');
    expect(stepAt(enter(waitThenHello(wait(0, 'minutes')), now).effects, 'w').reason).toBe('wait-already-due');
    expect(untilOf(dateWait('due'), now, { due: '2026-11-25T10:00:00.001Z' })).toBe('2026-11-25T10:00:00.001Z');
  });

  it('S6 a missing date ends the run by default with date-missing', () => {
    const r = enter(waitThenHello(dateWait('renews_at')), now);
    expect([r.progress.status, r.progress.endReason, r.progress.position]).toEqual(['exited', 'date-missing', null]);
    expect(stepAt(r.effects, 'w')).toMatchObject({ handle: null, reason: 'wait-date-missing', detail: 'renews_at is missing or not a date' });
    expect(ofType(r.effects, 'exit')).toEqual([{ type: 'exit', reason: 'date-missing', nodeId: 'w', at: '2026-11-25T10:00:00.000Z' }]);
    expect(messages(r.effects)).toEqual([]);
  });

  it.each([['someday'], [true], [{ at: '2026-12-01' }], [''], [null], ['12/01/2026']])('S6 %j is not a date', (value) => {
    const r = enter(waitThenHello(dateWait('renews_at')), now, { customer: customer({ renews_at: value }) });
    expect(stepAt(r.effects, 'w').reason).toBe('wait-date-missing');
  });

  it('S6 an impossible calendar date is not a date (not silently rolled into the next month)', () => {
    const reasons = ['2026-02-30', '2026-13-01', '2026-02-30T10:00:00Z'].map(
      (renews_at) => stepAt(enter(waitThenHello(dateWait('renews_at')), now, { customer: customer({ renews_at }) }).effects, 'w').reason,
    );
    expect(reasons).toEqual(['wait-date-missing', 'wait-date-missing', 'wait-date-missing']);
  });

  it('S6 with ifMissing continue the run records the missing date and goes on by next', () => {
    const r = enter(waitThenHello(dateWait('appointment', { source: 'trigger-event', ifMissing: 'continue' })), now);
    expect(steps(r.effects).slice(1)).toEqual([
      ['w', 'next', 'wait-date-missing'],
      ['hello', 'next', 'sent'],
    ]);
  });

  describe('waiting for an event', () => {
    const keyed = (filter: object[] = sameCart) =>
      journey({
        nodes: [
          ['w', 'wait-for-event', waitForEvent('order_completed', filter)],
          ['thanks', 'send', email('Thanks for order {{ journey.last_event.orderId }}')],
          ['nudge', 'send', email('You left {{ event.cartId | default: "something" }} behind')],
        ],
        edges: [
          ['trigger', 'w'],
          ['w', 'thanks', 'event'],
          ['w', 'nudge', 'timeout'],
        ],
      });
    const cart = (cartId?: unknown) => event('start', now, cartId === undefined ? {} : { cartId });
    const parkedOn = (cartId?: unknown, machine = keyed()) => enter(machine, now, { customer: customer({ country: 'DE' }) }, cart(cartId)).progress;
    const order = (properties: Record<string, unknown>, at = '2026-11-25T11:00:00Z') => event('order_completed', at, properties);

    it('S7 the run parks with a timeout timer and publishes the filter with every reference resolved', () => {
      const filter = [...sameCart, { path: 'total', operator: 'greater-than', value: 0 }, { path: 'country', operator: 'equals', valueFrom: { source: 'trait', path: 'country' } }];
      const r = enter(keyed(filter), now, { customer: customer({ country: 'DE' }) }, cart('cart-1'));
      expect(r.progress.position).toEqual({ nodeId: 'w', waiting: 'event', until: '2026-11-25T14:00:00.000Z', timerId: 'p1:w:1:event' });
      expect(ofType(r.effects, 'await-event')).toEqual([
        {
          type: 'await-event',
          nodeId: 'w',
          event: 'order_completed',
          filter: [
            { path: 'cartId', operator: 'equals', value: 'cart-1' },
            { path: 'total', operator: 'greater-than', value: 0 },
            { path: 'country', operator: 'equals', value: 'DE' },
          ],
          until: '2026-11-25T14:00:00.000Z',
        },
      ]);
      expect(stepAt(r.effects, 'w')).toMatchObject({ handle: null, reason: 'waiting-for-event', detail: 'for order_completed until 2026-11-25T14:00:00.000Z' });
    });

    it('S8 the awaited event releases the wait by the event handle and becomes journey.last_event', () => {
      const machine = keyed();
      const e = order({ cartId: 'cart-1', orderId: 'o-9' });
      const r = track(machine, parkedOn('cart-1'), e);
      expect(steps(r.effects)).toEqual([
        ['w', 'event', 'event-matched'],
        ['thanks', 'next', 'sent'],
      ]);
      expect(stepAt(r.effects, 'w').detail).toBe('order_completed matched its filter');
      expect(messages(r.effects)[0]!.content.subject).toBe('Thanks for order o-9');
      expect(r.progress.lastEvent).toEqual(e);
    });

    it('S8 a key sent as a number on one event and a string on the other still matches', () => {
      expect(steps(track(keyed(), parkedOn(42), order({ cartId: '42', orderId: 'o-1' })).effects)[0]).toEqual(['w', 'event', 'event-matched']);
    });

    it('S9 an event for another cartId does not release the wait', () => {
      const parked = parkedOn('cart-1');
      expect(track(keyed(), parked, order({ cartId: 'cart-2', orderId: 'o-2' }))).toEqual({ progress: parked, effects: [], ignored: 'not-waiting' });
    });

    it('S9 a run whose trigger had no cartId is never released, not even by an event without one', () => {
      const parked = parkedOn(undefined);
      expect(track(keyed(), parked, order({})).ignored).toBe('not-waiting');
      expect(track(keyed(), parked, order({ cartId: 'cart-1' })).ignored).toBe('not-waiting');
      expect(track(keyed(), parked, order({ cartId: null })).ignored).toBe('not-waiting');
    });

    it('S10 the timeout timer records event-timeout and takes the timeout handle', () => {
      const machine = keyed();
      const parked = track(machine, parkedOn('cart-1'), order({ cartId: 'cart-2' })).progress;
      const r = fire(machine, parked);
      expect(steps(r.effects)).toEqual([
        ['w', 'timeout', 'event-timeout'],
        ['nudge', 'next', 'sent'],
      ]);
      expect(stepAt(r.effects, 'w').detail).toBe('no order_completed by 2026-11-25T14:00:00.000Z');
      expect(messages(r.effects)[0]!.content.subject).toBe('You left cart-1 behind');
      expect([r.progress.lastEvent, r.progress.status]).toEqual([null, 'completed']);
    });

    it('S10 a whole run: an order for another cart is ignored and the wait times out into the nudge', () => {
      const run = simulateRun({ machine: keyed(), customer: customer(), trigger: cart('cart-1'), events: [order({ cartId: 'cart-2', orderId: 'o-2' }, '2026-11-25T11:00:00Z')] });
      expect(run.timeline.map(({ at, input, ignored }) => [at, input.type, ignored ?? null])).toEqual([
        ['2026-11-25T10:00:00.000Z', 'enter', null],
        ['2026-11-25T11:00:00.000Z', 'event', 'not-waiting'],
        ['2026-11-25T14:00:00.000Z', 'timer-fired', null],
      ]);
      expect(messages(run.effects).map((m) => [m.nodeId, m.content.subject])).toEqual([['nudge', 'You left cart-1 behind']]);
      expect(run.progress.status).toBe('completed');
    });

    it('S8 a later wait replaces journey.last_event', () => {
      const machine = journey({
        nodes: [
          ['opened', 'wait-for-event', waitForEvent('email_opened')],
          ['clicked', 'wait-for-event', waitForEvent('link_clicked')],
          ['m', 'send', email('{{ journey.last_event.link }}')],
          ['x', 'exit', {}],
        ],
        edges: [['trigger', 'opened'], ['opened', 'clicked', 'event'], ['opened', 'x', 'timeout'], ['clicked', 'm', 'event'], ['clicked', 'x', 'timeout'], ...path('m', 'x')],
      });
      const first = track(machine, enter(machine, now).progress, event('email_opened', '2026-11-25T10:05:00Z', { link: 'none' }));
      const second = track(machine, first.progress, event('link_clicked', '2026-11-25T10:06:00Z', { link: '/pricing' }));
      expect(messages(second.effects)[0]!.content.subject).toBe('/pricing');
    });
  });
});
