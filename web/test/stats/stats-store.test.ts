import { describe, expect, it } from 'vitest';
import type { JourneyStats } from '@waymark/shared';
import { busiestConnection, createStatsStore } from '../../src/editor/stats/stats-store.ts';

const stats = (nodes: JourneyStats['nodes']): JourneyStats => ({
  journeyId: 'j',
  version: 1,
  versions: [1],
  range: { from: '2026-11-01', to: '2026-11-30', zone: 'UTC' },
  nodes,
  customers: 0,
  splits: {},
  waits: {},
  generatedAt: '2026-11-30T00:00:00Z',
});

describe('the stats store', () => {
  it('keeps the busiest connection, which widths are relative to', () => {
    expect(busiestConnection(stats({ a: { entered: 900, 'left:next': 40 }, b: { 'left:yes': 70, 'left:no': 5 } }))).toBe(70);
    const store = createStatsStore({ enabled: true });
    store.getState().show(stats({ a: { 'left:next': 12 } }));
    expect(store.getState()).toMatchObject({ busiest: 12, error: null });
    store.getState().fail('not-published');
    expect(store.getState()).toMatchObject({ stats: null, busiest: 0, error: 'not-published' });
  });

  it('opens "who is here" on the waiting customers unless told otherwise', () => {
    const store = createStatsStore();
    expect(store.getState().enabled).toBe(false);
    store.getState().openWho('wait');
    expect(store.getState().who).toEqual({ nodeId: 'wait', state: 'waiting' });
    store.getState().openWho('mail', 'skipped');
    expect(store.getState().who).toEqual({ nodeId: 'mail', state: 'skipped' });
    store.getState().closeWho();
    expect(store.getState().who).toBeNull();
  });
});
