import { errorsAt } from './field-errors.ts';
import type { FieldProps } from './field-props.ts';
import { FieldShell } from './FieldShell.tsx';
import { controlId, useSchemaForm } from './schema-form-context.ts';
import { useTextDraft } from './use-text-draft.ts';

const format = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));

/**
 * The fallback for schema parts the form has no control for: the value as JSON, parsed when the
 * field loses focus. Text that does not parse stays in the box with its error until fixed.
 */
export function JsonField({ schema, value, onChange, path, label, required }: FieldProps) {
  const { idPrefix, errors, readOnly } = useSchemaForm();
  const draft = useTextDraft(format(value), {
    read: (text) => (text.trim() === '' ? undefined : JSON.parse(text)),
    show: format,
    invalid: (error) => `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    onChange,
  });

  const messages = [...(draft.error ? [draft.error] : []), ...errorsAt(errors, path, true).map((error) => error.message)];
  return (
    <FieldShell id={controlId(idPrefix, path)} label={label} required={required} description={schema.description ?? 'Edit as JSON.'} messages={messages}>
      {(aria) => (
        <textarea
          {...aria}
          className="insp-textarea insp-json"
          rows={Math.min(12, Math.max(3, draft.text.split('\n').length))}
          spellCheck={false}
          readOnly={readOnly}
          value={draft.text}
          onChange={(e) => draft.edit(e.target.value)}
          onBlur={draft.commit}
        />
      )}
    </FieldShell>
  );
}
