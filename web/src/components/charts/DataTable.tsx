import { Download } from 'lucide-react';
import { downloadCsv, toCsv } from './csv.ts';

/** A table of a chart's or a report's numbers, with "Download CSV" of exactly what it shows. */
export interface TableData {
  columns: string[];
  rows: (string | number)[][];
  /** Which columns are numbers (right-aligned). */
  numeric?: boolean[];
}

export function DataTable({ caption, data, fileName }: { caption: string; data: TableData; fileName: string }) {
  return (
    <div className="wm-data-table">
      <table className="wm-table">
        <caption className="wm-sr">{caption}</caption>
        <thead>
          <tr>
            {data.columns.map((c, i) => (
              <th key={c} scope="col" className={data.numeric?.[i] ? 'wm-num' : undefined}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => (
                <td key={i} className={data.numeric?.[i] ? 'wm-num' : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="wm-csv" onClick={() => downloadCsv(fileName, toCsv([data.columns, ...data.rows]))}>
        <Download aria-hidden size={14} /> Download CSV
      </button>
    </div>
  );
}
