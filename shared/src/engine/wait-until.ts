import type { WaitSpec } from '../graph/index.ts';
import { addDays, nextLocalTime, parseTimeOfDay, zonedParts, zonedTimeToInstant } from '../time/index.ts';
import { durationToMs } from '../graph/index.ts';
import { readDate, readPath } from './values.ts';

const isoWeekday = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;

export interface WaitInputs {
  now: number;
  zone: string;
  traits: Record<string, unknown>;
  trigger: Record<string, unknown> | undefined;
}

/**
 * When a wait ends, as epoch milliseconds; null when a date wait's field is missing or not a date.
 * Day and week offsets move the local calendar date, so "3 days before, at 10:00" stays 10:00
 * across a DST change.
 */
export function waitUntil(wait: WaitSpec, { now, zone, traits, trigger }: WaitInputs): number | null {
  switch (wait.kind) {
    case 'duration':
      return now + durationToMs(wait.duration);
    case 'time-of-day':
      return nextLocalTime(
        now,
        zone,
        wait.time,
        (wait.weekdays ?? []).map((day) => isoWeekday[day]),
      );
    case 'date': {
      const read = readDate(readPath(wait.source === 'trait' ? traits : trigger, wait.path));
      if (!read) return null;
      const sign = wait.offset?.direction === 'before' ? -1 : 1;
      const amount = wait.offset?.amount ?? 0;
      const unit = wait.offset?.unit ?? 'days';
      const clock = unit === 'hours' || unit === 'minutes' ? sign * durationToMs({ amount, unit }) : 0;
      const calendarDays = unit === 'weeks' ? amount * 7 : unit === 'days' ? amount : 0;
      // An instant that needs no calendar arithmetic stays that instant (plus elapsed clock time):
      // a round trip through local time would pick the wrong one of a repeated fall-back hour.
      if ('instant' in read && !wait.time && calendarDays === 0) return read.instant + clock;
      const base = 'date' in read ? { ...read.date, hour: 0, minute: 0 } : zonedParts(read.instant, zone);
      const date = addDays(base, sign * calendarDays);
      const time = wait.time ? parseTimeOfDay(wait.time) : { hour: base.hour, minute: base.minute };
      const local = zonedTimeToInstant({ ...date, ...time }, zone);
      // An instant with no explicit time keeps its seconds; a clock offset is added as elapsed time.
      const seconds = !wait.time && 'instant' in read ? read.instant % 60_000 : 0;
      return local + seconds + clock;
    }
  }
}
