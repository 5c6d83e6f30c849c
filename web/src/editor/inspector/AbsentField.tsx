import { defaultValue } from './default-value.ts';
import { describedBy, ErrorList } from './ErrorList.tsx';
import { errorsAt } from './field-errors.ts';
import type { FieldProps } from './field-props.ts';
import { inSentence } from './humanize-name.ts';
import { controlId, useSchemaForm } from './schema-form-context.ts';

/** An optional group that is not in the value: a button adds it with its required defaults. */
export function AbsentField({ schema, onChange, path, label }: FieldProps) {
  const { root, errors, idPrefix, readOnly } = useSchemaForm();
  const id = controlId(idPrefix, path);
  const messages = errorsAt(errors, path, true).map((error) => error.message);
  return (
    <div className={messages.length > 0 ? 'insp-field insp-absent insp-invalid' : 'insp-field insp-absent'}>
      {readOnly ? (
        <span className="insp-label">{label}: not set</span>
      ) : (
        <button
          id={id}
          type="button"
          className="insp-add"
          aria-invalid={messages.length > 0 || undefined}
          aria-describedby={describedBy(id, Boolean(schema.description), messages.length > 0)}
          onClick={() => onChange(defaultValue(schema, root))}
        >
          Add {inSentence(label || 'value')}
        </button>
      )}
      {schema.description && (
        <p id={`${id}-help`} className="insp-help">
          {schema.description}
        </p>
      )}
      <ErrorList id={`${id}-error`} messages={messages} />
    </div>
  );
}
