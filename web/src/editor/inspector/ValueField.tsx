import { errorsAt } from './field-errors.ts';
import type { FieldProps } from './field-props.ts';
import { FieldShell } from './FieldShell.tsx';
import { controlId, useSchemaForm } from './schema-form-context.ts';
import { useTextDraft } from './use-text-draft.ts';

/** A number as JSON writes it: `42`, `-1.5`, `2e3` (not `007`, not `10% off`). */
const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * What typed text means: a number, true or false, a list or an object (or quoted text) written
 * as JSON; anything else is the text itself. Throws on JSON that does not parse.
 */
export function parseValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^[[{"]/.test(trimmed)) return JSON.parse(trimmed);
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (!number.test(trimmed)) return trimmed;
  // A number JavaScript cannot hold as typed (1e400, a 20-digit id) stays text, compared as written.
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) && (!Number.isInteger(parsed) || Number.isSafeInteger(parsed)) ? parsed : trimmed;
}

/**
 * How a value is shown: text as written (`pro`, not `"pro"`), other values as JSON. Text that
 * would read back as something else (`42`, `true`, `[…]`) keeps its quotes, so what is shown
 * always reads back as the same value.
 */
export function valueText(value: unknown): string {
  if (value === undefined) return '';
  // Text with a line break is shown quoted (escaped): a one-line box would drop the break.
  if (typeof value === 'string' && !/[\r\n]/.test(value)) {
    try {
      if (parseValue(value) === value) return value;
    } catch {
      // Text that starts like JSON: shown quoted.
    }
  }
  return JSON.stringify(value);
}

/**
 * A value of several kinds (a rule's text, number, true / false or list): one line where plain
 * words are text and numbers are numbers, read when the field loses focus.
 */
export function ValueField({ schema, value, onChange, path, label, required }: FieldProps) {
  const { idPrefix, errors, readOnly } = useSchemaForm();
  const draft = useTextDraft(valueText(value), {
    read: parseValue,
    show: valueText,
    invalid: () => 'Not valid JSON: write a list as ["gold", "silver"], and quote text that starts with a quote mark or a bracket.',
    onChange,
  });

  const messages = [...(draft.error ? [draft.error] : []), ...errorsAt(errors, path, true).map((error) => error.message)];
  return (
    <FieldShell
      id={controlId(idPrefix, path)}
      label={label}
      required={required}
      description={schema.description ?? 'Text, a number, or true / false; a list as ["gold", "silver"].'}
      messages={messages}
    >
      {(aria) => (
        <input
          {...aria}
          className="insp-input"
          type="text"
          spellCheck={false}
          readOnly={readOnly}
          value={draft.text}
          onChange={(e) => draft.edit(e.target.value)}
          onBlur={draft.commit}
          onKeyDown={(e) => e.key === 'Enter' && draft.commit()}
        />
      )}
    </FieldShell>
  );
}
