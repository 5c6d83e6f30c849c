import { describe, expect, it } from 'vitest';
import { checkEventEntry, compileJourney, decideEntry, type PastRun } from '@waymark/shared';
import { email, enter, event, fire, linear, stepAt, wait } from './journeys.ts';

const now = '2026-11-25T10:00:00Z';
const withSettings = (settings: object) => linear([['hello', 'send', email()]], { settings });
const run = (status: PastRun['status'], enteredAt: string, key: string | null = null): PastRun => ({ status, enteredAt, key });
const never = { reEntry: { mode: 'never' } };
const always = { reEntry: { mode: 'always' } };
const weekly = { reEntry: { mode: 'after', cooldown: { amount: 7, unit: 'days' } } };
const perCart = { concurrency: { mode: 'per-key', property: 'cartId' } };
const cart = (properties: Record<string, unknown>) => event('cart_abandoned', now, properties);

describe('re-entry and concurrency', () => {
  it.each([
    ['never', never],
    ['always', always],
    ['after a cooldown', weekly],
  ])('R1 with re-entry %s, a customer with an active run is not entered again', (_, settings) => {
    const active = [run('completed', '2026-01-01T00:00:00Z'), run('active', '2026-10-01T00:00:00Z')];
    expect(decideEntry(withSettings(settings), active, null, now)).toEqual({ enter: false, code: 'already-in-journey', reason: 'already in this journey' });
  });

  it('R1 a first-time customer enters', () => {
    expect(decideEntry(withSettings(never), [], null, now)).toEqual({ enter: true, key: null });
  });

  it.each(['completed', 'converted', 'exited'] as const)('R2 never: a customer whose earlier run %s is never entered again, years later', (status) => {
    const past = [run(status, '2020-01-01T00:00:00Z')];
    expect(decideEntry(withSettings(never), past, null, '2030-01-01T00:00:00Z')).toEqual({ enter: false, code: 're-entry-never', reason: 'has been in this journey before' });
  });

  it('R2 never is the default re-entry setting', () => {
    expect(decideEntry(withSettings({}), [run('completed', '2020-01-01T00:00:00Z')], null, now).enter).toBe(false);
  });

  it.each(['completed', 'converted', 'exited'] as const)('R3 always: a customer whose earlier run %s may enter again at once', (status) => {
    const past = [run(status, '2026-11-25T09:00:00Z'), run('completed', '2026-11-24T09:00:00Z')];
    expect(decideEntry(withSettings(always), past, null, now)).toEqual({ enter: true, key: null });
  });

  it('R4 cooldown: no new run until the cooldown has passed since the previous run entered', () => {
    const past = [run('completed', '2026-11-18T10:00:00Z')];
    expect(decideEntry(withSettings(weekly), past, null, '2026-11-25T09:59:59Z')).toEqual({ enter: false, code: 're-entry-cooldown', reason: 're-entry cooldown until 2026-11-25T10:00:00.000Z' });
    expect(decideEntry(withSettings(weekly), past, null, '2026-11-25T10:00:00Z')).toEqual({ enter: true, key: null });
  });

  it('R4 the cooldown counts from the latest entry, not from when a run ended or from the first run', () => {
    // Entered 8 days ago but only just ended: free. Entered twice: the later entry counts.
    expect(decideEntry(withSettings(weekly), [run('exited', '2026-11-17T10:00:00Z')], null, now).enter).toBe(true);
    const twice = [run('completed', '2026-11-01T10:00:00Z'), run('converted', '2026-11-20T10:00:00Z'), run('completed', '2026-11-05T10:00:00Z')];
    expect(decideEntry(withSettings(weekly), twice, null, now)).toEqual({ enter: false, code: 're-entry-cooldown', reason: 're-entry cooldown until 2026-11-27T10:00:00.000Z' });
  });

  it('R4 a cooldown in hours is exact elapsed time', () => {
    const daily = withSettings({ reEntry: { mode: 'after', cooldown: { amount: 36, unit: 'hours' } } });
    const past = [run('completed', '2026-11-24T00:00:00Z')];
    expect(decideEntry(daily, past, null, '2026-11-25T11:59:00Z').enter).toBe(false);
    expect(decideEntry(daily, past, null, '2026-11-25T12:00:00Z').enter).toBe(true);
  });

  describe('R5 per-key runs', () => {
    it('R5 each cartId gets its own run while another cart is active', () => {
      const machine = withSettings({ ...never, ...perCart });
      const past = [run('active', '2026-11-25T09:00:00Z', 'cart-1')];
      expect(decideEntry(machine, past, cart({ cartId: 'cart-2' }), now)).toEqual({ enter: true, key: 'cart-2' });
      expect(decideEntry(machine, past, cart({ cartId: 'cart-1' }), now)).toEqual({ enter: false, code: 'already-in-journey', reason: 'already in this journey' });
    });

    it('R5 re-entry is judged among runs of the same key', () => {
      const past = [run('completed', '2026-11-17T10:00:00Z', 'cart-1'), run('completed', '2026-11-24T10:00:00Z', 'cart-2')];
      expect(decideEntry(withSettings({ ...never, ...perCart }), past, cart({ cartId: 'cart-1' }), now).enter).toBe(false);
      expect(decideEntry(withSettings({ ...never, ...perCart }), past, cart({ cartId: 'cart-3' }), now)).toEqual({ enter: true, key: 'cart-3' });
      expect(decideEntry(withSettings({ ...weekly, ...perCart }), past, cart({ cartId: 'cart-1' }), now)).toEqual({ enter: true, key: 'cart-1' });
      expect(decideEntry(withSettings({ ...weekly, ...perCart }), past, cart({ cartId: 'cart-2' }), now)).toEqual({
        enter: false,
        code: 're-entry-cooldown',
        reason: 're-entry cooldown until 2026-12-01T10:00:00.000Z',
      });
    });

    it('R5 a trigger event without the key property, or with an empty one, does not enter', () => {
      const machine = withSettings({ ...always, ...perCart });
      for (const properties of [{}, { cartId: null }, { cartId: '' }, { cart_id: 'cart-1' }]) {
        expect(decideEntry(machine, [], cart(properties), now)).toEqual({ enter: false, code: 'no-key', reason: 'the trigger event has no cartId' });
      }
      expect(decideEntry(machine, [], null, now).enter).toBe(false);
    });

    it('R5 a numeric key is the same key as its string form', () => {
      const machine = withSettings({ ...never, ...perCart });
      expect(decideEntry(machine, [], cart({ cartId: 42 }), now)).toEqual({ enter: true, key: '42' });
      expect(decideEntry(machine, [run('completed', '2026-11-01T00:00:00Z', '42')], cart({ cartId: 42 }), now).enter).toBe(false);
    });

    it('R5 the key may be a nested property', () => {
      const machine = withSettings({ ...always, concurrency: { mode: 'per-key', property: 'cart.id' } });
      expect(decideEntry(machine, [run('active', '2026-11-25T09:00:00Z', 'A')], cart({ cart: { id: 'B' } }), now)).toEqual({ enter: true, key: 'B' });
      expect(decideEntry(machine, [run('active', '2026-11-25T09:00:00Z', 'A')], cart({ cart: { id: 'A' } }), now).enter).toBe(false);
    });
  });
});

