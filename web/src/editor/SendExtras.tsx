import { useEffect, useRef } from 'react';
import { deliveryChannels, type Channel, type ChannelContent, type Delivery } from '@waymark/shared';
import { ContentPreview } from './inspector/ContentPreview.tsx';
import { FieldPicker } from './inspector/FieldPicker.tsx';

/** Offered until the workspace has data of its own. */
const commonTraits = ['first_name', 'last_name', 'plan', 'timezone', 'city'];

/** Below a send node's form: insert a personalization variable where the cursor was, and the live preview. */
export function SendExtras({ data, journeyName, eventProperties, traits }: { data: Record<string, unknown>; journeyName: string; eventProperties: string[]; traits: string[] }) {
  const lastField = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  useEffect(() => {
    const remember = (event: FocusEvent) => {
      const target = event.target as HTMLElement;
      if (target.closest('.wm-side') && (target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type === 'text'))) lastField.current = target;
    };
    document.addEventListener('focusin', remember);
    return () => document.removeEventListener('focusin', remember);
  }, []);
  let channels: Channel[] = [];
  try {
    channels = deliveryChannels(data.delivery as Delivery);
  } catch {
    channels = [];
  }
  return (
    <section className="wm-send-extras" aria-label="Personalization and preview">
      <FieldPicker traits={traits.length ? traits : commonTraits} eventProperties={eventProperties} onInsert={(tag) => insertAtCursor(lastField.current, tag)} />
      <h3>Preview</h3>
      <ContentPreview content={data.content as ChannelContent | undefined} channels={channels} journeyName={journeyName} />
    </section>
  );
}

/** Types `text` into the field at its cursor, through the native setter so React sees the change. */
function insertAtCursor(field: HTMLInputElement | HTMLTextAreaElement | null, text: string) {
  if (!field?.isConnected) return;
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  const next = field.value.slice(0, start) + text + field.value.slice(end);
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value')?.set;
  setter?.call(field, next);
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.focus();
  field.setSelectionRange(start + text.length, start + text.length);
}
