/** Which numbers to show: a version (`live`, `all` or its number) and a range of days in the workspace's zone. */
export interface StatsFilter {
  version: string;
  range: 'today' | '7' | '30' | 'custom';
  /** YYYY-MM-DD, both ends included; used when `range` is `custom`. */
  from?: string;
  to?: string;
}

export const defaultFilter: StatsFilter = { version: 'live', range: '30' };

const ranges = new Set(['today', '7', '30', 'custom']);
const day = /^\d{4}-\d{2}-\d{2}$/;

/** The filter kept in the address (`statsVersion`, `range`, `from`, `to`); anything unreadable falls back to the default. */
export function readFilter(search: string): StatsFilter {
  const query = new URLSearchParams(search);
  const version = query.get('statsVersion') ?? '';
  const range = query.get('range') ?? '';
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const filter: StatsFilter = { version: /^(live|all|[1-9]\d{0,8})$/.test(version) ? version : 'live', range: ranges.has(range) ? (range as StatsFilter['range']) : '30' };
  if (filter.range === 'custom') {
    if (day.test(from) && day.test(to) && from <= to) return { ...filter, from, to };
    return { ...filter, range: '30' };
  }
  return filter;
}

/** `search` with the filter written into it (defaults left out), other parameters kept. */
export function writeFilter(search: string, filter: StatsFilter): string {
  const query = new URLSearchParams(search);
  for (const key of ['statsVersion', 'range', 'from', 'to']) query.delete(key);
  if (filter.version !== 'live') query.set('statsVersion', filter.version);
  if (filter.range !== '30') query.set('range', filter.range);
  if (filter.range === 'custom' && filter.from && filter.to) {
    query.set('from', filter.from);
    query.set('to', filter.to);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** Today in `zone`, as YYYY-MM-DD. */
export function todayIn(zone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** `day` moved by `by` days (calendar days: no zone involved). */
export function addDays(day: string, by: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + by);
  return date.toISOString().slice(0, 10);
}

/** The days the filter covers in `zone`: today, the last 7 or 30 days (today included), or the custom ones. */
export function filterDays(filter: StatsFilter, zone: string, now: Date = new Date()): { from: string; to: string } {
  const today = todayIn(zone, now);
  if (filter.range === 'custom' && filter.from && filter.to) return { from: filter.from, to: filter.to };
  if (filter.range === 'today') return { from: today, to: today };
  return { from: addDays(today, -(Number(filter.range) - 1)), to: today };
}

/** The API query of a filter: `version=…&from=…&to=…`. */
export function filterQuery(filter: StatsFilter, zone: string, now: Date = new Date()): string {
  const { from, to } = filterDays(filter, zone, now);
  return new URLSearchParams({ version: filter.version, from, to }).toString();
}
