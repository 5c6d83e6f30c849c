import { isValidTimeZone, zonedParts, zonedTimeToInstant } from '@waymark/shared';

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (zone: string) => {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, formatter);
  }
  return formatter;
};

/** "Tue 25 Nov 10:00" in `zone`; the year is added when it is not `thisYear` (the viewer's). Pure. */
export function zonedTime(at: number, zone: string, thisYear = new Date().getFullYear()): string {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(isValidTimeZone(zone) ? zone : 'UTC').formatToParts(at)) parts[part.type] = part.value;
  const year = Number(parts.year) === thisYear ? '' : ` ${parts.year}`;
  return `${parts.weekday} ${parts.day} ${parts.month}${year} ${parts.hour}:${parts.minute}`;
}

/** "Nov 25" in `zone` (with the year when it is not this one). */
export function zonedDay(at: number, zone: string, thisYear = new Date().getFullYear()): string {
  const { year, month, day } = zonedParts(at, isValidTimeZone(zone) ? zone : 'UTC');
  const name = new Intl.DateTimeFormat('en', { month: 'short', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, day));
  return `${name} ${day}${year === thisYear ? '' : `, ${year}`}`;
}

const spans: [number, string][] = [
  [604_800_000, 'w'],
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
];

/** How long after entry, at most two units: "+15 min", "+2 h", "+1 d 3 h"; "at entry" for 0, "−1 h" before it. */
export function offsetWords(ms: number): string {
  if (Math.abs(ms) < 60_000) return 'at entry';
  let rest = Math.abs(ms);
  const words: string[] = [];
  for (const [size, unit] of spans) {
    if (words.length === 2) break;
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      words.push(`${amount} ${unit}`);
      rest -= amount * size;
    } else if (words.length) break;
  }
  return `${ms < 0 ? '−' : '+'}${words.join(' ')}`;
}

const local = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The instant a wall-clock reading ("2026-11-25T10:00", as a datetime-local field gives it) is in `zone`; null when it is not one. */
export function localToInstant(value: string, zone: string): number | null {
  const match = local.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number) as [number, number, number, number, number, number];
  return zonedTimeToInstant({ year, month, day, hour, minute }, isValidTimeZone(zone) ? zone : 'UTC');
}

/** The wall-clock reading of an instant in `zone`, as a datetime-local field takes it. */
export function instantToLocal(at: number, zone: string): string {
  const p = zonedParts(at, isValidTimeZone(zone) ? zone : 'UTC');
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}
