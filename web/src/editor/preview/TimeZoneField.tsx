import { useMemo, useState } from 'react';

const allZones: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

/** The zones matching a search: every word of it in the name ("new york", "istan"). Pure. */
export function matchZones(zones: readonly string[], search: string): string[] {
  const words = search
    .toLowerCase()
    .split(/[\s/_]+/)
    .filter(Boolean);
  return zones.filter((zone) => {
    const name = zone.toLowerCase().replaceAll('_', ' ');
    return words.every((word) => name.includes(word));
  });
}

/** An IANA zone from a select narrowed by a search box; "" is "not set" (the journey's zone applies). */
export function TimeZoneField({ value, onChange, id, unsetLabel = 'Not set: the journey’s zone' }: { value: string; onChange(zone: string): void; id: string; unsetLabel?: string }) {
  const [search, setSearch] = useState('');
  const shown = useMemo(() => {
    const found = matchZones(allZones, search);
    return value && !found.includes(value) ? [value, ...found] : found;
  }, [search, value]);
  return (
    <div className="wm-pv-zone">
      <label className="wm-pv-label" htmlFor={`${id}-zone`}>
        Time zone
      </label>
      <input type="search" aria-label="Search time zones" placeholder="Search zones" value={search} onChange={(e) => setSearch(e.target.value)} />
      <select id={`${id}-zone`} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{unsetLabel}</option>
        {shown.map((zone) => (
          <option key={zone} value={zone}>
            {zone.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      {search && shown.length === 0 && <p className="wm-pv-hint">No zone matches “{search}”.</p>}
    </div>
  );
}
