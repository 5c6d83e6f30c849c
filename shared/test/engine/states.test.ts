import { describe, expect, it } from 'vitest';
import { bucketOf, type JourneyMachine } from '@waymark/shared';
import {
  arms,
  customer,
  customerIdInBucket,
  email,
  enter,
  event,
  everywhere,
  fire,
  goal,
  journey,
  linear,
  messages,
  ofType,
  path,
  rules,
  setTraits,
  stepAt,
  steps,
  track,
  traitIs,
  wait,
  type Ctx,
  type NodeSpec,
} from './journeys.ts';

/** Trigger, branching and final states (S1, S11–S16); the waits are in states-waits.test.ts. */

const now = '2026-11-25T10:00:00Z';

/** A condition `c` (after optional lead nodes) whose branches end at exits `y` and `n`. */
const branch = (data: object, lead: NodeSpec[] = []) =>
  journey({
    nodes: [...lead, ['c', 'condition', data], ['y', 'exit', {}], ['n', 'exit', {}]],
    edges: [...path('trigger', ...lead.map(([id]) => id), 'c'), ['c', 'y', 'yes'], ['c', 'n', 'no']],
  });
const verdict = (machine: JourneyMachine, ctx: Ctx = {}, trigger = event('start', now)) => {
  const { handle, reason, detail } = stepAt(enter(machine, now, ctx, trigger).effects, 'c');
  return [handle, reason, detail];
};

