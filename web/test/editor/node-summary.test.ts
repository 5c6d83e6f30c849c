import { describe, expect, it } from 'vitest';
import { examples } from '@waymark/examples';
import { nodeSummary } from '../../src/editor/nodes/node-summary.ts';
import { diffDocuments } from '../../src/editor/diff-documents.ts';

describe('what a node says on the canvas', () => {
  it('reads like the journey: triggers, waits, conditions, splits and sends', () => {
    const lines = Object.fromEntries(examples.flatMap((e) => e.document.graph!.nodes.map((n) => [`${e.id}/${n.id}`, nodeSummary(n.type, n.data as Record<string, unknown>)])));
    expect(lines['abandoned-cart/cart-abandoned']).toBe('When cart_abandoned (filtered)');
    expect(lines['abandoned-cart/one-day']).toBe('Wait 1 day');
    expect(lines['abandoned-cart/wait-for-purchase']).toBe('Wait for order_completed up to 4 hours');
    expect(lines['welcome-series/opened-welcome']).toBe('If opened welcome-email');
    expect(lines['subject-line-ab-test/subject-test']).toBe('Split 45 / 45 / 10');
    expect(lines['trial-ending/three-days-before']).toBe('Until 3 days before trial_ends_at at 10:00');
    expect(lines['order-shipped-webhook/crm-sync']).toMatch(/^Webhook: POST https:\/\/crm\.example\.test/);
    expect(lines['re-engagement/come-back']).toMatch(/^Preferred channel: /);
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
