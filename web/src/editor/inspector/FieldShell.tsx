import type { ReactNode } from 'react';
import { describedBy, ErrorList } from './ErrorList.tsx';
import type { ControlAria } from './field-props.ts';

interface FieldShellProps {
  id: string;
  label: string;
  required: boolean;
  description?: string | undefined;
  messages: readonly string[];
  /** Checkboxes put their label after the box. */
  labelAfter?: boolean;
  children(aria: ControlAria): ReactNode;
}

/** One labelled control with its "optional" tag, help text and inline errors wired by ARIA. */
export function FieldShell({ id, label, required, description, messages, labelAfter = false, children }: FieldShellProps) {
  const invalid = messages.length > 0;
  const aria: ControlAria = {
    id,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy(id, Boolean(description), invalid),
    'aria-required': required || undefined,
  };
  const labelElement = (
    <label htmlFor={id} className="insp-label">
      {label}
    </label>
  );
  return (
    <div className={invalid ? 'insp-field insp-invalid' : 'insp-field'}>
      {labelAfter ? (
        <span className="insp-check">
          {children(aria)}
          {labelElement}
        </span>
      ) : (
        <>
          <span className="insp-label-row">
            {labelElement}
            {!required && <span className="insp-optional">optional</span>}
          </span>
          {children(aria)}
        </>
      )}
      {description && (
        <p id={`${id}-help`} className="insp-help">
          {description}
        </p>
      )}
      <ErrorList id={`${id}-error`} messages={messages} />
    </div>
  );
}