describe('refusals and pause', () => {
  it('R6 an event that is the trigger but fails its filter is refused as filtered, with the rule that failed', () => {
    const machine = compileJourney({
      schemaVersion: 1,
      id: 'big-carts',
      name: 'Big carts',
      graph: {
        nodes: [
          { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'Cart', filter: [{ path: 'total', operator: 'greater-than', value: 100 }] } } },
          { id: 'done', type: 'exit', position: { x: 0, y: 100 }, data: {} },
        ],
        edges: [{ id: 'a', source: 'start', sourceHandle: 'next', target: 'done' }],
      },
    });
    const at = '2026-11-25T10:00:00Z';
    const profile = { id: 'c', traits: {}, channels: {} };
    expect(checkEventEntry(machine, { id: '1', name: 'Cart', properties: { total: 150 }, timestamp: at }, profile)).toBe('enters');
    expect(checkEventEntry(machine, { id: '2', name: 'Other', properties: {}, timestamp: at }, profile)).toBe('other-event');
    const filtered = checkEventEntry(machine, { id: '3', name: 'Cart', properties: { total: 40 }, timestamp: at }, profile);
    expect(typeof filtered === 'object' && filtered.filtered).toMatch(/total/);
  });

  it('P2 with skipSends, the sends an input reaches are skipped as paused and the run goes on past them', () => {
    const machine = linear([
      ['pause', 'wait', wait(1)],
      ['m', 'send', email()],
    ]);
    const parked = enter(machine, '2026-11-25T10:00:00Z').progress;
    const late = fire(machine, parked, { skipSends: 'the journey was paused when this was due' });
    expect(stepAt(late.effects, 'm')).toMatchObject({ handle: 'next', reason: 'skipped:paused', detail: 'the journey was paused when this was due' });
    expect(late.effects.some((e) => e.type === 'send-message')).toBe(false);
    expect(late.progress.status).toBe('completed');
    expect(fire(machine, parked).effects.some((e) => e.type === 'send-message')).toBe(true);
  });
});
