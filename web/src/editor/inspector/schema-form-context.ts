import { createContext, useContext } from 'react';
import type { FieldError } from './field-errors.ts';
import type { JsonSchema } from './json-schema.ts';

/** What every field of one SchemaForm shares: the root (for `$ref`s), the errors, the mode. */
export interface SchemaFormContextValue {
  root: JsonSchema;
  /** The form's whole value, for fields that depend on a sibling (a rule's value on its operator). */
  value: unknown;
  errors: readonly FieldError[];
  readOnly: boolean;
  idPrefix: string;
  /** Values to offer for a text field (event and trait names the workspace has seen), by its path and name. */
  suggest?: (path: string, name: string) => readonly string[] | undefined;
  /** A fixed list to choose from for a text field, each value with the words shown for it (a segment by its name). */
  choices?: (path: string, name: string) => readonly { value: string; label: string }[] | undefined;
  /** Paths not shown at all (the content of channels a send no longer uses). */
  hidden?: (path: string) => boolean;
}

export const SchemaFormContext = createContext<SchemaFormContextValue | null>(null);

/** The enclosing SchemaForm's shared settings; fields only render inside one. */
export function useSchemaForm(): SchemaFormContextValue {
  const value = useContext(SchemaFormContext);
  if (!value) throw new Error('A schema field must be rendered inside <SchemaForm>.');
  return value;
}

/** A DOM id for the control at a dotted path, unique within the page given a unique prefix. */
export function controlId(idPrefix: string, path: string): string {
  return `${idPrefix}-${path === '' ? 'root' : path.replaceAll('.', '__').replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
