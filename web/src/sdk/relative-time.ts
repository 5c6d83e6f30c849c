const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** "now", "5 minutes ago", "yesterday", "3 weeks ago" in the visitor's language; older than eight weeks, the date. */
export function relativeTime(iso: string, now: number, locale?: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const ago = Math.max(0, now - then);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (ago < minute) return format.format(0, 'second');
  if (ago < hour) return format.format(-Math.floor(ago / minute), 'minute');
  if (ago < day) return format.format(-Math.floor(ago / hour), 'hour');
  if (ago < 7 * day) return format.format(-Math.floor(ago / day), 'day');
  if (ago < 56 * day) return format.format(-Math.floor(ago / (7 * day)), 'week');
  return new Date(then).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** The full date and time, for the tooltip beside a relative time. */
export const absoluteTime = (iso: string, locale?: string) => new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
