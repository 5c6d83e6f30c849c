import type { JsonSchema } from './json-schema.ts';

/** What SchemaField hands every control: a resolved schema and the value at one dotted path. */
export interface FieldProps {
  schema: JsonSchema;
  value: unknown;
  onChange(next: unknown): void;
  /** Dotted path inside the form's value; '' is the root. */
  path: string;
  /** The property name ('' for list items and the root); picks textareas for `html`, `body`, `text`. */
  name: string;
  label: string;
  required: boolean;
}

/** Containers (objects, unions, lists) also take a way to remove themselves when optional. */
export interface GroupProps extends FieldProps {
  onRemove?: (() => void) | undefined;
}

/** The ARIA wiring a labelled control needs; FieldShell computes it. */
export interface ControlAria {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
  'aria-required': boolean | undefined;
}
