import { describe, expect, it } from 'vitest';
import { advance, decideEntry, matchesEntryRules, matchesEventEntry, type PastRun } from '@waymark/shared';
import { customer, email, enter, event, fire, journey, messages, ofType, send, steps, traitIs, wait } from './journeys.ts';

const linear = () =>
  journey({
    nodes: [
      ['hello', 'send', email()],
      ['pause', 'wait', wait(1)],
      ['bye', 'send', email('Bye')],
    ],
    edges: [
      ['trigger', 'hello'],
      ['hello', 'pause'],
      ['pause', 'bye'],
    ],
  });

describe('general', () => {
  it('G1 the same arguments give deep-equal results and the inputs are not mutated', () => {
    const machine = linear();
    const frozenMachine = structuredClone(machine);
    const ctx = { now: '2026-11-25T10:00:00Z', customer: customer({ first_name: 'Ada' }) };
    const frozenCtx = structuredClone(ctx);
    const a = enter(machine, ctx.now, ctx);
    const before = structuredClone(a.progress);
    const b = enter(machine, ctx.now, ctx);
    expect(a).toEqual(b);
    const next = fire(machine, a.progress, { customer: ctx.customer });
    expect(fire(machine, a.progress, { customer: ctx.customer })).toEqual(next);
    expect(a.progress).toEqual(before);
    expect(machine).toEqual(frozenMachine);
    expect(ctx).toEqual(frozenCtx);
  });

  it('G2 effects are plain data that survive JSON', () => {
    const { effects } = enter(linear(), '2026-11-25T10:00:00Z');
    expect(JSON.parse(JSON.stringify(effects))).toEqual(effects);
    expect(new Set(effects.map((e) => e.type))).toEqual(new Set(['record-step', 'send-message', 'schedule-timer']));
  });

  it('G3 an ended run ignores every input', () => {
    const machine = linear();
    const done = fire(machine, enter(machine, '2026-11-25T10:00:00Z').progress);
    expect(done.progress.status).toBe('completed');
    for (const input of [{ type: 'enter' }, { type: 'timer-fired', timerId: 'x' }, { type: 'profile-changed' }] as const) {
      const r = advance(machine, done.progress, input, { now: '2026-11-27T00:00:00Z', customer: customer() });
      expect(r).toEqual({ progress: done.progress, effects: [], ignored: 'not-active' });
    }
  });

  it('G4 an input that does not apply returns the very same progress with a reason', () => {
    const machine = linear();
    const parked = enter(machine, '2026-11-25T10:00:00Z').progress;
    const r = send(machine, parked, event('unrelated', '2026-11-25T11:00:00Z'));
    expect(r.progress).toBe(parked);
    expect(r).toMatchObject({ effects: [], ignored: 'not-waiting' });
  });

  it('G5 an active run is always parked with one timer due now or later', () => {
    const machine = linear();
    const r = enter(machine, '2026-11-25T10:00:00Z');
    expect(r.progress.status).toBe('active');
    expect(r.progress.position).toMatchObject({ nodeId: 'pause', waiting: 'timer', until: '2026-11-26T10:00:00.000Z' });
    expect(ofType(r.effects, 'schedule-timer')).toEqual([
      { type: 'schedule-timer', timerId: r.progress.position!.timerId, nodeId: 'pause', at: '2026-11-26T10:00:00.000Z', purpose: 'timer' },
    ]);
  });

  it('G6 every state passed records one step with handle and a sentence', () => {
    const machine = linear();
    const first = enter(machine, '2026-11-25T10:00:00Z');
    const second = fire(machine, first.progress);
    expect([...steps(first.effects), ...steps(second.effects)]).toEqual([
      ['trigger', 'next', 'entered'],
      ['hello', 'next', 'sent'],
      ['pause', null, 'waiting'],
      ['pause', 'next', 'wait-elapsed'],
      ['bye', 'next', 'sent'],
    ]);
    for (const step of ofType([...first.effects, ...second.effects], 'record-step')) expect(step.detail.length).toBeGreaterThan(3);
  });
});

