import { z } from 'zod';

/** Units a marketer can wait in; months are left out because their length varies. */
export const DurationUnit = z.enum(['minutes', 'hours', 'days', 'weeks']);
export type DurationUnit = z.infer<typeof DurationUnit>;

/** A span of time such as "2 days". */
export const Duration = z
  .object({
    amount: z.number().int().min(0).max(10_000).meta({ title: 'Amount' }),
    unit: DurationUnit.meta({ title: 'Unit' }),
  })
  .meta({ title: 'Duration' });
export type Duration = z.infer<typeof Duration>;

const unitMs: Record<DurationUnit, number> = {
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

/** Milliseconds in a duration, counting days as 24 hours (for cooldowns and windows, not wall-clock waits). */
export function durationToMs(duration: Duration): number {
  return duration.amount * unitMs[duration.unit];
}

/** "2 days", "1 hour". */
export function formatDuration(duration: Duration): string {
  const unit = duration.amount === 1 ? duration.unit.slice(0, -1) : duration.unit;
  return `${duration.amount} ${unit}`;
}

/** A wall-clock time of day, "HH:MM" in 24-hour form. */
export const TimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time such as 09:30')
  .meta({ title: 'Time of day' });
export type TimeOfDay = z.infer<typeof TimeOfDay>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

/** An IANA time zone name; whether the zone exists is checked by the validator, not here. */
export const TimeZoneName = z.string().min(1).max(64).meta({ title: 'Time zone' });
