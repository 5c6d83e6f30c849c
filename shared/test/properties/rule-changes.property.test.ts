import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRules, matchAndNextChange, nextRuleChange, type PropertyFilter, type Rule, type RuleEnv } from '@waymark/shared';

const hour = 3_600_000;
const now = Date.parse('2026-11-25T10:00:00Z');
const span = fc.record({ amount: fc.integer({ min: 0, max: 3 }), unit: fc.constantFrom('minutes', 'hours', 'days') });

/** Rules whose truth can move with time, and some whose truth cannot. */
const leaf: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({
    kind: fc.constant('event-count' as const),
    event: fc.constantFrom('Viewed', 'Bought'),
    comparison: fc.constantFrom('at-least' as const, 'at-most' as const, 'exactly' as const),
    count: fc.integer({ min: 0, max: 3 }),
    within: span,
    filter: fc.option(fc.constant<PropertyFilter>([{ path: 'total', operator: 'greater-than', value: 10 }]), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('event-count' as const),
    event: fc.constantFrom('Viewed', 'Bought'),
    comparison: fc.constantFrom('at-least' as const, 'at-most' as const, 'exactly' as const),
    count: fc.integer({ min: 0, max: 3 }),
    // Whole UTC days around now: 2026-11-21 … 2026-11-27.
    between: fc.tuple(fc.integer({ min: 21, max: 27 }), fc.integer({ min: 0, max: 3 })).map(([first, length]) => ({ from: `2026-11-${first}`, to: `2026-11-${Math.min(27, first + length)}` })),
  }),
  fc.record({ kind: fc.constant('trait' as const), path: fc.constant('renews_at'), operator: fc.constantFrom('within-last' as const, 'within-next' as const), value: span }),
  fc.record({
    kind: fc.constant('trait' as const),
    path: fc.constant('renews_at'),
    operator: fc.constantFrom('before' as const, 'after' as const),
    value: fc.record({ amount: fc.integer({ min: 0, max: 3 }), unit: fc.constantFrom('hours' as const, 'days' as const), direction: fc.constantFrom('ago' as const, 'from-now' as const) }),
  }),
  fc.record({ kind: fc.constant('trait' as const), path: fc.constant('plan'), operator: fc.constant('equals' as const), value: fc.constant('pro') }),
  fc.record({ kind: fc.constant('segment' as const), segmentId: fc.constant('vip'), state: fc.constantFrom('in' as const, 'not-in' as const) }),
);
const rule: fc.Arbitrary<Rule> = fc.oneof(leaf, fc.record({ kind: fc.constant('group' as const), match: fc.constantFrom('all' as const, 'any' as const), rules: fc.array(leaf, { maxLength: 3 }) }));

/** Events within four days either side of now (some dated ahead), and a date trait around now. */
const env = fc.record({
  events: fc.array(fc.record({ name: fc.constantFrom('Viewed', 'Bought'), offset: fc.integer({ min: -96 * hour, max: 4 * hour }), total: fc.integer({ min: 0, max: 20 }) }), { maxLength: 8 }),
  renews: fc.integer({ min: -96 * hour, max: 96 * hour }),
  plan: fc.constantFrom('pro', 'free'),
  member: fc.boolean(),
});

type Story = { events: { name: string; offset: number; total: number }[]; renews: number; plan: string; member: boolean };
const envAt = (e: Story, at: number): RuleEnv => ({
  now: at,
  customer: { id: 'c1', traits: { plan: e.plan, renews_at: new Date(now + e.renews).toISOString() }, channels: {}, ...(e.member ? { segments: ['vip'] } : {}) },
  trigger: null,
  events: e.events.map((x, i) => ({ id: `e${i}`, name: x.name, properties: { total: x.total }, timestamp: new Date(now + x.offset).toISOString() })),
  messageActivity: [],
});

describe('when a segment must be checked again (nextRuleChange)', () => {
  it('the verdict never changes before the instant it names; with none, not within the next week', () => {
    fc.assert(
      fc.property(rule, env, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }), (r, e, fractions) => {
        const verdict = evaluateRules(r, envAt(e, now)).matched;
        // Without the sentences (as segment upkeep asks), the same verdict.
        expect(evaluateRules(r, { ...envAt(e, now), explain: false }).matched).toBe(verdict);
        const next = nextRuleChange(r, envAt(e, now));
        const until = next ?? now + 7 * 24 * hour;
        expect(next === null || next > now).toBe(true);
        for (const f of fractions) {
          const at = now + Math.floor(f * (until - now - 1));
          expect(evaluateRules(r, envAt(e, at)).matched, `at +${(at - now) / hour} h (next ${next === null ? 'none' : `+${(next - now) / hour} h`})`).toBe(verdict);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('the verdict and the next change found in one walk (segment upkeep) are those found apart', () => {
    fc.assert(
      fc.property(rule, env, fc.integer({ min: -48 * hour, max: 48 * hour }), (r, e, shift) => {
        const at = envAt(e, now + shift);
        for (const explain of [true, false]) {
          expect(matchAndNextChange(r, { ...at, explain })).toEqual({ matched: evaluateRules(r, at).matched, next: nextRuleChange(r, at) });
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('a 7-day window: a customer who bought once six days ago leaves the "bought in the last 7 days" segment a day later', () => {
    const bought: Rule = { kind: 'event-count', event: 'Bought', comparison: 'at-least', count: 1, within: { amount: 7, unit: 'days' } };
    const e: RuleEnv = {
      ...envAt({ events: [], renews: 0, plan: 'pro', member: false }, now),
      events: [{ id: 'b', name: 'Bought', properties: {}, timestamp: new Date(now - 6 * 24 * hour).toISOString() }],
    };
    expect(evaluateRules(bought, e).matched).toBe(true);
    const next = nextRuleChange(bought, e)!;
    expect(next - now).toBe(24 * hour + 1);
    expect(evaluateRules(bought, { ...e, now: next }).matched).toBe(false);
  });
});
