import { useMemo } from 'react';
import { isUnusedField } from './unused-fields.ts';
import type { FieldError } from './field-errors.ts';
import type { JsonSchema } from './json-schema.ts';
import { SchemaField } from './SchemaField.tsx';
import { SchemaFormContext, type SchemaFormContextValue } from './schema-form-context.ts';
// The form's look goes where the form goes (the segment editor shows it outside the journey editor).
import './inspector.css';

export interface SchemaFormProps {
  /** The JSON Schema of the value, as `toJSONSchema({ io: 'input' })` writes it. */
  schema: JsonSchema;
  value: unknown;
  onChange(next: unknown): void;
  /** Validation messages by dotted path; each shows under its field. */
  errors?: readonly FieldError[];
  readOnly?: boolean;
  /** Makes control ids unique when several forms share a page. */
  idPrefix: string;
  suggest?: SchemaFormContextValue['suggest'];
  choices?: SchemaFormContextValue['choices'];
  hidden?: SchemaFormContextValue['hidden'];
}

/**
 * A form generated from a JSON Schema, so the form offers exactly what the validator accepts.
 * Parts it has no control for are edited as JSON; fields a rule does not read ("exists" has no
 * value) are not shown.
 */
export function SchemaForm({ schema, value, onChange, errors = [], readOnly = false, idPrefix, suggest, choices, hidden }: SchemaFormProps) {
  const context = useMemo(
    () => ({ root: schema, value, errors, readOnly, idPrefix, suggest, choices, hidden: (path: string) => hidden?.(path) === true || isUnusedField(value, path) }),
    [schema, errors, readOnly, idPrefix, suggest, choices, hidden, value],
  );
  return (
    <SchemaFormContext value={context}>
      <fieldset className="insp-form">
        <SchemaField schema={schema} value={value} onChange={onChange} path="" name="" label="" required />
      </fieldset>
    </SchemaFormContext>
  );
}
