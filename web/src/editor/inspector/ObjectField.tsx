import { errorsAt, joinPath, orphanErrors } from './field-errors.ts';
import type { GroupProps } from './field-props.ts';
import { FieldGroup } from './FieldGroup.tsx';
import { fieldLabel } from './humanize-name.ts';
import { isRecord, resolveSchema } from './json-schema.ts';
import { SchemaField } from './SchemaField.tsx';
import { controlId, useSchemaForm } from './schema-form-context.ts';
import { withoutUnusedFields } from './unused-fields.ts';

interface ObjectFieldProps extends GroupProps {
  /** A property rendered elsewhere: a union's discriminator. */
  omit?: string;
  /** False inside a union, which shows the errors about the object itself. */
  ownErrors?: boolean;
}

/**
 * Labelled fields in schema order. Clearing an optional field removes its key, so the value
 * never carries empty strings the validator would reject or store.
 */
export function ObjectField({ schema, value, onChange, path, label, onRemove, omit, ownErrors = true }: ObjectFieldProps) {
  const { root, errors, idPrefix, hidden } = useSchemaForm();
  const object = isRecord(value) ? value : {};
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);

  const set = (key: string, next: unknown) => {
    const copy = { ...object };
    if (next === undefined || (next === '' && !required.has(key))) delete copy[key];
    else copy[key] = next;
    // Fixed values are not shown, so an edit fills in any the value is missing.
    for (const name of required) {
      const fixed = properties[name] && resolveSchema(properties[name], root).const;
      if (fixed !== undefined && copy[name] === undefined) copy[name] = fixed;
    }
    // "Plan exists" reads no value: choosing it drops the one the rule had (hidden, it would still be saved).
    onChange(withoutUnusedFields(copy));
  };

  // Errors at fields not shown (hidden ones too) show on the group, so no message is lost.
  const messages = [...(ownErrors ? errorsAt(errors, path) : []), ...orphanErrors(errors, path, (segment) => Object.hasOwn(properties, segment) && !hidden?.(joinPath(path, segment)))].map(
    (error) => error.message,
  );

  return (
    <FieldGroup id={controlId(idPrefix, path)} label={label} description={schema.description} messages={messages} onRemove={onRemove}>
      {Object.entries(properties)
        .filter(([key]) => key !== omit && !hidden?.(joinPath(path, key)))
        .map(([key, child]) => (
          <SchemaField
            key={key}
            schema={child}
            value={object[key]}
            onChange={(next) => set(key, next)}
            path={joinPath(path, key)}
            name={key}
            label={fieldLabel(key, child)}
            required={required.has(key)}
          />
        ))}
    </FieldGroup>
  );
}
