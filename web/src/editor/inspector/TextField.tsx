import { isLongText } from './field-kind.ts';
import type { FieldProps } from './field-props.ts';
import { FieldShell } from './FieldShell.tsx';
import { humanizeName } from './humanize-name.ts';
import { stringEnum } from './json-schema.ts';
import { controlId, useSchemaForm } from './schema-form-context.ts';
import { errorsAt } from './field-errors.ts';

/** A string: a select for an `enum`, a textarea for message bodies, else a text input. */
export function TextField({ schema, value, onChange, path, name, label, required }: FieldProps) {
  const { idPrefix, errors, readOnly } = useSchemaForm();
  const options = stringEnum(schema);
  const fallback = typeof schema.default === 'string' ? schema.default : undefined;
  const text = typeof value === 'string' ? value : '';
  const messages = errorsAt(errors, path, true).map((error) => error.message);
  return (
    <FieldShell id={controlId(idPrefix, path)} label={label} required={required} description={schema.description} messages={messages}>
      {(aria) => {
        if (options) {
          const shown = typeof value === 'string' ? value : (fallback ?? '');
          // An empty choice exists when the value may be absent or is not one of the options yet.
          const blank = (!required && fallback === undefined) || !options.includes(shown);
          return (
            <select {...aria} className="insp-select" disabled={readOnly} value={shown} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
              {blank && <option value="">{required ? 'Choose…' : 'Not set'}</option>}
              {options.map((option) => (
                <option key={option} value={option}>
                  {humanizeName(option)}
                </option>
              ))}
            </select>
          );
        }
        const common = {
          ...aria,
          value: text,
          readOnly,
          placeholder: fallback,
          maxLength: schema.maxLength,
          onChange: (e: { target: { value: string } }) => onChange(e.target.value),
        };
        return isLongText(name) ? <textarea {...common} className="insp-textarea" rows={6} /> : <input {...common} className="insp-input" type="text" />;
      }}
    </FieldShell>
  );
}
