import type { QuietHours } from '../graph/index.ts';
import { nextLocalTime, parseTimeOfDay, zonedParts } from '../time/index.ts';

/**
 * When quiet hours cover `now` in `zone`, the instant they end; otherwise null.
 * A window whose start is after its end wraps midnight (21:00–08:00); equal bounds mean none.
 */
export function quietHoursEnd(quiet: QuietHours, now: number, zone: string): number | null {
  const local = zonedParts(now, zone);
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const inside = start < end ? minute >= start && minute < end : start > end ? minute >= start || minute < end : false;
  return inside ? nextLocalTime(now, zone, quiet.end) : null;
}

function minutesOf(time: string): number {
  const { hour, minute } = parseTimeOfDay(time);
  return hour * 60 + minute;
}
