import { ChartColumn } from 'lucide-react';
import { useStats, useStatsStore } from './stats-context.ts';
import type { StatsSnapshot } from './stats-store.ts';

const selectEnabled = (s: StatsSnapshot) => s.enabled;

/** The toolbar's "Stats" switch: the numbers on the canvas, on or off. */
export function StatsToggle() {
  const enabled = useStats(selectEnabled);
  const store = useStatsStore();
  return (
    <button
      type="button"
      className={`wm-stats-switch${enabled ? ' is-on' : ''}`}
      aria-pressed={enabled}
      onClick={() => store.getState().setEnabled(!enabled)}
      title="Show how many customers enter, wait and convert at each step"
    >
      <ChartColumn aria-hidden size={16} />
      Stats
    </button>
  );
}
