import { ChevronDown, ChevronRight, Plus, Trash2 } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { durationToMs, type Duration } from '@waymark/shared';
import type { EditorCatalog } from '../catalog-context.ts';
import { DurationField } from './DurationField.tsx';
import { ItemForm } from './ItemForm.tsx';
import { type ItemDraft, itemWords, sortItems, type StoryDraft } from './story-draft.ts';
import { TypedRowsField } from './TypedRowsField.tsx';
import { offsetWords } from './zoned-format.ts';

interface Props {
  story: StoryDraft;
  onChange(story: StoryDraft): void;
  /** How the journey starts: its trigger event, or null for audience and API journeys. */
  triggerEvent: string | null;
  zone: string;
  catalog: EditorCatalog | null;
  sends: { id: string; name: string }[];
  nameOf(nodeId: string): string;
}

const newId = () => Math.random().toString(36).slice(2, 10);
const oneHour: Duration = { amount: 1, unit: 'hours' };

/**
 * The story the preview plays: how the customer enters, then what they do after, each at a time
 * after entry — events, profile changes, opens, clicks and unsubscribes — kept in time order.
 */
export function StoryEditor({ story, onChange, triggerEvent, zone, catalog, sends, nameOf }: Props) {
  const [open, setOpen] = useState<string | null>(null);
  const events = Object.keys(catalog?.events ?? {}).sort();
  const { entry } = story;
  const setEntry = (patch: Partial<StoryDraft['entry']>) => onChange({ ...story, entry: { ...entry, ...patch } });
  const setItems = (items: ItemDraft[]) => onChange({ ...story, items: sortItems(items) });
  const add = (kind: ItemDraft['kind']) => {
    const last = story.items.at(-1);
    const after = last ? { ...last.after } : oneHour;
    const base = { id: newId(), after };
    const item: ItemDraft =
      kind === 'track'
        ? { ...base, kind, name: '', properties: [], delay: null }
        : kind === 'identify'
          ? { ...base, kind, traits: [], consent: {}, timezone: '' }
          : { ...base, kind, nodeId: sends[0]?.id ?? '', activity: 'opened' };
    setItems([...story.items, item]);
    setOpen(item.id);
  };
  const entryEvent = entry.event || triggerEvent || '';

  return (
    <div className="wm-pv-story">
      <div className="wm-pv-entry">
        <p className="wm-pv-line">
          <span className="wm-pv-offset">Entry</span>
          {triggerEvent === null ? 'Enters by audience' : `${entryEvent || 'The trigger event'} arrives`}
        </p>
        <label className="wm-pv-field">
          <span className="wm-pv-label">At (customer’s zone: {zone})</span>
          <input type="datetime-local" value={entry.at} onChange={(e) => setEntry({ at: e.target.value })} />
        </label>
        {triggerEvent !== null && (
          <>
            <label className="wm-pv-field">
              <span className="wm-pv-label">Event (another one shows the journey would not start)</span>
              <input value={entry.event} placeholder={triggerEvent} list="wm-pv-events" onChange={(e) => setEntry({ event: e.target.value })} />
            </label>
            <TypedRowsField
              label="Event property"
              legend="Event properties"
              rows={entry.properties}
              onChange={(properties) => setEntry({ properties })}
              keys={catalog?.events[entryEvent]?.properties ?? []}
              addLabel="Add a property"
            />
            <Late value={entry.delay} onChange={(delay) => setEntry({ delay })} id="pv-entry-late" />
          </>
        )}
      </div>
      <datalist id="wm-pv-events">
        {events.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {story.items.length > 0 && (
        <ol className="wm-pv-items" aria-label="What the customer does after entering">
          {story.items.map((item) => {
            const expanded = open === item.id;
            return (
              <li key={item.id} className={expanded ? 'is-open' : undefined}>
                <div className="wm-pv-item-line">
                  <button type="button" className="wm-pv-item-toggle" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : item.id)}>
                    {expanded ? <ChevronDown aria-hidden size={14} /> : <ChevronRight aria-hidden size={14} />}
                    <span className="wm-pv-offset">{offsetWords(durationToMs(item.after))}</span>
                    <span className="wm-pv-item-words">{itemWords(item, nameOf)}</span>
                  </button>
                  <button type="button" className="wm-icon-button" aria-label={`Delete ${itemWords(item, nameOf)}`} onClick={() => setItems(story.items.filter((i) => i.id !== item.id))}>
                    <Trash2 aria-hidden size={14} />
                  </button>
                </div>
                {expanded && (
                  <ItemForm
                    item={item}
                    onChange={(next) => setItems(story.items.map((i) => (i.id === item.id ? next : i)))}
                    catalog={catalog}
                    sends={sends}
                    late={(value, onLate) => <Late value={value} onChange={onLate} id={`pv-late-${item.id}`} />}
                  />
                )}
              </li>
            );
          })}
        </ol>
      )}
      <div className="wm-pv-actions">
        <AddButton onClick={() => add('track')}>Add an event</AddButton>
        <AddButton onClick={() => add('identify')}>Add a profile change</AddButton>
        {sends.length > 0 && <AddButton onClick={() => add('engagement')}>Add an open, click or unsubscribe</AddButton>}
      </div>
    </div>
  );
}

function AddButton({ onClick, children }: { onClick(): void; children: ReactNode }) {
  return (
    <button type="button" className="wm-pv-add" onClick={onClick}>
      <Plus aria-hidden size={14} /> {children}
    </button>
  );
}

/** "Arrives late by …": off, or a duration. */
function Late({ value, onChange, id }: { value: Duration | null; onChange(next: Duration | null): void; id: string }) {
  return (
    <div className="wm-pv-late">
      <label className="wm-check">
        <input type="checkbox" checked={value !== null} onChange={(e) => onChange(e.target.checked ? { amount: 1, unit: 'hours' } : null)} /> Arrives late
      </label>
      {value && <DurationField id={id} label="Late by" value={value} onChange={onChange} />}
    </div>
  );
}
