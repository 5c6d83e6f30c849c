import { useEffect } from 'react';
import type { JourneyStats } from '@waymark/shared';
import { ApiFailure, api } from '../../api/client.ts';
import { useStats } from './stats-context.ts';
import { loadSegmentOptions } from './segment-options.ts';
import { filterQuery } from './stats-filter.ts';
import type { StatsSnapshot, StatsStore } from './stats-store.ts';

/** How often the numbers refresh while the page is visible. */
export const refreshMs = 15_000;
/** A segment's numbers are counted from its members' steps at each read: refreshed less often. */
export const segmentRefreshMs = 60_000;

const selectFilter = (s: StatsSnapshot) => ({ filter: s.filter, zone: s.zone });

const staleEvent = 'waymark:stats-stale';

/** Something on this page changed the numbers (customers were added): they load again at once, not at the next poll. */
export const markStatsStale = () => window.dispatchEvent(new Event(staleEvent));

/**
 * Loads the journey's numbers into the stats store while `wanted` (the overlay is on or the Stats
 * tab is open), then every 15 s (a segment's, every minute) while the page is visible, and at once when it becomes visible again
 * or when the page changed them (`markStatsStale`). The workspace's segments (the filter's choices)
 * are loaded each time the numbers become wanted.
 */
export function useStatsPoll(store: StatsStore, workspaceId: string, journeyId: string, wanted: boolean) {
  const { filter, zone } = useStats(selectFilter);
  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    loadSegmentOptions(workspaceId).then(
      (segments) => !cancelled && store.getState().setSegments(segments),
      () => !cancelled && store.getState().setSegments([]),
    );
    return () => {
      cancelled = true;
    };
  }, [store, workspaceId, wanted]);
  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    const load = async () => {
      if (document.visibilityState !== 'visible') return;
      try {
        const stats = await api<JourneyStats>('GET', `/api/workspaces/${workspaceId}/journeys/${journeyId}/stats?${filterQuery(filter, zone)}`);
        if (cancelled) return;
        store.getState().show(stats);
        // The server counts days in the workspace's zone: follow it when the settings could not be read.
        if (stats.range.zone !== zone) store.getState().setZone(stats.range.zone);
      } catch (e) {
        if (!cancelled) store.getState().fail(e instanceof ApiFailure && (e.code === 'not-published' || e.code === 'segment-not-found') ? e.code : (e as Error).message);
      }
    };
    void load();
    const timer = setInterval(() => void load(), filter.segment ? segmentRefreshMs : refreshMs);
    const onVisible = () => void load();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener(staleEvent, onVisible);
    return () => {
      cancelled = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener(staleEvent, onVisible);
    };
  }, [store, workspaceId, journeyId, wanted, filter, zone]);
}

/** The workspace's time zone (its settings), into the store; UTC when it has none. */
export function useWorkspaceZone(store: StatsStore, workspaceId: string) {
  useEffect(() => {
    api<{ timeZone?: string }>('GET', `/api/workspaces/${workspaceId}/settings`).then(
      (settings) => store.getState().setZone(settings.timeZone || 'UTC'),
      () => undefined,
    );
  }, [store, workspaceId]);
}
