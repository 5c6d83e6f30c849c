import { readImportRow } from '@waymark/shared';
import { CircleAlert, CircleCheck } from 'lucide-react';
import { Fragment, memo } from 'react';
import { type ColumnUse, typeWords, choiceWords } from './column-mapping.ts';
import { problemWords, rowFrom } from './import-rows.ts';

const shown = 5;

/** What a column becomes, under its name in the preview. */
const noteOf = (use: ColumnUse) => (use.as === 'trait' ? `${use.name.trim() || '(no name)'} · ${typeWords[use.type].toLowerCase()}` : use.as === 'skip' ? 'not imported' : choiceWords(use));

/**
 * The first rows of the file as they are, each column with what it becomes; each row says
 * whether it is ready, and a row with a problem has it on a line of its own below.
 */
export const FilePreview = memo(function FilePreview({ columns, data, mapping }: { columns: string[]; data: string[][]; mapping: ColumnUse[] }) {
  return (
    <div className="wm-import-preview">
      <table className="wm-table">
        <thead>
          <tr>
            <th scope="col" className="wm-num">
              Row
            </th>
            {columns.map((name, i) => (
              <th key={i} scope="col" className={mapping[i]?.as === 'skip' ? 'is-skipped' : undefined}>
                {name || `Column ${i + 1}`}
                <span className="wm-sub">{noteOf(mapping[i]!)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.slice(0, shown).map((row, r) => {
            const read = readImportRow(rowFrom(row, mapping));
            const problem = 'problem' in read ? problemWords(read.problem, columns, mapping) : null;
            return (
              <Fragment key={r}>
                <tr className={problem ? 'has-problem' : undefined}>
                  <td className={`wm-num ${problem ? 'wm-import-bad' : 'wm-import-good'}`}>
                    {problem ? <CircleAlert size={14} aria-label="Has a problem" /> : <CircleCheck size={14} aria-label="Ready" />} {r + 2}
                  </td>
                  {columns.map((_, i) => (
                    <td key={i} className={mapping[i]?.as === 'skip' ? 'is-skipped' : undefined} title={row[i] ?? ''}>
                      {row[i] ?? ''}
                    </td>
                  ))}
                </tr>
                {problem && (
                  <tr className="wm-import-problem-row">
                    <td />
                    <td colSpan={columns.length} className="wm-import-bad">
                      {problem}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});
