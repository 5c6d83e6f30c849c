import { errorsAt } from './field-errors.ts';
import type { FieldProps } from './field-props.ts';
import { FieldShell } from './FieldShell.tsx';
import { controlId, useSchemaForm } from './schema-form-context.ts';

/** A boolean; an absent value shows the schema's default. */
export function CheckboxField({ schema, value, onChange, path, label, required }: FieldProps) {
  const { idPrefix, errors, readOnly } = useSchemaForm();
  const messages = errorsAt(errors, path, true).map((error) => error.message);
  const checked = typeof value === 'boolean' ? value : schema.default === true;
  return (
    <FieldShell id={controlId(idPrefix, path)} label={label} required={required} description={schema.description} messages={messages} labelAfter>
      {({ 'aria-required': _required, ...aria }) => <input {...aria} className="insp-checkbox" type="checkbox" disabled={readOnly} checked={checked} onChange={(e) => onChange(e.target.checked)} />}
    </FieldShell>
  );
}
