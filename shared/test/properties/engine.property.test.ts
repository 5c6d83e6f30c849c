import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, compileJourney, eventsHeard, startProgress, timerReadsCustomer, validateJourney, type EngineInput, type Progress } from '@waymark/shared';
import { randomCustomer, randomEvents, startAt, validJourney } from './arbitraries.ts';

describe('properties', () => {
  it('property: random valid documents validate clean and compile', () => {
    fc.assert(
      fc.property(validJourney, (doc) => {
        expect(validateJourney(doc)).toEqual([]);
        const machine = compileJourney(doc);
        expect(Object.keys(machine.states)).toHaveLength(doc.graph.nodes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('property: runs terminate within the step cap, never send twice with one key, never get stuck, and ignore input once ended', () => {
    fc.assert(
      fc.property(validJourney, randomCustomer, randomEvents, (doc, customer, events) => {
        const machine = compileJourney(doc);
        const trigger = { name: 'start', properties: { cartId: 'cart-1' }, timestamp: startAt };
        let progress: Progress = startProgress({ id: 'run', machine, customerId: customer.id, trigger, key: null, now: startAt });
        const keys = new Set<string>();
        const pending = [...events].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
        const feed = (now: string, input: EngineInput) => {
          const result = advance(machine, progress, input, { now, customer, events, frequencyCap: { email: 2, sms: 1 } });
          // An event the machine does not hear leaves the run as it was (the runtime does not feed it).
          if (input.type === 'event' && !eventsHeard(machine).has(input.event.name)) expect(result).toEqual({ progress, effects: [], ignored: 'not-waiting' });
          for (const effect of result.effects) {
            if (effect.type !== 'send-message') continue;
            expect(keys.has(effect.idempotencyKey)).toBe(false);
            keys.add(effect.idempotencyKey);
          }
          progress = result.progress;
          expect(progress.endReason).not.toBe('step-cap');
          if (progress.status === 'active') {
            expect(progress.position?.timerId).toBeTruthy();
            expect(Date.parse(progress.position!.until)).toBeGreaterThanOrEqual(Date.parse(now));
          } else {
            expect(progress.position).toBeNull();
          }
        };
        feed(startAt, { type: 'enter' });
        for (let i = 0; i < 200 && progress.status === 'active'; i++) {
          const unheard = { id: `unheard-${i}`, name: 'Never Heard Of', properties: {}, timestamp: progress.position!.until };
          expect(advance(machine, progress, { type: 'event', event: unheard }, { now: unheard.timestamp, customer, events })).toEqual({ progress, effects: [], ignored: 'not-waiting' });
          const next = pending[0];
          const timerAt = progress.position!.until;
          if (next && next.timestamp <= timerAt) feed(pending.shift()!.timestamp, { type: 'event', event: next });
          else feed(timerAt, { type: 'timer-fired', timerId: progress.position!.timerId });
        }
        if (progress.status !== 'active') {
          const after = advance(machine, progress, { type: 'timer-fired', timerId: 'any' }, { now: '2027-01-01T00:00:00Z', customer });
          expect(after).toEqual({ progress, effects: [], ignored: 'not-active' });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: a timer that timerReadsCustomer says reads no profile fires the same for any profile', () => {
    let checked = 0;
    fc.assert(
      fc.property(validJourney, randomCustomer, (doc, customer) => {
        const machine = compileJourney(doc);
        const trigger = { name: 'start', properties: { cartId: 'cart-1' }, timestamp: startAt };
        let progress: Progress = startProgress({ id: 'run', machine, customerId: customer.id, trigger, key: null, now: startAt });
        progress = advance(machine, progress, { type: 'enter' }, { now: startAt, customer }).progress;
        for (let i = 0; i < 50 && progress.status === 'active'; i++) {
          const position = progress.position!;
          const input: EngineInput = { type: 'timer-fired', timerId: position.timerId };
          const ctx = { now: position.until, frequencyCap: { email: 2, sms: 1 } };
          const real = advance(machine, progress, input, { ...ctx, customer });
          if (!timerReadsCustomer(machine, position)) {
            checked++;
            // Nothing of the profile: no traits, no addresses, no time zone, no consent.
            expect(advance(machine, progress, input, { ...ctx, customer: { id: customer.id, traits: {}, channels: {} } })).toEqual(real);
          }
          progress = real.progress;
        }
      }),
      { numRuns: 300 },
    );
    expect(checked).toBeGreaterThan(0);
  });
});
