const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
const absolute = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** "5 min ago" for recent times, a date after a week; and the full date and time for a tooltip. */
export function timeAgo(iso: string, now = Date.now()): { text: string; title: string } {
  const at = Date.parse(iso);
  const title = absolute.format(at);
  const age = now - at;
  if (age < 45_000) return { text: 'just now', title };
  if (age > 7 * 86_400_000) return { text: title, title };
  const [unit, size] = units.find(([, ms]) => age >= ms) ?? units[2]!;
  return { text: relative.format(-Math.round(age / size), unit), title };
}
