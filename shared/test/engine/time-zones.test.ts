import { describe, expect, it } from 'vitest';
import type { JourneyMachine } from '@waymark/shared';
import { customer, dateWait, email, enter, fire, journey, linear, quietHours, stepAt, timeOfDay } from './journeys.ts';

const now = '2026-11-25T10:00:00Z';
/** When a run entered at `at` is due to leave its first wait. */
const untilOf = (machine: JourneyMachine, at: string, traits: Record<string, unknown> = {}) => enter(machine, at, { customer: customer(traits) }).progress.position?.until;
const waitOnly = (data: object, settings?: object) => linear([['w', 'wait', data]], { settings });
/** "Every day at `time`": a time-of-day wait, a send, and back. */
const dailyAt = (time: string) =>
  journey({
    nodes: [
      ['w', 'wait', timeOfDay(time)],
      ['m', 'send', email()],
    ],
    edges: [
      ['trigger', 'w'],
      ['w', 'm'],
      ['m', 'w'],
    ],
  });
/** The first `count` moments a daily loop sends, for a customer in `zone`. */
function sendTimes(time: string, zone: string, at: string, count: number): string[] {
  const machine = dailyAt(time);
  const ctx = { customer: customer({ timezone: zone }) };
  let r = enter(machine, at, ctx);
  const times: string[] = [];
  for (let i = 0; i < count; i++) {
    times.push(r.progress.position!.until);
    r = fire(machine, r.progress, ctx);
  }
  return times;
}

