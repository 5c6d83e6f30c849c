import { createContext, useContext } from 'react';
import { shallow } from 'zustand/shallow';
import { useStoreWithEqualityFn } from 'zustand/traditional';
import { createStatsStore, type StatsSnapshot, type StatsStore } from './stats-store.ts';

/** The open editor's stats store, provided by the editor page. */
export const StatsStoreContext = createContext<StatsStore | null>(null);

/** Outside an editor (tests of a single card) no numbers are shown. */
const idle = createStatsStore();

/** Reads from the stats store; selectors should be module-scope, results compared shallowly. */
export function useStats<T>(selector: (state: StatsSnapshot) => T): T {
  return useStoreWithEqualityFn(useContext(StatsStoreContext) ?? idle, selector, shallow);
}

/** The store itself, for actions called from event handlers. */
export function useStatsStore(): StatsStore {
  return useContext(StatsStoreContext) ?? idle;
}
