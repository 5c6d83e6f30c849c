/**
 * Which numbers to show: a version (`live`, `all` or its number), a range of days in the
 * workspace's zone, and optionally a saved segment whose members now are the only customers counted.
 */
export interface StatsFilter {
  version: string;
  range: 'today' | '7' | '30' | 'custom';
  /** YYYY-MM-DD, both ends included; used when `range` is `custom`. */
  from?: string;
  to?: string;
  /** A segment's id; absent: all customers. */
  segment?: string;
}

export const defaultFilter: StatsFilter = { version: 'live', range: '30' };

const ranges = new Set(['today', '7', '30', 'custom']);
const day = /^\d{4}-\d{2}-\d{2}$/;
const segmentId = /^[\w-]{1,100}$/;

/** The filter kept in the address (`statsVersion`, `range`, `from`, `to`, `segment`); anything unreadable falls back to the default. */
export function readFilter(search: string): StatsFilter {
  const query = new URLSearchParams(search);
  const version = query.get('statsVersion') ?? '';
  const range = query.get('range') ?? '';
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const segment = query.get('segment') ?? '';
  const filter: StatsFilter = {
    version: /^(live|all|[1-9]\d{0,8})$/.test(version) ? version : 'live',
    range: ranges.has(range) ? (range as StatsFilter['range']) : '30',
    ...(segmentId.test(segment) ? { segment } : {}),
  };
  if (filter.range === 'custom') {
    if (day.test(from) && day.test(to) && from <= to) return { ...filter, from, to };
    return { ...filter, range: '30' };
  }
  return filter;
}

/** `search` with the filter written into it (defaults left out), other parameters kept. */
export function writeFilter(search: string, filter: StatsFilter): string {
  const query = new URLSearchParams(search);
  for (const key of ['statsVersion', 'range', 'from', 'to', 'segment']) query.delete(key);
  if (filter.version !== 'live') query.set('statsVersion', filter.version);
  if (filter.range !== '30') query.set('range', filter.range);
  if (filter.range === 'custom' && filter.from && filter.to) {
    query.set('from', filter.from);
    query.set('to', filter.to);
  }
  if (filter.segment) query.set('segment', filter.segment);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The filter with another segment (undefined: all customers), the rest kept. */
export function withSegment(filter: StatsFilter, segment: string | undefined): StatsFilter {
  const { segment: _, ...rest } = filter;
  return segment ? { ...rest, segment } : rest;
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

/** The API query of a filter: `version=…&from=…&to=…` (and `&segment=…`). */
export function filterQuery(filter: StatsFilter, zone: string, now: Date = new Date()): string {
  const { from, to } = filterDays(filter, zone, now);
  return new URLSearchParams({ version: filter.version, from, to, ...(filter.segment ? { segment: filter.segment } : {}) }).toString();
}
