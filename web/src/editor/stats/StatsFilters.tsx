import { useId } from 'react';
import type { StatsFilter } from './stats-filter.ts';
import { filterDays } from './stats-filter.ts';

const day = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dayWords = (d: string) => day.format(new Date(`${d}T00:00:00Z`));

/**
 * The version and the days the numbers cover, in the workspace's zone (said under the fields);
 * "All versions" warns that it sums versions whose steps may differ.
 */
export function StatsFilters({ filter, versions, zone, onChange }: { filter: StatsFilter; versions: number[]; zone: string; onChange(filter: StatsFilter): void }) {
  const id = useId();
  const { from, to } = filterDays(filter, zone);
  const setRange = (range: StatsFilter['range']) => onChange(range === 'custom' ? { ...filter, range, from, to } : { version: filter.version, range });
  return (
    <div className="wm-stats-filters">
      <div className="wm-stats-fields">
        <label htmlFor={`${id}-version`}>Version</label>
        <select id={`${id}-version`} value={filter.version} onChange={(e) => onChange({ ...filter, version: e.target.value })}>
          <option value="live">Live version</option>
          {[...versions]
            .sort((a, b) => b - a)
            .map((v) => (
              <option key={v} value={String(v)}>
                Version {v}
              </option>
            ))}
          <option value="all">All versions</option>
        </select>
        <label htmlFor={`${id}-range`}>Days</label>
        <select id={`${id}-range`} value={filter.range} onChange={(e) => setRange(e.target.value as StatsFilter['range'])}>
          <option value="today">Today</option>
          <option value="7">Last 7 days</option>
          <option value="30">Last 30 days</option>
          <option value="custom">Custom…</option>
        </select>
        {filter.range === 'custom' && (
          <>
            <label htmlFor={`${id}-from`}>From</label>
            <input id={`${id}-from`} type="date" value={from} max={to} onChange={(e) => e.target.value && onChange({ ...filter, from: e.target.value })} />
            <label htmlFor={`${id}-to`}>To</label>
            <input id={`${id}-to`} type="date" value={to} min={from} onChange={(e) => e.target.value && onChange({ ...filter, to: e.target.value })} />
          </>
        )}
      </div>
      <p className="wm-stats-note">
        {from === to ? dayWords(from) : `${dayWords(from)} – ${dayWords(to)}`}, days in {zone.replace(/_/g, ' ')} (the workspace's time zone).
      </p>
      {filter.version === 'all' && (
        <p className="wm-stats-note is-warning">Numbers are summed across every version; their steps may differ, so a step's numbers cover only the versions that had it.</p>
      )}
    </div>
  );
}
