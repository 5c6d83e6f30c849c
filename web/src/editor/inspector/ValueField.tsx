import { comparesTimes, Duration, formatDuration, RelativeDate } from '@waymark/shared';
import { errorsAt } from './field-errors.ts';
import type { FieldProps } from './field-props.ts';
import { FieldShell } from './FieldShell.tsx';
import { controlId, useSchemaForm } from './schema-form-context.ts';
import { comparisonOperator } from './unused-fields.ts';
import { useTextDraft } from './use-text-draft.ts';

/** A number as JSON writes it: `42`, `-1.5`, `2e3` (not `007`, not `10% off`). */
const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** "3 days ago", "2 weeks from now", "7 days": a time relative to now, or a span. */
const relative = /^(\d+)\s*(minute|hour|day|week)s?(?:\s+(ago|from\s+now))?$/i;

/**
 * What typed text means: a number, true or false, a list or an object (or quoted text) written
 * as JSON; with `times` (the rule compares times) "3 days ago" or "7 days"; anything else is the
 * text itself. Throws on JSON that does not parse.
 */
export function parseValue(text: string, times = false): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^[[{"]/.test(trimmed)) return JSON.parse(trimmed);
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  const time = times ? relative.exec(trimmed) : null;
  if (time) {
    const span = { amount: Number(time[1]), unit: `${time[2]!.toLowerCase()}s` };
    return time[3] ? { ...span, direction: time[3].toLowerCase() === 'ago' ? 'ago' : 'from-now' } : span;
  }
  if (!number.test(trimmed)) return trimmed;
  // A number JavaScript cannot hold as typed (1e400, a 20-digit id) stays text, compared as written.
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) && (!Number.isInteger(parsed) || Number.isSafeInteger(parsed)) ? parsed : trimmed;
}

/** A relative time or span in words ("3 days ago", "1 week"), or null for any other value. */
function timeWords(value: unknown): string | null {
  const point = RelativeDate.safeParse(value);
  if (point.success) return `${formatDuration(point.data)} ${point.data.direction === 'ago' ? 'ago' : 'from now'}`;
  const span = Duration.safeParse(value);
  return span.success ? formatDuration(span.data) : null;
}

/**
 * How a value is shown: text as written (`pro`, not `"pro"`), times in words ("3 days ago"),
 * other values as JSON. Text that would read back as something else (`42`, `true`, `[…]`; with
 * `times`, "3 days ago") keeps its quotes, so what is shown always reads back as the same value.
 */
export function valueText(value: unknown, times = false): string {
  if (value === undefined) return '';
  const words = times ? timeWords(value) : null;
  if (words !== null) return words;
  // Text with a line break is shown quoted (escaped): a one-line box would drop the break.
  if (typeof value === 'string' && !/[\r\n]/.test(value)) {
    try {
      if (parseValue(value, times) === value) return value;
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
  const { idPrefix, errors, readOnly, value: form } = useSchemaForm();
  // "Before 3 days ago", "within the last 7 days": the rule's operator says whether times are written in words.
  const times = comparesTimes(comparisonOperator(form, path) ?? '');
  const draft = useTextDraft(valueText(value, times), {
    read: (text) => parseValue(text, times),
    show: (shown) => valueText(shown, times),
    invalid: () => 'Not valid JSON: write a list as ["gold", "silver"], and quote text that starts with a quote mark or a bracket.',
    onChange,
  });

  const messages = [...(draft.error ? [draft.error] : []), ...errorsAt(errors, path, true).map((error) => error.message)];
  return (
    <FieldShell
      id={controlId(idPrefix, path)}
      label={label}
      required={required}
      description={
        schema.description ??
        (times ? 'A time such as 3 days ago or 2 weeks from now, a span such as 7 days, or a date such as 2026-12-01.' : 'Text, a number, or true / false; a list as ["gold", "silver"].')
      }
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