describe('entering', () => {
  const filtered = () =>
    journey({
      entry: { kind: 'event', event: 'cart_abandoned', filter: [{ path: 'total', operator: 'greater-or-equal', value: 20 }] },
      nodes: [['hello', 'send', email()]],
      edges: [['trigger', 'hello']],
    });

  it('E1 an event trigger matches on name and filter', () => {
    const machine = filtered();
    expect(matchesEventEntry(machine, event('cart_abandoned', '2026-11-25T10:00:00Z', { total: 25 }), customer())).toBe(true);
    expect(matchesEventEntry(machine, event('cart_abandoned', '2026-11-25T10:00:00Z', { total: '19.99' }), customer())).toBe(false);
    expect(matchesEventEntry(machine, event('cart_updated', '2026-11-25T10:00:00Z', { total: 25 }), customer())).toBe(false);
  });

  it('E2 segment and schedule entries enroll customers matching the rules; a schedule without rules enrolls everyone', () => {
    const segment = journey({ entry: { kind: 'segment', ...traitIs('plan', 'pro') }, nodes: [['hello', 'send', email()]], edges: [['trigger', 'hello']] });
    expect(matchesEntryRules(segment, customer({ plan: 'pro' }), '2026-11-25T10:00:00Z')).toBe(true);
    expect(matchesEntryRules(segment, customer({ plan: 'free' }), '2026-11-25T10:00:00Z')).toBe(false);
    const everyone = journey({ entry: { kind: 'schedule', schedule: { kind: 'once', date: '2026-12-01', time: '09:00' } }, nodes: [['hello', 'send', email()]], edges: [['trigger', 'hello']] });
    expect(matchesEntryRules(everyone, customer(), '2026-12-01T09:00:00Z')).toBe(true);
  });

  it('E3 enter starts at the trigger once; a second enter is ignored', () => {
    const machine = linear();
    const r = enter(machine, '2026-11-25T10:00:00Z');
    expect(steps(r.effects)[0]).toEqual(['trigger', 'next', 'entered']);
    expect(advance(machine, r.progress, { type: 'enter' }, { now: '2026-11-25T10:01:00Z', customer: customer() })).toMatchObject({ effects: [], ignored: 'already-entered' });
  });
});

describe('re-entry and concurrency', () => {
  const withSettings = (settings: object) => journey({ settings, nodes: [['hello', 'send', email()]], edges: [['trigger', 'hello']] });
  const run = (status: PastRun['status'], enteredAt: string, key: string | null = null): PastRun => ({ status, enteredAt, key });
  const now = '2026-11-25T10:00:00Z';

  it('R1 a customer with an active run is not entered again, whatever the re-entry setting', () => {
    expect(decideEntry(withSettings({ reEntry: { mode: 'always' } }), [run('active', '2026-11-20T00:00:00Z')], null, now)).toEqual({ enter: false, reason: 'already in this journey' });
  });

  it('R2 never: one run per customer, ever', () => {
    const machine = withSettings({ reEntry: { mode: 'never' } });
    expect(decideEntry(machine, [], null, now)).toEqual({ enter: true, key: null });
    expect(decideEntry(machine, [run('completed', '2025-01-01T00:00:00Z')], null, now).enter).toBe(false);
  });

  it('R3 always: again as soon as the earlier run ended', () => {
    expect(decideEntry(withSettings({ reEntry: { mode: 'always' } }), [run('converted', '2026-11-25T09:59:00Z')], null, now)).toEqual({ enter: true, key: null });
  });

  it('R4 cooldown counts from the previous entry', () => {
    const machine = withSettings({ reEntry: { mode: 'after', cooldown: { amount: 7, unit: 'days' } } });
    expect(decideEntry(machine, [run('completed', '2026-11-19T10:00:00Z')], null, now)).toEqual({ enter: false, reason: 're-entry cooldown until 2026-11-26T10:00:00.000Z' });
    expect(decideEntry(machine, [run('completed', '2026-11-18T10:00:00Z')], null, now)).toEqual({ enter: true, key: null });
  });

  it('R5 per-key runs: one run per cartId, re-entry judged per key, no key no entry', () => {
    const machine = withSettings({ reEntry: { mode: 'never' }, concurrency: { mode: 'per-key', property: 'cartId' } });
    const cart = (cartId?: string) => event('start', now, cartId ? { cartId } : {});
    const past = [run('active', '2026-11-25T09:00:00Z', 'c1'), run('completed', '2026-11-20T09:00:00Z', 'c2')];
    expect(decideEntry(machine, past, cart('c3'), now)).toEqual({ enter: true, key: 'c3' });
    expect(decideEntry(machine, past, cart('c1'), now).enter).toBe(false);
    expect(decideEntry(machine, past, cart('c2'), now).enter).toBe(false);
    expect(decideEntry(machine, past, cart(), now)).toEqual({ enter: false, reason: 'the trigger event has no cartId' });
  });
});

describe('messages in general', () => {
  it('M1 a send renders every template and carries address, channel and key', () => {
    const machine = journey({ nodes: [['hello', 'send', email('Hi {{ customer.first_name }} from {{ journey.name }}')]], edges: [['trigger', 'hello']] });
    const r = enter(machine, '2026-11-25T10:00:00Z', { customer: customer({ first_name: 'Ada' }) });
    expect(messages(r.effects)).toEqual([
      {
        type: 'send-message',
        idempotencyKey: 'p1:hello:1',
        nodeId: 'hello',
        channel: 'email',
        to: 'c@example.com',
        content: { subject: 'Hi Ada from Test journey', html: '<p>Hi</p>' },
        transactional: false,
      },
    ]);
  });
});
