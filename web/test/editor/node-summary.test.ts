import { describe, expect, it } from 'vitest';
import { examples } from '@waymark/examples';
import type { NodeType } from '@waymark/shared';
import { goalWords } from '../../src/editor/canvas/goal-words.ts';
import { diffDocuments } from '../../src/editor/diff-documents.ts';
import { branchLabel } from '../../src/editor/nodes/branch-label.ts';
import { nodeName } from '../../src/editor/nodes/node-name.ts';
import { nodeSummary } from '../../src/editor/nodes/node-summary.ts';

const condition = (...rules: Record<string, unknown>[]) => nodeSummary('condition', { rules: { kind: 'group', match: 'all', rules } });
/** No raw operator codes, JSON quotes or "×" left in a line a marketer reads. */
const codes = /at-least|at-most|greater-|less-|not-exists|within-last|reachable-and|\{"|×/;

describe('what a node says on the canvas', () => {
  const lines = Object.fromEntries(
    examples.flatMap((e) => {
      const names = Object.fromEntries(e.document.graph!.nodes.map((n) => [n.id, nodeName(n.type, n.data as Record<string, unknown>)]));
      return e.document.graph!.nodes.map((n) => [`${e.id}/${n.id}`, nodeSummary(n.type, n.data as Record<string, unknown>, (id) => names[id])]);
    }),
  );

  it('reads like the journey: triggers, waits, conditions, splits and sends, with no codes or ids', () => {
    expect(lines['abandoned-cart/cart-abandoned']).toBe('When cart_abandoned where total is more than 0');
    expect(lines['abandoned-cart/one-day']).toBe('Customers move on after 1 day');
    expect(lines['abandoned-cart/wait-for-purchase']).toBe("Wait up to 4 hours for order_completed where cartId is the trigger's cartId");
    expect(lines['abandoned-cart/email-consented']).toBe('If they can get email');
    expect(lines['re-engagement/came-back']).toBe('If session_started at least once in the last 7 days');
    expect(lines['re-engagement/mark-dormant']).toMatch(/^Set lifecycle_stage to dormant, set dormant_since to /);
    expect(lines['subject-line-ab-test/subject-test']).toBe('Subject A: discount 45%, Subject B: urgency 45%, Holdout 10%');
    expect(lines['trial-ending/three-days-before']).toBe('Until 3 days before trial_ends_at at 10:00');
    expect(lines['trial-ending/still-trial']).toBe('If plan is trial');
    expect(lines['order-shipped-webhook/crm-sync']).toMatch(/^Webhook: POST https:\/\/crm\.example\.test/);
    expect(lines['re-engagement/come-back']).toMatch(/^Preferred channel: /);
    for (const line of Object.values(lines)) expect(line).not.toMatch(codes);
  });

  it('a scheduled audience says who: everyone, everyone in a segment by name, and the rules on top', () => {
    const segmentOf = (id: string) => (id === 'seg-pro' ? 'Pro buyers' : undefined);
    const scheduled = (extra: object) => nodeSummary('trigger', { entry: { kind: 'schedule', schedule: { kind: 'once', date: '2026-12-01', time: '09:00' }, ...extra } }, undefined, segmentOf);
    expect(scheduled({})).toBe('Once on 1 Dec 2026 at 09:00');
    expect(scheduled({ segmentId: 'seg-pro' })).toBe('Once on 1 Dec 2026 at 09:00, for everyone in “Pro buyers”');
    expect(scheduled({ segmentId: 'seg-pro', rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } })).toBe(
      'Once on 1 Dec 2026 at 09:00, for everyone in “Pro buyers” where plan is pro',
    );
    expect(scheduled({ rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } })).toBe(
      'Once on 1 Dec 2026 at 09:00, for those where plan is pro',
    );
    expect(scheduled({ segmentId: 'gone' })).toBe('Once on 1 Dec 2026 at 09:00, for everyone in “a deleted segment”');
  });

  it('a message rule names the step it points at, never its id', () => {
    expect(lines['welcome-series/opened-welcome']).toBe('If they opened Welcome email');
    expect(condition({ kind: 'message', nodeId: 'gone', activity: 'not-clicked' })).toBe('If they did not click a deleted step');
  });

  it('event counts keep their time window and say the count in words', () => {
    expect(condition({ kind: 'event-count', event: 'Order Completed', comparison: 'at-least', count: 1, within: { amount: 2, unit: 'days' } })).toBe(
      'If Order Completed at least once in the last 2 days',
    );
    expect(condition({ kind: 'event-count', event: 'purchase', comparison: 'at-most', count: 3, within: { amount: 1, unit: 'weeks' } })).toBe('If purchase at most 3 times in the last 1 week');
    expect(condition({ kind: 'event-count', event: 'purchase', comparison: 'exactly', count: 0, within: { amount: 30, unit: 'days' } })).toBe('If no purchase in the last 30 days');
    expect(condition({ kind: 'event-count', event: 'purchase', comparison: 'at-least', count: 2, between: { from: '2026-11-01', to: '2026-11-30' } })).toBe(
      'If purchase at least twice between 1 Nov 2026 and 30 Nov 2026',
    );
    expect(
      condition({
        kind: 'event-count',
        event: 'purchase',
        comparison: 'at-least',
        count: 2,
        within: { amount: 12, unit: 'hours' },
        filter: [{ path: 'total', operator: 'greater-or-equal', value: 1500 }],
      }),
    ).toBe('If purchase (total is at least 1,500) at least twice in the last 12 hours');
  });

  it('comparisons in words: operators, lists, relative dates, references, groups', () => {
    expect(condition({ kind: 'trait', path: 'plan', operator: 'in', value: ['pro', 'team', 'enterprise'] })).toBe('If plan is one of pro, team, or enterprise');
    expect(condition({ kind: 'trait', path: 'signed_up_at', operator: 'before', value: { amount: 3, unit: 'days', direction: 'ago' } })).toBe('If signed_up_at is before 3 days ago');
    expect(condition({ kind: 'trait', path: 'email', operator: 'not-exists' })).toBe('If email is not set');
    expect(condition({ kind: 'event-property', path: 'total', operator: 'less-than', value: 10 })).toBe("If the trigger's total is less than 10");
    expect(
      nodeSummary('condition', {
        rules: {
          kind: 'group',
          match: 'any',
          rules: [
            { kind: 'channel', channel: 'sms', state: 'not-reachable-or-consented' },
            {
              kind: 'group',
              match: 'all',
              rules: [
                { kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' },
                { kind: 'trait', path: 'seats', operator: 'greater-than', value: 10 },
              ],
            },
          ],
        },
      }),
    ).toBe("If they can't get SMS or (plan is pro and seats is more than 10)");
    expect(condition()).toBe('Add a rule to decide yes or no');
  });

  it('names: the node’s own when it has one, otherwise made from what it does', () => {
    const send = { delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: 'Hi' } } };
    expect(nodeName('send', { ...send, name: 'Nudge SMS' })).toBe('Nudge SMS');
    expect(nodeName('send', { ...send, name: '  ' })).toBe('Send SMS');
    expect(nodeName('send', { delivery: { mode: 'channel', channel: 'email' }, content: {} })).toBe('Send email');
    expect(nodeName('wait', { wait: { kind: 'duration', duration: { amount: 2, unit: 'days' } } })).toBe('Wait 2 days');
    expect(nodeName('wait', { wait: { kind: 'time-of-day', time: '09:00' } })).toBe('Wait until 09:00');
    expect(
      nodeName('split', {
        arms: [
          { id: 'a', weight: 50 },
          { id: 'b', weight: 40 },
          { id: 'control', weight: 10, holdout: true },
        ],
      }),
    ).toBe('A/B split with holdout');
    const types: NodeType[] = ['trigger', 'wait-for-event', 'condition', 'update-profile', 'exit'];
    expect(types.map((t) => nodeName(t, {}))).toEqual(['Trigger', 'Wait for event', 'Condition', 'Update profile', 'Exit']);
  });

  it('branch labels in words, for the edge', () => {
    expect(branchLabel('condition', {}, 'yes')).toBe('Yes');
    expect(branchLabel('wait-for-event', { event: 'order_completed', timeout: { amount: 4, unit: 'hours' } }, 'timeout')).toBe('Timeout: 4 hours');
    expect(branchLabel('wait-for-event', { event: 'order_completed' }, 'event')).toBe('order_completed');
    expect(
      branchLabel(
        'split',
        {
          arms: [
            { id: 'a', weight: 45 },
            { id: 'h', weight: 10, holdout: true },
          ],
        },
        'h',
      ),
    ).toBe('Holdout 10%');
    expect(branchLabel('send', {}, 'next')).toBeUndefined();
  });

  it('the goal and exit criteria in words', () => {
    expect(goalWords({ goal: { event: 'Order Completed', window: { amount: 7, unit: 'days' } } })).toEqual({ goal: 'Goal: Order Completed within 7 days', exits: null });
    expect(goalWords({ exitCriteria: { events: [{ event: 'unsubscribed' }, { event: 'refund' }], whenEntryRulesStopMatching: true } }).exits).toBe(
      'Exits early on unsubscribed or refund, or when they stop matching the entry rules',
    );
    const names = new Map([['seg-trial', 'Active trial']]);
    expect(goalWords({ exitCriteria: { events: [{ event: 'refund' }], segments: [{ segmentId: 'seg-trial' }, { segmentId: 'gone' }] } }, names).exits).toBe(
      'Exits early on refund, or when they leave Active trial or a deleted segment',
    );
    expect(goalWords({}).goal).toMatch(/^No goal yet/);
  });

  it('publishing summary: nodes added, removed, edited; wiring and settings', () => {
    const live = examples.find((e) => e.id === 'welcome-series')!.document;
    const draft = structuredClone(live);
    draft.graph!.nodes = draft.graph!.nodes.filter((n) => n.id !== 'nudge-sms');
    draft.graph!.edges = draft.graph!.edges.filter((e) => e.target !== 'nudge-sms');
    (draft.graph!.nodes.find((n) => n.id === 'two-days')!.data as { wait: { duration: { amount: number } } }).wait.duration.amount = 3;
    draft.graph!.nodes.push({ id: 'bye', type: 'exit', position: { x: 0, y: 0 }, data: {} });
    expect(diffDocuments(live, draft)).toEqual({ added: ['bye'], removed: ['nudge-sms'], changed: ['two-days'], edgesChanged: true, settingsChanged: false });
    expect(diffDocuments(live, live)).toEqual({ added: [], removed: [], changed: [], edgesChanged: false, settingsChanged: false });
  });
});
