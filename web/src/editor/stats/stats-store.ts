import type { JourneyStats, StatsSegment } from '@waymark/shared';
import { createStore } from 'zustand/vanilla';
import { defaultFilter, type StatsFilter } from './stats-filter.ts';

/** Who is on a step: waiting there now, or sent, skipped or failed by a send step over the range. */
export type WhoState = 'waiting' | 'sent' | 'skipped' | 'failed';

export interface StatsState {
  /** Whether the canvas shows the numbers (the toolbar's "Stats" toggle). */
  enabled: boolean;
  filter: StatsFilter;
  /** The workspace's time zone: the days of the range are its days. */
  zone: string;
  stats: JourneyStats | null;
  /** Why there are no numbers: a sentence; `not-published` before the first publish, `segment-not-found` for a deleted segment. */
  error: string | null;
  /** The busiest connection's count, which the widths are relative to. */
  busiest: number;
  /** The "who is here" drawer, when open. */
  who: { nodeId: string; state: WhoState } | null;
  /** The workspace's segments the numbers can be narrowed to; null until loaded. */
  segments: StatsSegment[] | null;
}

export interface StatsActions {
  setEnabled(enabled: boolean): void;
  setFilter(filter: StatsFilter): void;
  setZone(zone: string): void;
  show(stats: JourneyStats): void;
  fail(error: string): void;
  openWho(nodeId: string, state?: WhoState): void;
  closeWho(): void;
  setSegments(segments: StatsSegment[]): void;
}

export type StatsStore = ReturnType<typeof createStatsStore>;
export type StatsSnapshot = StatsState & StatsActions;

/** The largest `left:<handle>` count of any node: connections are drawn relative to it. */
export function busiestConnection(stats: JourneyStats): number {
  let busiest = 0;
  for (const counts of Object.values(stats.nodes)) for (const [metric, n] of Object.entries(counts)) if (metric.startsWith('left:') && n > busiest) busiest = n;
  return busiest;
}

/** One per open editor (provided by context): the filter and the numbers the canvas and the Stats tab show. */
export function createStatsStore(initial: { enabled?: boolean; filter?: StatsFilter } = {}) {
  return createStore<StatsSnapshot>()((set) => ({
    enabled: initial.enabled ?? false,
    filter: initial.filter ?? defaultFilter,
    zone: 'UTC',
    stats: null,
    error: null,
    busiest: 0,
    who: null,
    segments: null,
    setEnabled(enabled) {
      set({ enabled });
    },
    setFilter(filter) {
      set({ filter });
    },
    setZone(zone) {
      set({ zone });
    },
    show(stats) {
      set({ stats, error: null, busiest: busiestConnection(stats) });
    },
    fail(error) {
      set({ stats: null, error, busiest: 0 });
    },
    openWho(nodeId, state = 'waiting') {
      set({ who: { nodeId, state } });
    },
    closeWho() {
      set({ who: null });
    },
    setSegments(segments) {
      set({ segments });
    },
  }));
}
