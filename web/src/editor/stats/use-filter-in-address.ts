import { useEffect } from 'react';
import { writeFilter } from './stats-filter.ts';
import type { StatsStore } from './stats-store.ts';

/** Keeps the stats filter in the address (replacing the entry, so Back leaves the page), as it changes. */
export function useFilterInAddress(store: StatsStore) {
  useEffect(
    () =>
      store.subscribe((state, before) => {
        if (state.filter === before.filter) return;
        history.replaceState(history.state, '', `${location.pathname}${writeFilter(location.search, state.filter)}`);
      }),
    [store],
  );
}
