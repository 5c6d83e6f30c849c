import { useState } from 'react';
import { downloadCsv } from '../../../components/charts/csv.ts';
import { Pager } from '../../../components/Pager.tsx';
import type { ImportTally } from './import-in-batches.ts';
import { rejectedRowsCsv } from './rejected-rows-csv.ts';

const count = new Intl.NumberFormat('en');
const pageSize = 10;

/**
 * What the import did: rows imported, customers created and updated (a person of two rows counts once), rows rejected with why (paged, in file
 * order), and those rows as a CSV — the file's own columns plus the reason — to fix and import again.
 */
export function ImportSummary({ fileName, columns, data, tally }: { fileName: string; columns: string[]; data: string[][]; tally: ImportTally }) {
  const [offset, setOffset] = useState(0);
  const rejected = [...tally.rejected].sort((a, b) => a.index - b.index);
  const download = () => downloadCsv(`${fileName.replace(/\.csv$/i, '')}-rejected.csv`, rejectedRowsCsv(columns, data, rejected));
  return (
    <div className="wm-import-summary">
      <dl className="wm-import-counts" aria-live="polite">
        <div>
          <dt>Rows imported</dt>
          <dd>{count.format(tally.imported)}</dd>
        </div>
        <div>
          <dt>New customers</dt>
          <dd>{count.format(tally.created.size)}</dd>
        </div>
        <div>
          <dt>Customers updated</dt>
          <dd>{count.format(tally.updated.size)}</dd>
        </div>
        <div className={rejected.length ? 'is-bad' : undefined}>
          <dt>Rows rejected</dt>
          <dd>{count.format(rejected.length)}</dd>
        </div>
      </dl>
      {rejected.length > 0 ? (
        <>
          <div className="wm-import-rejected-head">
            <h3>Rows not imported</h3>
            <button type="button" onClick={download}>
              Download rejected rows (CSV)
            </button>
          </div>
          <table className="wm-table wm-import-rejected">
            <thead>
              <tr>
                <th scope="col" className="wm-num">
                  Row
                </th>
                <th scope="col">Why not</th>
              </tr>
            </thead>
            <tbody>
              {rejected.slice(offset, offset + pageSize).map((row) => (
                <tr key={row.index}>
                  <td className="wm-num">{row.index + 2}</td>
                  <td>{row.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} limit={pageSize} total={rejected.length} onChange={setOffset} label="Rejected rows" />
        </>
      ) : (
        <p>Every row was imported.</p>
      )}
    </div>
  );
}
