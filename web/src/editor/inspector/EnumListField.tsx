import { errorsAt, joinPath } from './field-errors.ts';
import type { FieldProps } from './field-props.ts';
import { FieldGroup } from './FieldGroup.tsx';
import { humanizeName } from './humanize-name.ts';
import { resolveSchema, stringEnum } from './json-schema.ts';
import { controlId, useSchemaForm } from './schema-form-context.ts';

/** A list of enum values as one checkbox per option, kept in the schema's order. */
export function EnumListField({ schema, value, onChange, path, label, required }: FieldProps) {
  const { root, errors, idPrefix, readOnly } = useSchemaForm();
  const options = stringEnum(resolveSchema(schema.items ?? {}, root)) ?? [];
  const selected = Array.isArray(value) ? value : [];
  const messages = errorsAt(errors, path, true).map((error) => error.message);
  const id = controlId(idPrefix, path);

  const toggle = (option: string, on: boolean) => {
    const next = options.filter((candidate) => (candidate === option ? on : selected.includes(candidate)));
    onChange(next.length === 0 && !required ? undefined : next);
  };

  return (
    <FieldGroup id={id} label={label} description={schema.description} messages={messages}>
      <div className="insp-checks">
        {options.map((option) => {
          const optionId = controlId(idPrefix, joinPath(path, option));
          return (
            <span key={option} className="insp-check">
              <input
                id={optionId}
                type="checkbox"
                className="insp-checkbox"
                checked={selected.includes(option)}
                disabled={readOnly}
                aria-invalid={messages.length > 0 || undefined}
                aria-describedby={messages.length > 0 ? `${id}-error` : undefined}
                onChange={(e) => toggle(option, e.target.checked)}
              />
              <label htmlFor={optionId}>{humanizeName(option)}</label>
            </span>
          );
        })}
      </div>
    </FieldGroup>
  );
}
