import { describe, expect, it } from 'vitest';
import { matchesEntryRules, matchesEventEntry } from '@waymark/shared';
import { customer, email, enter, event, feed, fire, linear, messages, ofType, rules, start, steps, traitIs, wait } from './journeys.ts';

const now = '2026-11-25T10:00:00Z';
const hello: Parameters<typeof linear>[0] = [['hello', 'send', email()]];
const entering = (entry: object) => linear(hello, { entry });

describe('entering', () => {
  describe('E1 event entry', () => {
    const abandoned = entering({
      kind: 'event',
      event: 'cart_abandoned',
      filter: [
        { path: 'cart.total', operator: 'greater-or-equal', value: 20 },
        { path: 'currency', operator: 'in', value: ['USD', 'EUR'] },
      ],
    });
    const cart = (properties: Record<string, unknown>, name = 'cart_abandoned') => event(name, now, properties);

    it('E1 an event with the trigger name whose properties pass the filter enters', () => {
      expect(matchesEventEntry(abandoned, cart({ cart: { total: 25 }, currency: 'EUR' }), customer())).toBe(true);
      expect(matchesEventEntry(abandoned, cart({ cart: { total: 20 }, currency: 'USD' }), customer())).toBe(true);
    });

    it('E1 an event that fails one comparison, lacks the property or has another name does not enter', () => {
      expect(matchesEventEntry(abandoned, cart({ cart: { total: 19.99 }, currency: 'EUR' }), customer())).toBe(false);
      expect(matchesEventEntry(abandoned, cart({ cart: { total: 25 }, currency: 'GBP' }), customer())).toBe(false);
      expect(matchesEventEntry(abandoned, cart({ currency: 'EUR' }), customer())).toBe(false);
      expect(matchesEventEntry(abandoned, cart({ cart: { total: 25 }, currency: 'EUR' }, 'cart_updated'), customer())).toBe(false);
    });

    it('E1 numeric strings from loosely typed sources compare as numbers', () => {
      expect(matchesEventEntry(abandoned, cart({ cart: { total: '25.00' }, currency: 'USD' }), customer())).toBe(true);
      expect(matchesEventEntry(abandoned, cart({ cart: { total: '19.99' }, currency: 'USD' }), customer())).toBe(false);
    });

    it('E1 without a filter any event of that name enters', () => {
      const signup = entering({ kind: 'event', event: 'signed_up' });
      expect(matchesEventEntry(signup, event('signed_up', now), customer())).toBe(true);
      expect(matchesEventEntry(signup, event('signed_up', now, { plan: 'anything' }), customer())).toBe(true);
      expect(matchesEventEntry(signup, event('Signed Up', now), customer())).toBe(false);
    });

    it('E1 a filter may compare with a trait of the customer', () => {
      const local = entering({ kind: 'event', event: 'store_visit', filter: [{ path: 'country', operator: 'equals', valueFrom: { source: 'trait', path: 'country' } }] });
      expect(matchesEventEntry(local, event('store_visit', now, { country: 'DE' }), customer({ country: 'DE' }))).toBe(true);
      expect(matchesEventEntry(local, event('store_visit', now, { country: 'FR' }), customer({ country: 'DE' }))).toBe(false);
      expect(matchesEventEntry(local, event('store_visit', now, {}), customer({}))).toBe(false);
    });

    it('E1 "exists" compares with nothing: a reference left on the rule is not read', () => {
      const local = entering({ kind: 'event', event: 'store_visit', filter: [{ path: 'country', operator: 'exists', valueFrom: { source: 'trait', path: 'missing' } }] });
      expect(matchesEventEntry(local, event('store_visit', now, { country: 'DE' }), customer({}))).toBe(true);
      expect(matchesEventEntry(local, event('store_visit', now, {}), customer({}))).toBe(false);
    });

    it('E1 a journey not started by an event is never entered by one', () => {
      expect(matchesEventEntry(entering({ kind: 'segment', ...traitIs('plan', 'pro') }), event('start', now), customer({ plan: 'pro' }))).toBe(false);
    });
  });

  describe('E2 rule entry', () => {
    it('E2 a segment enrolls customers who match the rules at that moment', () => {
      const trialEnding = entering({
        kind: 'segment',
        ...rules('all', { kind: 'trait', path: 'plan', operator: 'equals', value: 'trial' }, { kind: 'trait', path: 'trial_ends_at', operator: 'within-next', value: { amount: 3, unit: 'days' } }),
      });
      const ada = customer({ plan: 'trial', trial_ends_at: '2026-12-01T00:00:00Z' });
      expect(matchesEntryRules(trialEnding, ada, '2026-11-25T10:00:00Z')).toBe(false);
      expect(matchesEntryRules(trialEnding, ada, '2026-11-28T10:00:00Z')).toBe(true);
      expect(matchesEntryRules(trialEnding, ada, '2026-12-01T00:00:01Z')).toBe(false);
      expect(matchesEntryRules(trialEnding, customer({ plan: 'pro', trial_ends_at: '2026-12-01T00:00:00Z' }), '2026-11-28T10:00:00Z')).toBe(false);
    });

    it('E2 segment rules count the recent events they are given', () => {
      const repeat = entering({ kind: 'segment', ...rules('all', { kind: 'event-count', event: 'purchase', comparison: 'at-least', count: 2, within: { amount: 30, unit: 'days' } }) });
      const bought = (timestamp: string) => event('purchase', timestamp);
      expect(matchesEntryRules(repeat, customer(), now, [bought('2026-11-01T00:00:00Z'), bought('2026-11-20T00:00:00Z')])).toBe(true);
      expect(matchesEntryRules(repeat, customer(), now, [bought('2026-10-01T00:00:00Z'), bought('2026-11-20T00:00:00Z')])).toBe(false);
      expect(matchesEntryRules(repeat, customer(), now)).toBe(false);
    });

    it('E2 a scheduled trigger with rules enrolls matching customers; without rules it enrolls everyone', () => {
      const schedule = { kind: 'once', date: '2026-12-01', time: '09:00' };
      const proOnly = entering({ kind: 'schedule', schedule, ...traitIs('plan', 'pro') });
      expect(matchesEntryRules(proOnly, customer({ plan: 'pro' }), '2026-12-01T09:00:00Z')).toBe(true);
      expect(matchesEntryRules(proOnly, customer({ plan: 'free' }), '2026-12-01T09:00:00Z')).toBe(false);
      const everyone = entering({ kind: 'schedule', schedule: { kind: 'recurring', frequency: 'weekly', time: '09:00', weekdays: ['mon'] } });
      expect(matchesEntryRules(everyone, customer(), '2026-12-01T09:00:00Z')).toBe(true);
      expect(matchesEntryRules(everyone, customer({}, {}, 'nobody-special'), '2026-12-01T09:00:00Z')).toBe(true);
    });
  });

  describe('E3 enter once', () => {
    const machine = linear([
      ['hello', 'send', email()],
      ['day', 'wait', wait(1)],
    ]);

    it('E3 enter starts at the trigger, records entered and runs on until the run waits', () => {
      const r = enter(machine, now, {}, event('start', now, { plan: 'pro' }));
      expect(steps(r.effects)).toEqual([
        ['trigger', 'next', 'entered'],
        ['hello', 'next', 'sent'],
        ['day', null, 'waiting'],
      ]);
      expect(ofType(r.effects, 'record-step')[0]!.detail).toBe('entered on start');
      expect(r.progress).toMatchObject({ status: 'active', visits: { trigger: 1, hello: 1, day: 1 }, trigger: { name: 'start', properties: { plan: 'pro' } } });
    });

    it('E3 a run without a trigger event (segment, schedule) records a plain entered', () => {
      const segment = linear([['day', 'wait', wait(1)]], { entry: { kind: 'segment', ...traitIs('plan', 'pro') } });
      const r = enter(segment, now, { customer: customer({ plan: 'pro' }) }, null);
      expect(ofType(r.effects, 'record-step')[0]).toMatchObject({ nodeId: 'trigger', handle: 'next', reason: 'entered', detail: 'entered' });
    });

    it('E3 a second enter on the same progress is ignored as already-entered, however far the run got', () => {
      const parked = enter(machine, now).progress;
      expect(feed(machine, parked, { type: 'enter' }, { now: '2026-11-25T10:00:01Z' })).toEqual({ progress: parked, effects: [], ignored: 'already-entered' });
      const fresh = start(machine, now);
      expect(feed(machine, fresh, { type: 'enter' }, { now }).ignored).toBeUndefined();
      const done = fire(machine, parked).progress;
      expect(feed(machine, done, { type: 'enter' }, { now: '2026-11-27T10:00:00Z' }).ignored).toBe('not-active');
    });
  });

  describe('E4 enrollment', () => {
    const byApi = linear([['code', 'send', email('Your code: {{ event.coupon }}')]], { entry: { kind: 'api' } });

    it('E4 a journey started by API is never entered by an event, nor matched by rules', () => {
      expect(matchesEventEntry(byApi, event('Enrolled', now), customer())).toBe(false);
      expect(matchesEntryRules(byApi, customer(), now)).toBe(false);
    });

    it("E4 an enrollment's properties are its trigger's: templates read them as event", () => {
      const r = enter(byApi, now, {}, event('Enrolled', now, { coupon: 'ADA10' }));
      expect(messages(r.effects)[0]!.content).toMatchObject({ subject: 'Your code: ADA10' });
      expect(ofType(r.effects, 'record-step')[0]).toMatchObject({ nodeId: 'trigger', reason: 'entered', detail: 'entered on Enrolled' });
    });
  });

  describe('E5 segment change', () => {
    const entered = (segmentId: string) => event('Segment Entered', now, { segmentId, segment: 'VIP' });
    const onEnter = entering({ kind: 'segment-change', segmentId: 'vip', change: 'entered' });
    const onLeave = entering({ kind: 'segment-change', segmentId: 'vip', change: 'exited' });

    it('E5 entering the named segment starts it; another segment, or leaving, does not', () => {
      expect(matchesEventEntry(onEnter, entered('vip'), customer())).toBe(true);
      expect(matchesEventEntry(onEnter, entered('other'), customer())).toBe(false);
      expect(matchesEventEntry(onEnter, event('Segment Exited', now, { segmentId: 'vip' }), customer())).toBe(false);
      expect(matchesEventEntry(onLeave, event('Segment Exited', now, { segmentId: 'vip' }), customer())).toBe(true);
      expect(matchesEventEntry(onLeave, entered('vip'), customer())).toBe(false);
    });

    it('E5 the membership event is the trigger: templates read the segment', () => {
      const welcome = linear([['hello', 'send', email('Welcome to {{ event.segment }}')]], { entry: { kind: 'segment-change', segmentId: 'vip' } });
      expect(messages(enter(welcome, now, {}, entered('vip')).effects)[0]!.content).toMatchObject({ subject: 'Welcome to VIP' });
    });
  });
});
