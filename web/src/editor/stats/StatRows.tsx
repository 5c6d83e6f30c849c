import type { ReactNode } from 'react';

/** One labelled number of the Stats tab: label, value, and an optional detail or action under it. */
export interface StatRow {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
}

/** A list of labelled numbers, as a description list. */
export function StatRows({ rows, testId }: { rows: StatRow[]; testId?: string }) {
  return (
    <dl className="wm-stat-rows" data-testid={testId}>
      {rows.map((row) => (
        <div key={row.label} className="wm-stat-row">
          <dt>{row.label}</dt>
          <dd>
            {row.value}
            {row.detail && <span className="wm-stat-detail">{row.detail}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
