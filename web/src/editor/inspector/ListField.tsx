import { defaultValue } from './default-value.ts';
import { errorsAt, joinPath, orphanErrors } from './field-errors.ts';
import type { FieldProps } from './field-props.ts';
import { FieldGroup } from './FieldGroup.tsx';
import { itemNoun } from './humanize-name.ts';
import { SchemaField } from './SchemaField.tsx';
import { controlId, useSchemaForm } from './schema-form-context.ts';

/** A list of items (strings, numbers, objects, unions) with add and remove buttons. */
export function ListField({ schema, value, onChange, path, label, required }: FieldProps) {
  const { root, errors, idPrefix, readOnly } = useSchemaForm();
  const items: unknown[] = Array.isArray(value) ? value : [];
  const itemSchema = schema.items ?? {};
  const noun = itemNoun(label || 'item');
  const title = noun.charAt(0).toUpperCase() + noun.slice(1);
  const full = schema.maxItems !== undefined && items.length >= schema.maxItems;
  // An emptied optional list leaves the value, like any other cleared optional field.
  const update = (next: unknown[]) => onChange(next.length === 0 && !required ? undefined : next);

  const messages = [...errorsAt(errors, path), ...orphanErrors(errors, path, (segment) => /^\d+$/.test(segment) && Number(segment) < items.length)].map((error) => error.message);

  return (
    <FieldGroup id={controlId(idPrefix, path)} label={label} description={schema.description} messages={messages}>
      {items.length > 0 && (
        <ol className="insp-list">
          {items.map((item, i) => (
            <li key={i} className="insp-item">
              <SchemaField schema={itemSchema} value={item} onChange={(next) => update(items.with(i, next))} path={joinPath(path, i)} name="" label={`${title} ${i + 1}`} required />
              {!readOnly && (
                <button type="button" className="insp-remove" aria-label={`Remove ${noun} ${i + 1}`} onClick={() => update(items.filter((_, j) => j !== i))}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {!readOnly && (
        <button type="button" className="insp-add" disabled={full} onClick={() => update([...items, defaultValue(itemSchema, root)])}>
          Add {noun}
        </button>
      )}
    </FieldGroup>
  );
}