describe('time zones', () => {
  describe('Z1 which zone', () => {
    const nine = (settings: object = { timeZone: 'Asia/Tokyo' }, extra: object = { fallbackTimeZone: 'Europe/Paris' }) => waitOnly(timeOfDay('09:00', extra), settings);

    it('Z1 the customer’s timezone trait comes first', () => {
      expect(untilOf(nine(), now, { timezone: 'America/Chicago' })).toBe('2026-11-25T15:00:00.000Z');
    });

    it.each([['Mars/Base'], [''], [42], [null], ['GMT+2']])('Z1 a timezone trait of %j is not a zone, so the node fallback applies', (timezone) => {
      expect(untilOf(nine(), now, { timezone })).toBe('2026-11-26T08:00:00.000Z');
    });

    it('Z1 a UTC offset such as +02:00 is not an IANA zone, so the fallback applies', () => {
      expect(untilOf(nine(), now, { timezone: '+02:00' })).toBe('2026-11-26T08:00:00.000Z');
    });

    it('Z1 without a node fallback the journey zone applies, then UTC', () => {
      expect(untilOf(nine({ timeZone: 'Asia/Tokyo' }, {}), now)).toBe('2026-11-26T00:00:00.000Z');
      expect(untilOf(nine({}, {}), now)).toBe('2026-11-26T09:00:00.000Z');
    });

    it('Z1 a date-only trait is midnight in the zone chosen the same way', () => {
      const renewal = waitOnly(dateWait('renews_on', { fallbackTimeZone: 'America/Los_Angeles' }), { timeZone: 'Asia/Tokyo' });
      expect(untilOf(renewal, now, { renews_on: '2026-12-10' })).toBe('2026-12-10T08:00:00.000Z');
      expect(untilOf(renewal, now, { renews_on: '2026-12-10', timezone: 'Europe/Berlin' })).toBe('2026-12-09T23:00:00.000Z');
    });

    it('Z1 quiet hours use the customer zone, then the journey zone', () => {
      const machine = linear([['m', 'send', email()]], { settings: { ...quietHours(), timeZone: 'America/New_York' } });
      const at = '2026-11-26T03:00:00Z'; // 22:00 in New York, 04:00 in Berlin, 12:00 in Tokyo
      expect(untilOf(machine, at)).toBe('2026-11-26T13:00:00.000Z');
      expect(untilOf(machine, at, { timezone: 'Europe/Berlin' })).toBe('2026-11-26T07:00:00.000Z');
      expect(stepAt(enter(machine, at, { customer: customer({ timezone: 'Asia/Tokyo' }) }).effects, 'm').reason).toBe('sent');
    });
  });

  describe('Z2 DST', () => {
    it('Z2 a daily 09:00 in New York stays 09:00 local across spring forward', () => {
      expect(sendTimes('09:00', 'America/New_York', '2026-03-06T20:00:00Z', 4)).toEqual([
        '2026-03-07T14:00:00.000Z',
        '2026-03-08T13:00:00.000Z',
        '2026-03-09T13:00:00.000Z',
        '2026-03-10T13:00:00.000Z',
      ]);
    });

    it('Z2 a daily 09:00 in New York stays 09:00 local across fall back', () => {
      expect(sendTimes('09:00', 'America/New_York', '2026-10-30T20:00:00Z', 3)).toEqual(['2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z', '2026-11-02T14:00:00.000Z']);
    });

    it('Z2 a daily 09:00 in Berlin stays 09:00 local across spring forward and fall back', () => {
      expect(sendTimes('09:00', 'Europe/Berlin', '2026-03-27T20:00:00Z', 3)).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
      expect(sendTimes('09:00', 'Europe/Berlin', '2026-10-23T20:00:00Z', 3)).toEqual(['2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z']);
    });

    it('Z2 a time inside the spring-forward gap moves forward by the gap (02:30 → 03:30), and only on that day', () => {
      expect(sendTimes('02:30', 'America/New_York', '2026-03-08T05:00:00Z', 2)).toEqual(['2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
      expect(sendTimes('02:30', 'Europe/Berlin', '2026-03-28T23:30:00Z', 2)).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
    });

    it('Z2 a time inside the fall-back overlap is its earlier instant, and is not repeated', () => {
      expect(sendTimes('01:30', 'America/New_York', '2026-11-01T04:00:00Z', 2)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
      expect(sendTimes('02:30', 'Europe/Berlin', '2026-10-24T22:30:00Z', 2)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    });

    it('Z2 a date wait of "3 days before at 10:00" is 10:00 local on either side of Berlin’s fall back', () => {
      const reminder = waitOnly(dateWait('ends', { offset: { amount: 3, unit: 'days', direction: 'before' }, time: '10:00' }));
      const berlin = (ends: string) => untilOf(reminder, '2026-10-20T00:00:00Z', { ends, timezone: 'Europe/Berlin' });
      expect(berlin('2026-10-27T12:00:00Z')).toBe('2026-10-24T08:00:00.000Z');
      expect(berlin('2026-10-28T12:00:00Z')).toBe('2026-10-25T09:00:00.000Z');
    });

    it('Z2 a date wait of "1 week after" keeps the local time of day across New York’s spring forward', () => {
      const followUp = waitOnly(dateWait('signed_up_at', { offset: { amount: 1, unit: 'weeks', direction: 'after' } }));
      expect(untilOf(followUp, '2026-03-02T15:00:00Z', { signed_up_at: '2026-03-02T14:00:00Z', timezone: 'America/New_York' })).toBe('2026-03-09T13:00:00.000Z');
      const dated = waitOnly(dateWait('event_on', { offset: { amount: 2, unit: 'days', direction: 'before' }, time: '09:00' }));
      const ny = (event_on: string) => untilOf(dated, '2026-03-01T00:00:00Z', { event_on, timezone: 'America/New_York' });
      expect([ny('2026-03-09'), ny('2026-03-10')]).toEqual(['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z']);
    });

    it('Z2 a date wait whose local time falls in the gap or the overlap follows the same rules', () => {
      const at = (time: string) => waitOnly(dateWait('day', { time }));
      expect(untilOf(at('02:30'), '2026-03-01T00:00:00Z', { day: '2026-03-29', timezone: 'Europe/Berlin' })).toBe('2026-03-29T01:30:00.000Z');
      expect(untilOf(at('01:30'), '2026-10-01T00:00:00Z', { day: '2026-11-01', timezone: 'America/New_York' })).toBe('2026-11-01T05:30:00.000Z');
    });
  });
});
