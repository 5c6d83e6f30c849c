import type { SegmentComparison, SegmentComparisonRow, StatsSegment } from '@waymark/shared';
import { useEffect, useId, useState } from 'react';
import { api } from '../../api/client.ts';
import { navigateTo } from '../../app/use-route.ts';
import { DataTable } from '../../components/charts/DataTable.tsx';
import { SkeletonLines } from '../../components/Skeleton.tsx';
import { formatCount, formatShare } from '../../editor/stats/stats-format.ts';
import { SegmentPicker } from './SegmentPicker.tsx';

/** Below this many entries a rate moves a lot with each customer: said next to it. */
const fewEntries = 100;

const rate = (part: number, whole: number) => `${formatShare(part, whole)} (${formatCount(part)})`;

/** One line of the table: whose numbers, members now, entries, conversions and their rate, sends and the open and click rates of them. */
function tableRow({ segment, entered, converted, sent, opened, clicked }: SegmentComparisonRow): string[] {
  const name = segment ? `${segment.name}${segment.building ? ' (still being worked out)' : ''}` : 'All customers';
  const conversion = formatShare(converted, entered);
  return [
    name,
    segment ? formatCount(segment.members) : '–',
    formatCount(entered),
    formatCount(converted),
    entered > 0 && entered < fewEntries ? `${conversion} (few entries)` : conversion,
    formatCount(sent),
    rate(opened, sent),
    rate(clicked, sent),
  ];
}

/**
 * "By segment": all customers and up to 10 segments side by side over the report's version and
 * days — entries, conversions and their rate, sends, open and click rates — each segment
 * counting its members now; the workspace's first 10 by name until others are chosen.
 */
export function SegmentTable({
  base,
  query,
  segments,
  chosen,
  onChoose,
}: {
  base: string;
  /** The report's version and days (`version=…&from=…&to=…`). */
  query: string;
  /** The workspace's segments to choose from; null while they load. */
  segments: StatsSegment[] | null;
  /** The segments chosen; null: the first 10 by name. */
  chosen: string[] | null;
  onChoose(chosen: string[]): void;
}) {
  const id = useId();
  const [result, setResult] = useState<SegmentComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const asked = chosen?.length ? `&segments=${chosen.map(encodeURIComponent).join(',')}` : '';
  useEffect(() => {
    let cancelled = false;
    setResult(null);
    api<SegmentComparison>('GET', `${base}/report/segments?${query}${asked}`).then(
      (r) => {
        if (cancelled) return;
        setResult(r);
        setError(null);
      },
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [base, query, asked]);
  const shown = chosen ?? result?.rows.map((r) => r.segment!.id) ?? [];
  return (
    <section className="wm-chart-card is-wide" aria-labelledby={`${id}-title`} data-testid="segment-table">
      <div className="wm-chart-head">
        <h2 className="wm-chart-title" id={`${id}-title`}>
          By segment
        </h2>
        {segments && segments.length > 0 && <SegmentPicker segments={segments} shown={shown} onChange={onChoose} />}
      </div>
      <p className="wm-stats-note">Each segment counts its customers now, with everything they did in these days. Conversion rate is of entries; open and click rates are of messages sent.</p>
      {error ? (
        <p role="alert" className="wm-error">
          {error}
        </p>
      ) : !result ? (
        <SkeletonLines lines={4} label="Loading the segments" />
      ) : result.rows.length === 0 ? (
        <p className="wm-stats-empty">
          No segments yet: save one on the{' '}
          <a href="/segments" onClick={navigateTo('/segments')}>
            Segments
          </a>{' '}
          page to compare its customers here.
        </p>
      ) : (
        <DataTable
          caption="By segment"
          fileName="segments.csv"
          data={{
            columns: ['Customers', 'Members now', 'Entered', 'Converted', 'Conversion rate', 'Sent', 'Open rate', 'Click rate'],
            rows: [result.all, ...result.rows].map(tableRow),
            numeric: [false, true, true, true, true, true, true, true],
          }}
        />
      )}
    </section>
  );
}
