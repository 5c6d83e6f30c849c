import { useState } from 'react';
import { SchemaForm } from '../../src/editor/inspector/SchemaForm.tsx';
import type { FieldError } from '../../src/editor/inspector/field-errors.ts';
import type { JsonSchema } from '../../src/editor/inspector/json-schema.ts';

/** A SchemaForm that owns its value, as the editor store would, and reports every change. */
export function FormHarness(props: { schema: JsonSchema; initial: unknown; errors?: FieldError[]; readOnly?: boolean; onValue?: (value: unknown) => void }) {
  const [value, setValue] = useState(props.initial);
  return (
    <SchemaForm
      schema={props.schema}
      value={value}
      errors={props.errors ?? []}
      readOnly={props.readOnly ?? false}
      idPrefix="test"
      onChange={(next) => {
        setValue(next);
        props.onValue?.(next);
      }}
    />
  );
}
