import type { ReactNode } from 'react';
import { describedBy, ErrorList } from './ErrorList.tsx';
import { inSentence } from './humanize-name.ts';

interface FieldGroupProps {
  id: string;
  /** '' renders the children without a fieldset (the form's root). */
  label: string;
  description?: string | undefined;
  messages: readonly string[];
  /** Shown for optional groups that are present: removes the whole group from the value. */
  onRemove?: (() => void) | undefined;
  children: ReactNode;
}

/** A fieldset with a legend, help text and the errors about the group as a whole. */
export function FieldGroup({ id, label, description, messages, onRemove, children }: FieldGroupProps) {
  const help = description && (
    <p id={`${id}-help`} className="insp-help">
      {description}
    </p>
  );
  const errors = <ErrorList id={`${id}-error`} messages={messages} />;
  if (label === '') {
    return (
      <div className="insp-group insp-bare">
        {help}
        {errors}
        {children}
      </div>
    );
  }
  return (
    <fieldset id={id} className="insp-group" aria-describedby={describedBy(id, Boolean(description), messages.length > 0)}>
      <legend className="insp-legend">{label}</legend>
      {onRemove && (
        <button type="button" className="insp-remove" onClick={onRemove}>
          Remove {inSentence(label)}
        </button>
      )}
      {help}
      {errors}
      {children}
    </fieldset>
  );
}
