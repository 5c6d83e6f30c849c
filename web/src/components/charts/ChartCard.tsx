import { type ReactNode, useId, useState } from 'react';
import { DataTable, type TableData } from './DataTable.tsx';

/** A titled chart with a "Table" toggle that shows its data as a table (with CSV). */
export function ChartCard({ title, note, table, fileName, children }: { title: string; note?: ReactNode; table: TableData; fileName: string; children: ReactNode }) {
  const [asTable, setAsTable] = useState(false);
  const id = useId();
  return (
    <section className="wm-chart-card" aria-labelledby={id}>
      <div className="wm-chart-head">
        <h2 className="wm-chart-title" id={id}>
          {title}
        </h2>
        <button type="button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          Table
        </button>
      </div>
      {note && <div className="wm-stats-note">{note}</div>}
      {asTable ? <DataTable caption={title} data={table} fileName={fileName} /> : children}
    </section>
  );
}
