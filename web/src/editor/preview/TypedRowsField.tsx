import { Plus, Trash2 } from 'lucide-react';
import { useId } from 'react';
import { type TypedRow, type ValueType, valueTypeNames } from './typed-rows.ts';

const types = Object.keys(valueTypeNames) as ValueType[];

/**
 * Keys and values as rows, each value typed (text, number, true/false, date, JSON); `keys` are
 * offered as you type a key. `label` names each row's fields ("Trait 1: name"); `legend` heads the rows when the place around them does not.
 */
export function TypedRowsField({
  label,
  legend,
  rows,
  onChange,
  keys = [],
  addLabel,
}: {
  label: string;
  legend?: string;
  rows: TypedRow[];
  onChange(rows: TypedRow[]): void;
  keys?: readonly string[];
  addLabel: string;
}) {
  const listId = useId();
  const change = (index: number, patch: Partial<TypedRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="wm-pv-rows">
      <legend className={legend ? 'wm-pv-label' : 'wm-sr'}>{legend ?? `${label}s`}</legend>
      {keys.length > 0 && (
        <datalist id={listId}>
          {keys.map((key) => (
            <option key={key} value={key} />
          ))}
        </datalist>
      )}
      {rows.map((row, index) => (
        <div className="wm-pv-row-edit" key={index}>
          <input aria-label={`${label} ${index + 1}: name`} placeholder="name" value={row.key} list={keys.length ? listId : undefined} onChange={(e) => change(index, { key: e.target.value })} />
          <select
            aria-label={`${label} ${index + 1}: type`}
            value={row.type}
            onChange={(e) => change(index, { type: e.target.value as ValueType, value: e.target.value === 'boolean' ? 'true' : row.type === 'boolean' ? '' : row.value })}
          >
            {types.map((type) => (
              <option key={type} value={type}>
                {valueTypeNames[type]}
              </option>
            ))}
          </select>
          <ValueInput label={`${label} ${index + 1}: value`} row={row} onChange={(value) => change(index, { value })} />
          <button type="button" className="wm-icon-button" aria-label={`Remove ${row.key || `row ${index + 1}`}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            <Trash2 aria-hidden size={14} />
          </button>
        </div>
      ))}
      <button type="button" className="wm-pv-add" onClick={() => onChange([...rows, { key: '', type: 'text', value: '' }])}>
        <Plus aria-hidden size={14} /> {addLabel}
      </button>
    </fieldset>
  );
}

function ValueInput({ label, row, onChange }: { label: string; row: TypedRow; onChange(value: string): void }) {
  if (row.type === 'boolean')
    return (
      <select aria-label={label} value={row.value === 'true' ? 'true' : 'false'} onChange={(e) => onChange(e.target.value)}>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  if (row.type === 'date') return <input type="date" aria-label={label} value={row.value.slice(0, 10)} onChange={(e) => onChange(e.target.value)} />;
  return <input aria-label={label} placeholder="value" inputMode={row.type === 'number' ? 'decimal' : undefined} value={row.value} onChange={(e) => onChange(e.target.value)} />;
}