describe('states', () => {
  it('S1 the trigger records entered and moves to its next', () => {
    const r = enter(linear([['x', 'exit', {}]]), now, {}, event('start', now));
    expect(steps(r.effects)).toEqual([
      ['trigger', 'next', 'entered'],
      ['x', null, 'exit-node'],
    ]);
    expect(r.progress.visits).toEqual({ trigger: 1, x: 1 });
  });

  it('S11 a condition takes yes or no and records the rule-by-rule reason', () => {
    const pro = branch(traitIs('plan', 'pro'));
    expect(verdict(pro, { customer: customer({ plan: 'pro' }) })).toEqual(['yes', 'rules-matched', 'plan equals "pro": yes (was "pro")']);
    expect(verdict(pro, { customer: customer({ plan: 'free' }) })).toEqual(['no', 'rules-not-matched', 'plan equals "pro": no (was "free")']);
    expect(verdict(pro, { customer: customer({}) })).toEqual(['no', 'rules-not-matched', 'plan equals "pro": no (was missing)']);
  });

  it('S11 any/all groups nest and the reason names the rules that decided', () => {
    const machine = branch(
      rules(
        'any',
        { kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' },
        {
          kind: 'group',
          match: 'all',
          rules: [
            { kind: 'trait', path: 'country', operator: 'equals', value: 'DE' },
            { kind: 'trait', path: 'orders', operator: 'greater-than', value: 2 },
          ],
        },
      ),
    );
    const [handle, , detail] = verdict(machine, { customer: customer({ plan: 'free', country: 'DE', orders: 3 }) });
    expect(handle).toBe('yes');
    expect(detail).toContain('country equals "DE": yes (was "DE") and orders greater-than 2: yes (was 3)');
    expect(verdict(machine, { customer: customer({ plan: 'free', country: 'DE', orders: 2 }) })[0]).toBe('no');
  });

  it('S11 conditions read the trigger event, recent events, channel reachability and this run’s message activity', () => {
    const bigOrder = branch(rules('all', { kind: 'event-property', path: 'total', operator: 'greater-or-equal', value: 100 }));
    expect(verdict(bigOrder, {}, event('start', now, { total: 120 }))).toEqual(['yes', 'rules-matched', 'event total greater-or-equal 100: yes (was 120)']);
    const loyal = branch(rules('all', { kind: 'event-count', event: 'purchase', comparison: 'at-least', count: 2, within: { amount: 30, unit: 'days' } }));
    const purchases = [event('purchase', '2026-11-01T00:00:00Z'), event('purchase', '2026-11-24T00:00:00Z'), event('purchase', '2026-11-26T00:00:00Z')];
    expect(verdict(loyal, { events: purchases })).toEqual(['yes', 'rules-matched', 'performed purchase 2 times in the last 30 days (at-least 2)']);
    // Between two dates: whole UTC days, both included; events after now (or after the last day) do not count.
    const novemberBuyer = branch(rules('all', { kind: 'event-count', event: 'purchase', comparison: 'at-least', count: 2, between: { from: '2026-11-01', to: '2026-11-24' } }));
    expect(verdict(novemberBuyer, { events: purchases })).toEqual(['yes', 'rules-matched', 'performed purchase 2 times between 2026-11-01 and 2026-11-24 (at-least 2)']);
    expect(verdict(novemberBuyer, { events: purchases.slice(1) })[0]).toBe('no');
    expect(verdict(novemberBuyer, { events: [purchases[0]!, event('purchase', '2026-11-24T23:59:59Z')] })[0]).toBe('yes');
    expect(verdict(novemberBuyer, { events: [purchases[0]!, event('purchase', '2026-10-31T23:59:59Z')] })[0]).toBe('no');
    const texting = branch(rules('all', { kind: 'channel', channel: 'sms', state: 'reachable-and-consented' }));
    expect(verdict(texting, { customer: customer({}, everywhere) })[0]).toBe('yes');
    expect(verdict(texting, { customer: customer({}, { sms: { address: '+15550100' } }) })).toEqual(['no', 'rules-not-matched', 'is not reachable and consented on sms']);
    const opened = branch(rules('all', { kind: 'message', nodeId: 'welcome', activity: 'opened' }), [['welcome', 'send', email()]]);
    expect(verdict(opened, { messageActivity: [{ nodeId: 'welcome', activity: 'opened' }] })).toEqual(['yes', 'rules-matched', 'message of welcome was opened']);
    expect(verdict(opened, { messageActivity: [{ nodeId: 'welcome', activity: 'delivered' }] })[0]).toBe('no');
  });

  describe('splits', () => {
    const abc = () =>
      journey({
        nodes: [
          ['ab', 'split', arms({ id: 'a', label: 'Control', weight: 20 }, { id: 'b', label: 'Variant B', weight: 30 }, { id: 'c', weight: 50 })],
          ['xa', 'exit', {}],
          ['xb', 'exit', {}],
          ['xc', 'exit', {}],
        ],
        edges: [
          ['trigger', 'ab'],
          ['ab', 'xa', 'a'],
          ['ab', 'xb', 'b'],
          ['ab', 'xc', 'c'],
        ],
      });
    const armOf = (machine: JourneyMachine, id: string, at = now, progressId = 'p1') =>
      stepAt(enter(machine, at, { customer: customer({}, undefined, id) }, event('start', at), progressId).effects, 'ab');

    it('S12 the arm is bucketOf(journeyId:nodeId:customerId) against cumulative weights', () => {
      const machine = abc();
      const ids = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
      const expected = ids.map((id) => {
        const bucket = bucketOf(`j:ab:${id}`);
        return bucket < 20 ? 'a' : bucket < 50 ? 'b' : 'c';
      });
      expect(ids.map((id) => armOf(machine, id).handle)).toEqual(expected);
      expect(new Set(expected)).toEqual(new Set(['a', 'b', 'c']));
    });

    it('S12 a customer gets the same arm in every run, at any time, and the step names it', () => {
      const machine = abc();
      const id = customerIdInBucket(machine, 'ab', 20, 50);
      expect(armOf(machine, id)).toMatchObject({ handle: 'b', reason: 'split-assigned', detail: 'arm Variant B (30%)' });
      expect(armOf(machine, id, '2027-06-01T00:00:00Z', 'p2').handle).toBe('b');
    });

    it('S12 an arm of weight zero is never assigned', () => {
      const machine = journey({
        nodes: [
          ['ab', 'split', arms({ id: 'a', weight: 0 }, { id: 'b', weight: 100 })],
          ['x', 'exit', {}],
        ],
        edges: [
          ['trigger', 'ab'],
          ['ab', 'x', 'a'],
          ['ab', 'x', 'b'],
        ],
      });
      expect(new Set(Array.from({ length: 100 }, (_, i) => armOf(machine, `u${i}`).handle))).toEqual(new Set(['b']));
    });

    const holdout = (settings?: object, before = 1) =>
      journey({
        settings,
        nodes: [
          ['day', 'wait', wait(before)],
          ['ab', 'split', arms({ id: 'a', weight: 90 }, { id: 'h', label: 'Control', weight: 10, holdout: true })],
          ['hello', 'send', email()],
        ],
        edges: [...path('trigger', 'day', 'ab'), ['ab', 'hello', 'a']],
      });
    const heldOut = (machine: JourneyMachine) => {
      const id = customerIdInBucket(machine, 'ab', 90, 100);
      return fire(machine, enter(machine, now, { customer: customer({}, undefined, id) }).progress);
    };

    it('S13 a holdout arm parks the run until the goal window closes, counted from entry, then ends it with holdout', () => {
      const machine = holdout(goal());
      const held = heldOut(machine);
      expect(stepAt(held.effects, 'ab')).toMatchObject({ handle: 'h', reason: 'holdout', detail: 'held out in Control (10%)' });
      expect(held.progress.position).toEqual({ nodeId: 'ab', waiting: 'holdout', until: '2026-12-02T10:00:00.000Z', timerId: 'p1:ab:1:holdout' });
      expect(messages(held.effects)).toEqual([]);
      const ended = fire(machine, held.progress);
      expect([ended.progress.status, ended.progress.endReason]).toEqual(['completed', 'holdout']);
      expect(ofType(ended.effects, 'exit')).toEqual([{ type: 'exit', reason: 'holdout', nodeId: 'ab', at: '2026-12-02T10:00:00.000Z' }]);
    });

    it('S13 conversions of the control group are counted while it is held', () => {
      const machine = holdout(goal());
      const r = track(machine, heldOut(machine).progress, event('purchase', '2026-11-28T10:00:00Z'));
      expect(ofType(r.effects, 'convert')).toEqual([{ type: 'convert', event: 'purchase', at: '2026-11-28T10:00:00.000Z' }]);
      expect(r.progress.status).toBe('converted');
    });

    it('S13 without a goal, or once the goal window has closed, a holdout ends the run at once', () => {
      for (const machine of [holdout(), holdout({ goal: { event: 'purchase', window: { amount: 1, unit: 'days' } } }, 2)]) {
        const r = heldOut(machine);
        expect([r.progress.status, r.progress.endReason, r.progress.position]).toEqual(['completed', 'holdout', null]);
        expect(ofType(r.effects, 'schedule-timer')).toEqual([]);
      }
    });

    it('S13 the treated arm goes on as usual', () => {
      const machine = holdout(goal());
      const id = customerIdInBucket(machine, 'ab', 0, 90);
      const r = fire(machine, enter(machine, now, { customer: customer({}, undefined, id) }).progress);
      expect(steps(r.effects).slice(1)).toEqual([
        ['ab', 'a', 'split-assigned'],
        ['hello', 'next', 'sent'],
      ]);
    });
  });

  it('S14 update-profile renders and converts each value, emits one effect, and later states see the new traits', () => {
    const machine = journey({
      nodes: [
        [
          'up',
          'update-profile',
          setTraits(
            { op: 'set', trait: 'score', value: '{{ customer.score | plus: 5 }}', as: 'number' },
            { op: 'set', trait: 'vip', value: 'true', as: 'boolean' },
            { op: 'set', trait: 'renews_at', value: '{{ event.renews_at }}', as: 'date' },
            { op: 'set', trait: 'birthday', value: '1990-05-17', as: 'date' },
            { op: 'set', trait: 'nickname', value: '{{ customer.first_name | downcase }}' },
            { op: 'unset', trait: 'legacy' },
          ),
        ],
        ['c', 'condition', rules('all', { kind: 'trait', path: 'vip', operator: 'equals', value: true }, { kind: 'trait', path: 'legacy', operator: 'not-exists' })],
        ['hello', 'send', email('{{ customer.nickname }} has {{ customer.score }}')],
        ['x', 'exit', {}],
      ],
      edges: [...path('trigger', 'up', 'c'), ['c', 'hello', 'yes'], ['c', 'x', 'no'], ['hello', 'x']],
    });
    const r = enter(machine, now, { customer: customer({ score: 10, legacy: 1, first_name: 'Ada' }) }, event('start', now, { renews_at: '2026-12-01T16:00:00+01:00' }));
    expect(ofType(r.effects, 'update-profile')).toEqual([
      { type: 'update-profile', nodeId: 'up', set: { score: 15, vip: true, renews_at: '2026-12-01T15:00:00.000Z', birthday: '1990-05-17', nickname: 'ada' }, unset: ['legacy'] },
    ]);
    expect(stepAt(r.effects, 'up')).toMatchObject({
      handle: 'next',
      reason: 'profile-updated',
      detail: 'score = 15, vip = true, renews_at = "2026-12-01T15:00:00.000Z", birthday = "1990-05-17", nickname = "ada", unset legacy',
    });
    expect(stepAt(r.effects, 'c').handle).toBe('yes');
    expect(messages(r.effects)[0]!.content.subject).toBe('ada has 15');
  });

  it('S14 a date conversion accepts epoch seconds and milliseconds, the forms S4 reads as dates', () => {
    const machine = linear([
      ['up', 'update-profile', setTraits({ op: 'set', trait: 'period_end', value: '{{ event.period_end }}', as: 'date' }, { op: 'set', trait: 'paid_at', value: '{{ event.paid_at }}', as: 'date' })],
    ]);
    const r = enter(machine, now, {}, event('start', now, { period_end: 1796137200, paid_at: 1796137200000 }));
    expect(ofType(r.effects, 'update-profile')[0]!.set).toEqual({ period_end: '2026-12-01T15:00:00.000Z', paid_at: '2026-12-01T15:00:00.000Z' });
  });

  it('S14 a value that fails to render or convert is left out and the step says which and why', () => {
    const machine = linear([
      [
        'up',
        'update-profile',
        setTraits(
          { op: 'set', trait: 'a', value: '{{ customer.nope }}' },
          { op: 'set', trait: 'b', value: 'abc', as: 'number' },
          { op: 'set', trait: 'c', value: 'yes', as: 'boolean' },
          { op: 'set', trait: 'd', value: 'soon', as: 'date' },
          { op: 'set', trait: 'ok', value: '7', as: 'number' },
        ),
      ],
      ['hello', 'send', email('{{ customer.ok }}')],
    ]);
    const r = enter(machine, now);
    expect(ofType(r.effects, 'update-profile')).toEqual([{ type: 'update-profile', nodeId: 'up', set: { ok: 7 }, unset: [] }]);
    const step = stepAt(r.effects, 'up');
    expect([step.handle, step.reason]).toEqual(['next', 'skipped:template-error']);
    for (const part of ['a: undefined variable: customer.nope', 'b: "abc" is not a number', 'c: "yes" is not a boolean', 'd: "soon" is not a date']) expect(step.detail).toContain(part);
    expect(messages(r.effects)[0]!.content.subject).toBe('7');
  });

  it('S15 an exit node records exit-node and ends the run as completed', () => {
    const r = enter(linear([['x', 'exit', { reason: 'not for this market' }]]), now);
    expect(stepAt(r.effects, 'x')).toMatchObject({ handle: null, reason: 'exit-node', detail: 'not for this market' });
    expect([r.progress.status, r.progress.endReason, r.progress.endedAt, r.progress.position]).toEqual(['completed', 'exit-node', '2026-11-25T10:00:00.000Z', null]);
    expect(ofType(r.effects, 'exit')).toEqual([{ type: 'exit', reason: 'exit-node', nodeId: 'x', at: '2026-11-25T10:00:00.000Z' }]);
    expect(stepAt(enter(linear([['x', 'exit', {}]]), now).effects, 'x').detail).toBe('reached exit');
  });

  it('S16 a state whose next is unconnected ends the run as completed', () => {
    for (const last of [
      ['hello', 'send', email()],
      ['up', 'update-profile', setTraits({ op: 'unset', trait: 'x' })],
    ] as NodeSpec[]) {
      const r = enter(linear([last]), now);
      expect([r.progress.status, r.progress.endReason, r.progress.position]).toEqual(['completed', 'completed', null]);
      expect(ofType(r.effects, 'exit')).toEqual([{ type: 'exit', reason: 'completed', nodeId: null, at: '2026-11-25T10:00:00.000Z' }]);
    }
    const waited = linear([['day', 'wait', wait(1)]]);
    const done = fire(waited, enter(waited, now).progress);
    expect([done.progress.status, done.progress.endReason, done.progress.endedAt]).toEqual(['completed', 'completed', '2026-11-26T10:00:00.000Z']);
  });
});
