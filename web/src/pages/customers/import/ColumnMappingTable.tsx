import { type ImportTraitType, importChannels } from '@waymark/shared';
import { memo } from 'react';
import { type ColumnUse, channelWords, guessType, typeWords, choiceWords } from './column-mapping.ts';

const simpleUses: ColumnUse[] = [{ as: 'userId' }, { as: 'email' }, { as: 'phone' }];
const consentUses: ColumnUse[] = importChannels.map((channel) => ({ as: 'consent', channel }));

/** The menu's value for a use: one string per choice. */
const choiceOf = (use: ColumnUse) => (use.as === 'consent' ? `consent:${use.channel}` : use.as);

/**
 * One line per column of the file: its name, a few of its values, and what it becomes — user ID,
 * email, phone, a trait (named after the column unless changed, with a type), consent on a
 * channel, or nothing.
 */
export const ColumnMappingTable = memo(function ColumnMappingTable({
  columns,
  data,
  mapping,
  onChange,
}: {
  columns: string[];
  data: string[][];
  mapping: ColumnUse[];
  onChange(mapping: ColumnUse[]): void;
}) {
  const set = (i: number, use: ColumnUse) => onChange(mapping.map((old, j) => (j === i ? use : old)));
  const valuesOf = (i: number) => data.slice(0, 200).map((row) => (row[i] ?? '').trim());
  const choose = (i: number, choice: string) => {
    if (choice === 'trait') set(i, { as: 'trait', name: columns[i] || `column_${i + 1}`, type: guessType(valuesOf(i)) });
    else if (choice.startsWith('consent:')) set(i, { as: 'consent', channel: choice.slice('consent:'.length) as (typeof importChannels)[number] });
    else set(i, { as: choice as 'userId' | 'email' | 'phone' | 'skip' });
  };
  return (
    <table className="wm-table wm-import-mapping">
      <thead>
        <tr>
          <th scope="col">Column in the file</th>
          <th scope="col">Values, e.g.</th>
          <th scope="col">Import as</th>
          <th scope="col">Trait name and type</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((column, i) => {
          const use = mapping[i]!;
          const label = column || `Column ${i + 1}`;
          const examples = [...new Set(valuesOf(i).filter(Boolean))].slice(0, 3);
          return (
            <tr key={i} className={use.as === 'skip' ? 'is-skipped' : undefined}>
              <th scope="row" className="wm-import-column">
                {label}
              </th>
              <td className="wm-import-examples" title={examples.join('\n')}>
                {examples.length ? examples.join(' · ') : <span className="wm-muted">empty</span>}
              </td>
              <td>
                <select aria-label={`Import “${label}” as`} value={choiceOf(use)} onChange={(e) => choose(i, e.target.value)}>
                  {[...simpleUses, { as: 'trait', name: '', type: 'string' } as ColumnUse, ...consentUses, { as: 'skip' } as ColumnUse].map((choice) => (
                    <option key={choiceOf(choice)} value={choiceOf(choice)}>
                      {choiceWords(choice)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {use.as === 'trait' ? (
                  <span className="wm-import-trait">
                    <input aria-label={`Trait name for “${label}”`} value={use.name} onChange={(e) => set(i, { ...use, name: e.target.value })} />
                    <select aria-label={`Type of “${label}”`} value={use.type} onChange={(e) => set(i, { ...use, type: e.target.value as ImportTraitType })}>
                      {(Object.keys(typeWords) as ImportTraitType[]).map((type) => (
                        <option key={type} value={type}>
                          {typeWords[type]}
                        </option>
                      ))}
                    </select>
                  </span>
                ) : use.as === 'consent' ? (
                  <span className="wm-muted">yes or no to {channelWords[use.channel]} messages (also opted-in / unsubscribed)</span>
                ) : use.as === 'skip' ? (
                  <span className="wm-muted">not imported</span>
                ) : (
                  <span className="wm-muted">{use.as === 'phone' ? 'with the country code, e.g. +14155550100' : 'says who the customer is'}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
});
