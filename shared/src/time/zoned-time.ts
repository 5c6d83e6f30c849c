/**
 * Wall-clock arithmetic in IANA time zones on top of `Intl`, so it runs the same in Node and the
 * browser. Instants are epoch milliseconds; local times are plain parts. Local times that do not
 * exist (a spring-forward gap) move forward by the gap; ambiguous ones (a fall-back overlap) take
 * the earlier instant — the "compatible" rule of Temporal.
 */

export interface LocalDateTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
}

export interface ZonedParts extends LocalDateTime {
  second: number;
  /** 1 = Monday … 7 = Sunday (ISO). */
  isoWeekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        weekday: 'short',
      });
    } catch {
      formatter = null;
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether `zone` is an IANA zone this platform knows. */
export function isValidTimeZone(zone: unknown): zone is string {
  // Intl also accepts bare offsets ("+02:00"), which are not zones: they ignore daylight saving.
  return typeof zone === 'string' && zone.length > 0 && !/^[+-]\d/.test(zone) && formatterFor(zone) !== null;
}

const weekdayIndex: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

const recentParts = new Map<string, ZonedParts>();

/**
 * The wall-clock reading of an instant in a zone. Readings are kept for the latest few hundred
 * (instant, zone) pairs: a batch reads the same "now" for every customer, and Intl is slow.
 */
export function zonedParts(instant: number, zone: string): ZonedParts {
  const key = `${zone}|${instant}`;
  const known = recentParts.get(key);
  if (known) return { ...known };
  const parts = readParts(instant, zone);
  if (recentParts.size >= 500) recentParts.delete(recentParts.keys().next().value as string);
  recentParts.set(key, parts);
  return { ...parts };
}

function readParts(instant: number, zone: string): ZonedParts {
  const formatter = formatterFor(zone);
  if (!formatter) throw new RangeError(`Unknown time zone "${zone}"`);
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    isoWeekday: weekdayIndex[parts.weekday ?? ''] ?? 1,
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function zoneOffset(instant: number, zone: string): number {
  const p = zonedParts(instant, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the zone's clocks read `local` (see the module note for gaps and overlaps). */
export function zonedTimeToInstant(local: LocalDateTime, zone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = zoneOffset(asUtc - 86_400_000, zone);
  const after = zoneOffset(asUtc + 86_400_000, zone);
  const earlier = asUtc - Math.max(before, after);
  const later = asUtc - Math.min(before, after);
  const reads = (instant: number) => zoneOffset(instant, zone) === asUtc - instant;
  if (reads(earlier)) return earlier;
  if (reads(later)) return later;
  // In a gap: keep the pre-transition offset, which lands past the gap by its length.
  return asUtc - before;
}

/** The calendar date `days` after the given one (negative goes back). */
export function addDays(date: { year: number; month: number; day: number }, days: number) {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** ISO weekday (1 = Monday) of a calendar date. */
export function isoWeekdayOf(date: { year: number; month: number; day: number }): number {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/** Parses "HH:MM". */
export function parseTimeOfDay(time: string): { hour: number; minute: number } {
  const [hour, minute] = time.split(':').map(Number);
  return { hour: hour ?? 0, minute: minute ?? 0 };
}

/**
 * The first instant strictly after `after` at which the zone's clocks read `time`, on one of the
 * allowed ISO weekdays (all days when empty). Steps by calendar day, never by 24 hours, so a DST
 * change neither skips nor doubles a day.
 */
export function nextLocalTime(after: number, zone: string, time: string, isoWeekdays: number[] = []): number {
  const { hour, minute } = parseTimeOfDay(time);
  const today = zonedParts(after, zone);
  for (let offset = 0; offset <= 8; offset++) {
    const date = addDays(today, offset);
    if (isoWeekdays.length > 0 && !isoWeekdays.includes(isoWeekdayOf(date))) continue;
    const instant = zonedTimeToInstant({ ...date, hour, minute }, zone);
    if (instant > after) return instant;
  }
  throw new RangeError('No allowed weekday'); // unreachable with a non-empty weekday list
}
