const full = new Intl.NumberFormat('en');
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

/** A count as people read it: "12,400"; on a small badge, compact: "12.4k". */
export function formatCount(n: number, options: { compact?: boolean } = {}): string {
  return (options.compact && Math.abs(n) >= 10_000 ? compact : full).format(n).replace(/K$/, 'k');
}

/** A share as a percentage with one decimal at most: "12.4%"; "–" when there is nothing to divide by. */
export function formatShare(part: number, whole: number): string {
  return whole > 0 ? percent.format(part / whole) : '–';
}

/** A rate with the counts it comes from: "12.4% · 310 of 2,500". */
export function rateWithCounts(part: number, whole: number): string {
  return `${formatShare(part, whole)} · ${full.format(part)} of ${full.format(whole)}`;
}

/** A difference of two rates in percentage points, signed: "+2.1 pts", "−0.4 pts". */
export function formatPoints(difference: number): string {
  const points = Math.round(difference * 1000) / 10;
  return `${points > 0 ? '+' : points < 0 ? '−' : '±'}${Math.abs(points).toFixed(1)} pts`;
}

/** Thinnest and thickest connection on the canvas, in px. */
export const edgeWidthRange = { min: 1.5, max: 8 } as const;

/**
 * The stroke width of a connection taken `count` times when the busiest one was taken `busiest`
 * times: by the square root of the share (area-like), clamped to `edgeWidthRange`.
 */
export function edgeWidth(count: number, busiest: number): number {
  if (busiest <= 0 || count <= 0) return edgeWidthRange.min;
  const share = Math.min(1, count / busiest);
  return Math.round((edgeWidthRange.min + (edgeWidthRange.max - edgeWidthRange.min) * Math.sqrt(share)) * 10) / 10;
}

/** A duration in the largest whole unit: "12 min", "3 h", "2 d". */
export function durationWords(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

const due = new Intl.DateTimeFormat('en', { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dueFar = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** When a timer is due, in the viewer's zone: "Tue 09:00" within the week, "12 Mar, 09:00" beyond. */
export function dueWords(iso: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  return (at - now < 6 * 86_400_000 && at >= now - 86_400_000 ? due : dueFar).format(at).replace(',', '');
}
