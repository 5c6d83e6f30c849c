import type { Schedule } from '../graph/index.ts';
import { addDays, isoWeekdayOf, parseTimeOfDay, zonedParts, zonedTimeToInstant } from '../time/index.ts';

const isoWeekday = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;

/** The zone where a local time comes first: a customer-local send starts there (UTC+14). */
export const earliestZone = 'Etc/GMT-14';

export interface Occurrence {
  /** The local calendar date the schedule fires on, `YYYY-MM-DD`: the occurrence's identity. */
  date: string;
  /** When it fires in the zone it was computed for, as epoch milliseconds. */
  at: number;
}

/**
 * The first occurrence of a scheduled trigger strictly after `after`, at its local time in
 * `zone`; null when a one-off schedule has passed. Weekly without weekdays means Mondays;
 * monthly without a day means the 1st, and a day the month lacks (31 in April) means its last day.
 */
export function nextOccurrence(schedule: Schedule, after: number, zone: string): Occurrence | null {
  const { hour, minute } = parseTimeOfDay(schedule.time);
  const at = (date: { year: number; month: number; day: number }) => zonedTimeToInstant({ ...date, hour, minute }, zone);
  if (schedule.kind === 'once') {
    const [year, month, day] = schedule.date.split('-').map(Number) as [number, number, number];
    const instant = at({ year, month, day });
    return instant > after ? { date: schedule.date, at: instant } : null;
  }
  const today = zonedParts(after, zone);
  if (schedule.frequency === 'monthly') {
    for (let m = 0; m <= 12; m++) {
      const first = { year: today.year + Math.floor((today.month - 1 + m) / 12), month: ((today.month - 1 + m) % 12) + 1, day: 1 };
      const date = { ...first, day: Math.min(schedule.dayOfMonth ?? 1, daysInMonth(first.year, first.month)) };
      if (at(date) > after) return { date: isoDate(date), at: at(date) };
    }
    return null;
  }
  const weekdays: number[] = schedule.frequency === 'daily' ? [] : (schedule.weekdays ?? ['mon']).map((d) => isoWeekday[d]);
  for (let offset = 0; offset <= 8; offset++) {
    const date = addDays(today, offset);
    if (weekdays.length && !weekdays.includes(isoWeekdayOf(date))) continue;
    if (at(date) > after) return { date: isoDate(date), at: at(date) };
  }
  return null;
}

/** When an occurrence's local date and time come round in another zone (customer-local timing). */
export function occurrenceIn(schedule: Schedule, date: string, zone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return zonedTimeToInstant({ year, month, day, ...parseTimeOfDay(schedule.time) }, zone);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isoDate({ year, month, day }: { year: number; month: number; day: number }): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
