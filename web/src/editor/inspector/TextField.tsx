import { isLongText } from './field-kind.ts';
import type { FieldProps } from './field-props.ts';
import { FieldShell } from './FieldShell.tsx';
import { humanizeName } from './humanize-name.ts';
import { stringEnum } from './json-schema.ts';
import { controlId, useSchemaForm } from './schema-form-context.ts';
import { errorsAt } from './field-errors.ts';

/** A string: a select for an `enum`, a textarea for message bodies, else a text input. */
export function TextField({ schema, value, onChange, path, name, label, required }: FieldProps) {
  const { idPrefix, errors, readOnly, suggest, choices } = useSchemaForm();
  const offered = suggest?.(path, name);
  const fixed = choices?.(path, name);
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
        if (fixed) {
          const known = fixed.some((choice) => choice.value === text);
          return (
            <select {...aria} className="insp-select" disabled={readOnly} value={text} onChange={(e) => onChange(e.target.value)}>
              {!known && <option value={text}>{text ? `Unknown (${text})` : 'Choose…'}</option>}
              {fixed.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
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
        if (isLongText(name)) return <textarea {...common} className="insp-textarea" rows={6} />;
        if (!offered?.length) return <input {...common} className="insp-input" type="text" />;
        // What the workspace has seen, offered as you type; any other value can still be written.
        const listId = `${aria.id}-seen`;
        return (
          <>
            <input {...common} className="insp-input" type="text" list={listId} autoComplete="off" />
            <datalist id={listId}>
              {offered.map((option) => (
                <option key={option} value={option} />
              ))}
            </datalist>
          </>
        );
      }}
    </FieldShell>
  );
}
