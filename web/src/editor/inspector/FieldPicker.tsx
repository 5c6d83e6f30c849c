import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { insertableVariables, liquidTag, type InsertableVariable } from './insertable-variables.ts';

export interface FieldPickerProps {
  /** Trait names known in the workspace, offered as `customer.<trait>`. */
  traits?: readonly string[];
  /** Properties of the trigger event, offered as `event.<property>`. */
  eventProperties?: readonly string[];
  /** Receives the Liquid tag to insert, such as `{{ customer.first_name }}`. */
  onInsert(tag: string): void;
  disabled?: boolean;
}

const groups: InsertableVariable['group'][] = ['Customer', 'Event', 'Journey'];

/** A button that opens a list of Liquid variables; choosing one inserts its tag. */
export function FieldPicker({ traits = [], eventProperties = [], onInsert, disabled = false }: FieldPickerProps) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const trigger = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const variables = useMemo(() => insertableVariables(traits, eventProperties), [traits, eventProperties]);

  // Opening moves focus to the first variable, so the list is usable from the keyboard at once.
  useEffect(() => {
    if (open) list.current?.querySelector('button')?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    trigger.current?.focus();
  };

  // Arrow keys move between the variables; Escape closes and returns focus to the button.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') return close();
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const buttons = [...(list.current?.querySelectorAll('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    buttons[(at + (event.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
  };

  return (
    <div className="insp-picker">
      <button ref={trigger} type="button" className="insp-picker-button" aria-expanded={open} aria-controls={listId} disabled={disabled} onClick={() => setOpen(!open)}>
        Insert variable
      </button>
      {open && (
        // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move focus between the options inside
        <div ref={list} id={listId} className="insp-picker-list" onKeyDown={onKeyDown}>
          {groups.map((group) => {
            const inGroup = variables.filter((variable) => variable.group === group);
            if (inGroup.length === 0) return null;
            return (
              // biome-ignore lint/a11y/useSemanticElements: a labelled group of options in a popover, not a form fieldset
              <div key={group} role="group" aria-label={group}>
                <p className="insp-picker-group">{group}</p>
                {inGroup.map((variable) => (
                  <button
                    key={variable.path}
                    type="button"
                    className="insp-picker-item"
                    onClick={() => {
                      onInsert(liquidTag(variable.path));
                      close();
                    }}
                  >
                    {variable.path}
                  </button>
                ))}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
