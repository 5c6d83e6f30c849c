import { errorsAt } from './field-errors.ts';
import type { FieldProps } from './field-props.ts';
import { FieldShell } from './FieldShell.tsx';
import { controlId, useSchemaForm } from './schema-form-context.ts';

/** Limits beyond what a person types (zod writes MAX_SAFE_INTEGER for `.int()`) are left off the input. */
const practical = (limit: number | undefined) => (limit !== undefined && Math.abs(limit) < Number.MAX_SAFE_INTEGER ? limit : undefined);

/** A number or integer input with the schema's min and max; empty means absent. */
export function NumberField({ schema, value, onChange, path, label, required }: FieldProps) {
  const { idPrefix, errors, readOnly } = useSchemaForm();
  const messages = errorsAt(errors, path, true).map((error) => error.message);
  const placeholder = typeof schema.default === 'number' ? String(schema.default) : undefined;
  return (
    <FieldShell id={controlId(idPrefix, path)} label={label} required={required} description={schema.description} messages={messages}>
      {(aria) => (
        <input
          {...aria}
          className="insp-input insp-number"
          type="number"
          readOnly={readOnly}
          inputMode={schema.type === 'integer' ? 'numeric' : 'decimal'}
          step={schema.type === 'integer' ? 1 : 'any'}
          min={practical(schema.minimum)}
          max={practical(schema.maximum)}
          placeholder={placeholder}
          value={typeof value === 'number' && Number.isFinite(value) ? String(value) : ''}
          onChange={(e) => {
            const raw = e.target.value.trim();
            const parsed = raw === '' ? undefined : Number(raw);
            onChange(parsed === undefined || Number.isNaN(parsed) ? undefined : parsed);
          }}
        />
      )}
    </FieldShell>
  );
}
