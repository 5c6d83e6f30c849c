import type { ReportDay } from '@waymark/shared';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard } from '../../components/charts/ChartCard.tsx';
import { formatCount } from '../../editor/stats/stats-format.ts';
import { seriesLook, seriesOrder } from './report-palette.ts';

const short = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayLabel = (d: string) => short.format(new Date(`${d}T00:00:00Z`));

/** Entries, sends, opens, clicks and conversions per day of the range, in the workspace's zone. */
export function DailyChart({ days, zone }: { days: ReportDay[]; zone: string }) {
  return (
    <ChartCard
      title="Day by day"
      note={`Per day in ${zone.replace(/_/g, ' ')}.`}
      fileName="day-by-day.csv"
      table={{
        columns: ['Day', ...seriesOrder.map((s) => seriesLook[s].label)],
        rows: days.map((d) => [d.day, ...seriesOrder.map((s) => d[s])]),
        numeric: [false, true, true, true, true, true],
      }}
    >
      <div
        role="img"
        aria-label={`Day by day, ${days.length} days: ${seriesOrder.map((s) => `${seriesLook[s].label} ${formatCount(days.reduce((sum, d) => sum + d[s], 0))}`).join(', ')} in all`}
        data-testid="daily-chart"
      >
        <ResponsiveContainer width="100%" height={280}>
          <LineChart data={days} margin={{ top: 8, right: 16, bottom: 28, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e2e8f0" />
            <XAxis dataKey="day" tickFormatter={dayLabel} tick={{ fontSize: 12 }} minTickGap={24} label={{ value: 'Day', position: 'insideBottom', offset: -16, fontSize: 12 }} />
            <YAxis
              allowDecimals={false}
              tick={{ fontSize: 12 }}
              width={48}
              label={{ value: 'Count per day', angle: -90, position: 'insideLeft', offset: 4, fontSize: 12, style: { textAnchor: 'middle' } }}
            />
            <Tooltip labelFormatter={(d) => dayLabel(String(d))} formatter={(value) => formatCount(Number(value))} />
            <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {seriesOrder.map((s) => (
              <Line
                key={s}
                type="linear"
                dataKey={s}
                name={seriesLook[s].label}
                stroke={seriesLook[s].color}
                strokeDasharray={seriesLook[s].dash}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
