/** Reads a dotted path ("address.city") from a plain object. */
export function readPath(source: unknown, path: string): unknown {
  // A plain key, the usual case, without splitting (rules read paths for every event they count).
  if (!path.includes('.')) return source !== null && typeof source === 'object' && Object.hasOwn(source, path) ? (source as Record<string, unknown>)[path] : undefined;
  let value = source;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A date-only value ("2026-12-01"), kept apart from instants because its meaning depends on the zone. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoInstant = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads a date from a trait or property: an ISO instant, a date-only string, or epoch
 * seconds/milliseconds (numbers below 10^11 are seconds). Anything else is not a date.
 */
export function readDate(value: unknown): { instant: number } | { date: CalendarDate } | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return { instant: Math.abs(value) < 1e11 ? value * 1000 : value };
  }
  if (typeof value !== 'string') return null;
  const day = dateOnly.exec(value);
  if (day) {
    const date = { year: Number(day[1]), month: Number(day[2]), day: Number(day[3]) };
    return isCalendarDate(date) ? { date } : null;
  }
  const stamp = isoInstant.exec(value);
  if (!stamp || !isCalendarDate({ year: Number(stamp[1]), month: Number(stamp[2]), day: Number(stamp[3]) })) return null;
  const instant = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(instant) ? null : { instant };
}

/** False for dates a calendar does not have (2026-02-30, 2026-13-01), which Date would roll over. */
function isCalendarDate({ year, month, day }: CalendarDate): boolean {
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** An instant for comparisons; date-only values count as midnight UTC. */
export function toInstant(value: unknown): number | null {
  const read = readDate(value);
  if (!read) return null;
  return 'instant' in read ? read.instant : Date.UTC(read.date.year, read.date.month - 1, read.date.day);
}

/** A number for numeric comparisons: numbers, and strings that are wholly numeric. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** Equality the way marketers mean it: `"42"` equals `42`, `"true"` equals `true`, otherwise exact. */
export function looselyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b);
  const x = toNumber(a);
  const y = toNumber(b);
  return x !== null && y !== null && x === y && (typeof a === 'number' || typeof b === 'number');
}

/** Short, quoted rendering of a value for step reasons. */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
