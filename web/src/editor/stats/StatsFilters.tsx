import type { StatsSegment } from '@waymark/shared';
import { useId } from 'react';
import { navigateTo } from '../../app/use-route.ts';
import { segmentBuilding, segmentMeaning, segmentOption } from './segment-words.ts';
import { filterDays, type StatsFilter, withSegment } from './stats-filter.ts';

const day = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dayWords = (d: string) => day.format(new Date(`${d}T00:00:00Z`));

/**
 * The version, the days the numbers cover in the workspace's zone (said under the fields) and the
 * customers counted: all of them, or those in a saved segment now (said in words);
 * "All versions" warns that it sums versions whose steps may differ.
 */
export function StatsFilters({
  filter,
  versions,
  zone,
  segments,
  counted,
  onChange,
}: {
  filter: StatsFilter;
  versions: number[];
  zone: string;
  /** The workspace's segments; null while they load. */
  segments: StatsSegment[] | null;
  /** The segment the numbers shown were counted for, as the server said (its members then). */
  counted?: StatsSegment | undefined;
  onChange(filter: StatsFilter): void;
}) {
  const id = useId();
  const { from, to } = filterDays(filter, zone);
  const setRange = (range: StatsFilter['range']) => onChange(range === 'custom' ? { ...filter, range, from, to } : withSegment({ version: filter.version, range }, filter.segment));
  const chosen = filter.segment ? (counted?.id === filter.segment ? counted : segments?.find((s) => s.id === filter.segment)) : undefined;
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
        <label htmlFor={`${id}-segment`}>Segment</label>
        <select id={`${id}-segment`} value={filter.segment ?? ''} onChange={(e) => onChange(withSegment(filter, e.target.value || undefined))}>
          <option value="">All customers</option>
          {segments?.map((s) => (
            <option key={s.id} value={s.id}>
              {segmentOption(s)}
            </option>
          ))}
          {filter.segment && segments && !segments.some((s) => s.id === filter.segment) && <option value={filter.segment}>{chosen ? chosen.name : 'A segment that no longer exists'}</option>}
        </select>
      </div>
      <p className="wm-stats-note">
        {from === to ? dayWords(from) : `${dayWords(from)} – ${dayWords(to)}`}, days in {zone.replace(/_/g, ' ')} (the workspace's time zone).
      </p>
      {chosen && (
        <p className="wm-stats-note" data-testid="stats-segment-note">
          {segmentMeaning(chosen)}
        </p>
      )}
      {chosen?.building && <p className="wm-stats-note is-warning">{segmentBuilding(chosen)}</p>}
      {segments?.length === 0 && !filter.segment && (
        <p className="wm-stats-note">
          No segments yet: save one on the{' '}
          <a href="/segments" onClick={navigateTo('/segments')}>
            Segments
          </a>{' '}
          page to count just its customers.
        </p>
      )}
      {filter.version === 'all' && (
        <p className="wm-stats-note is-warning">Numbers are summed across every version; their steps may differ, so a step's numbers cover only the versions that had it.</p>
      )}
    </div>
  );
}
