import { Line, LineChart, YAxis } from 'recharts';

const count = new Intl.NumberFormat('en');
const day = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayWords = (d: string) => day.format(new Date(`${d}T00:00:00Z`));

/** What a sparkline shows, for a screen reader and the tooltip: "Entries per day, Nov 1–Nov 30: 0, 3, 5 (total 8)". */
export function sparklineLabel(what: string, points: { day: string; count: number }[]): string {
  if (!points.length) return `${what}: no days`;
  const total = points.reduce((sum, p) => sum + p.count, 0);
  return `${what}, ${dayWords(points[0]!.day)}–${dayWords(points.at(-1)!.day)}: ${points.map((p) => count.format(p.count)).join(', ')} (total ${count.format(total)})`;
}

/** A tiny line of counts per day, with no axes: its numbers are in its label. */
export function Sparkline({ points, label, width = 112, height = 28 }: { points: { day: string; count: number }[]; label: string; width?: number; height?: number }) {
  const text = sparklineLabel(label, points);
  return (
    <span className="wm-sparkline" role="img" aria-label={text} title={text}>
      <LineChart width={width} height={height} data={points} margin={{ top: 3, right: 2, bottom: 3, left: 2 }} accessibilityLayer={false}>
        <YAxis hide domain={[0, 'dataMax']} />
        <Line type="linear" dataKey="count" stroke="#2563eb" strokeWidth={1.5} dot={false} isAnimationActive={false} />
      </LineChart>
    </span>
  );
}
