import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard } from '../../components/charts/ChartCard.tsx';
import { formatCount, formatShare } from '../../editor/stats/stats-format.ts';

/** One bar of the funnel: a step on the path, how many reached it, their share of the start. */
export interface FunnelBar {
  name: string;
  entered: number;
  shareOfStart: number;
  shareOfPrevious: number;
}

const percent = (x: number) => formatShare(x, 1);

/** The funnel along a path (the most travelled, or one picked): horizontal bars with counts and the share of those who started it. */
export function FunnelChart({ bars, title, note, picker }: { bars: FunnelBar[]; title: string; note: string; picker?: ReactNode }) {
  const data = bars.map((b) => ({ ...b, label: `${formatCount(b.entered)} · ${percent(b.shareOfStart)}` }));
  return (
    <ChartCard
      title={title}
      note={
        <>
          {note}
          {picker}
        </>
      }
      fileName="funnel.csv"
      table={{
        columns: ['Step', 'Passes', '% of start', '% of previous step'],
        rows: bars.map((b) => [b.name, b.entered, percent(b.shareOfStart), percent(b.shareOfPrevious)]),
        numeric: [false, true, true, true],
      }}
    >
      <div role="img" aria-label={`Funnel: ${data.map((d) => `${d.name} ${d.label}`).join('; ')}`} data-testid="funnel-chart">
        <ResponsiveContainer width="100%" height={bars.length * 44 + 48}>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 96, bottom: 24, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid horizontal={false} stroke="#e2e8f0" />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} label={{ value: 'Passes (customers who come back count again)', position: 'insideBottom', offset: -12, fontSize: 12 }} />
            <YAxis type="category" dataKey="name" width={180} tick={{ fontSize: 12 }} />
            <Tooltip formatter={(value) => formatCount(Number(value))} />
            <Bar dataKey="entered" name="Passes" fill="#0072B2" isAnimationActive={false} barSize={24}>
              <LabelList dataKey="label" position="right" style={{ fontSize: 12, fill: '#0f172a' }} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
