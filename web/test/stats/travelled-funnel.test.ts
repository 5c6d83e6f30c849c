import { describe, expect, it } from 'vitest';
import type { JourneyDocumentInput } from '@waymark/shared';
import { busiestPath, funnelBars, journeyPaths } from '../../src/pages/report/travelled-funnel.ts';

const document: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'welcome',
  name: 'Welcome',
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'signed_up' } } },
      { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { wait: { kind: 'duration', duration: { amount: 2, unit: 'days' } } } },
      { id: 'pro', type: 'condition', position: { x: 0, y: 200 }, data: { rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } } },
      { id: 'end-yes', type: 'exit', position: { x: -100, y: 300 }, data: {} },
      { id: 'end-no', type: 'exit', position: { x: 100, y: 300 }, data: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
      { id: 'e2', source: 'wait', sourceHandle: 'next', target: 'pro' },
      { id: 'e3', source: 'pro', sourceHandle: 'yes', target: 'end-yes' },
      { id: 'e4', source: 'pro', sourceHandle: 'no', target: 'end-no' },
    ],
  },
};
const counts = {
  start: { entered: 100, 'left:next': 100 },
  wait: { entered: 100, 'left:next': 80 },
  pro: { entered: 80, 'left:yes': 30, 'left:no': 50 },
  'end-yes': { entered: 30 },
  'end-no': { entered: 50 },
};

describe('paths for the report’s funnel', () => {
  it('lists every way from the trigger, named by its branches', () => {
    expect(journeyPaths(document)).toEqual([
      { nodes: ['start', 'wait', 'pro', 'end-yes'], label: 'Yes' },
      { nodes: ['start', 'wait', 'pro', 'end-no'], label: 'No' },
    ]);
  });

  it('follows the busiest branch, and names each step of the funnel with its share of the start', () => {
    const path = busiestPath(document, counts);
    expect(path).toEqual(['start', 'wait', 'pro', 'end-no']);
    const bars = funnelBars(document, path, counts);
    expect(bars.map((b) => [b.entered, b.shareOfStart])).toEqual([
      [100, 1],
      [100, 1],
      [80, 0.8],
      [50, 0.5],
    ]);
    expect(bars[1]!.name).toBe('Wait 2 days');
  });
});
