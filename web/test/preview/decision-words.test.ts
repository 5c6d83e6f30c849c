import { describe, expect, it } from 'vitest';
import { evaluateRules, type Rule } from '@waymark/shared';
import { decisionText, decisionWords } from '../../src/editor/preview/decision-words.ts';

const help = { nameOf: (id: string) => ({ 'welcome-email': 'Welcome email' })[id] ?? id, time: (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ') };
const env = {
  now: Date.parse('2026-11-25T10:00:00Z'),
  customer: { id: 'c', traits: { plan: 'free', seats: 3, renews_at: '2026-12-01T00:00:00Z' }, channels: { email: { address: 'a@example.com' } } },
  trigger: { name: 'Order Completed', properties: { total: 40 }, timestamp: '2026-11-25T10:00:00Z' },
  events: [],
  messageActivity: [],
};
/** The engine's own sentence for a rule, so these tests follow its wording. */
const detail = (rule: Rule) => evaluateRules(rule, env).detail;

describe('decision words', () => {
  it('a comparison reads "plan = free; rule wants pro"', () => {
    expect(decisionText(detail({ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }), help)).toBe('plan = free; rule wants pro');
    expect(decisionText(detail({ kind: 'trait', path: 'seats', operator: 'greater-or-equal', value: 5 }), help)).toBe('seats = 3; rule wants at least 5');
    expect(decisionText(detail({ kind: 'trait', path: 'city', operator: 'exists' }), help)).toBe('city is not set; rule wants it set');
    expect(decisionText(detail({ kind: 'trait', path: 'plan', operator: 'in', value: ['pro', 'team'] }), help)).toBe('plan = free; rule wants one of pro or team');
    expect(decisionText(detail({ kind: 'event-property', path: 'total', operator: 'greater-than', value: 50 }), help)).toBe('event total = 40; rule wants more than 50');
    expect(decisionText(detail({ kind: 'trait', path: 'renews_at', operator: 'before', value: { amount: 2, unit: 'days', direction: 'from-now' } }), help)).toBe(
      'renews_at = 2026-12-01 00:00; rule wants before 2 days from now',
    );
  });

  it('a group lists the rules that decided, joined as the group joins them', () => {
    const all: Rule = {
      kind: 'group',
      match: 'all',
      rules: [
        { kind: 'trait', path: 'plan', operator: 'equals', value: 'free' },
        { kind: 'trait', path: 'seats', operator: 'less-than', value: 10 },
      ],
    };
    expect(decisionWords(detail(all), help)).toEqual({ parts: ['plan = free; rule wants free', 'seats = 3; rule wants less than 10'], join: 'and' });
    const any: Rule = {
      kind: 'group',
      match: 'any',
      rules: [
        { kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' },
        { kind: 'trait', path: 'vip', operator: 'equals', value: true },
      ],
    };
    expect(decisionText(detail(any), help)).toBe('plan = free; rule wants pro or vip is not set; rule wants true');
  });

  it('events counted, channels and messages read as sentences, with the step’s name', () => {
    expect(decisionText(detail({ kind: 'event-count', event: 'Order Completed', comparison: 'at-least', count: 1, within: { amount: 2, unit: 'days' } }), help)).toBe(
      'Order Completed 0 times in the last 2 days; rule wants at least 1',
    );
    expect(decisionText(detail({ kind: 'channel', channel: 'sms', state: 'reachable-and-consented' }), help)).toBe('cannot get SMS (no address or no consent)');
    const either: Rule = {
      kind: 'group',
      match: 'any',
      rules: [
        { kind: 'channel', channel: 'email', state: 'reachable-and-consented' },
        { kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' },
      ],
    };
    expect(decisionWords(detail(either), help)).toEqual({ parts: ['can get email (has an address and consent)'], join: null });
    const neither: Rule = {
      ...either,
      rules: [
        { kind: 'channel', channel: 'sms', state: 'reachable-and-consented' },
        { kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' },
      ],
    };
    expect(decisionText(detail(neither), help)).toBe('cannot get SMS (no address or no consent) or plan = free; rule wants pro');
    expect(decisionText(detail({ kind: 'group', match: 'all', rules: [{ kind: 'message', nodeId: 'welcome-email', activity: 'opened' }] }), help)).toBe('Welcome email was not opened');
  });

  it('keeps quoted "and" inside a value, and leaves a sentence it does not know as it is', () => {
    expect(decisionText('(company equals "Stone and Sons": no (was "Acme") and plan equals "pro": yes (was "pro"))', help)).toBe(
      'company = Acme; rule wants Stone and Sons · plan = pro; rule wants pro',
    );
    expect(decisionText('something new at 2026-11-25T10:00:00.000Z', help)).toBe('something new at 2026-11-25 10:00');
  });
});
