import type { ReactNode } from 'react';
import type { ConsentState, Duration } from '@waymark/shared';
import { channelName, consentWords } from '../../components/words.ts';
import type { EditorCatalog } from '../catalog-context.ts';
import { DurationField } from './DurationField.tsx';
import type { ConsentChannel, ItemDraft } from './story-draft.ts';
import { TimeZoneField } from './TimeZoneField.tsx';
import { TypedRowsField } from './TypedRowsField.tsx';

const consentChannels: ConsentChannel[] = ['email', 'sms', 'push'];
const consents: ConsentState[] = ['subscribed', 'opted-in', 'unsubscribed'];
const activities = [
  ['opened', 'Opens'],
  ['clicked', 'Clicks a link in'],
  ['unsubscribed', 'Unsubscribes from'],
  ['delivered', 'Receives'],
] as const;

/** The fields of one scripted input: when, then what it is (an event, a profile change, engagement with a message). */
export function ItemForm({
  item,
  onChange,
  catalog,
  sends,
  late,
}: {
  item: ItemDraft;
  onChange(next: ItemDraft): void;
  catalog: EditorCatalog | null;
  sends: { id: string; name: string }[];
  late(value: Duration | null, onChange: (next: Duration | null) => void): ReactNode;
}) {
  const id = `pv-item-${item.id}`;
  return (
    <div className="wm-pv-item-form">
      <DurationField id={`${id}-after`} label="After entry" value={item.after} onChange={(after) => onChange({ ...item, after })} />
      {item.kind === 'track' && (
        <>
          <label className="wm-pv-field">
            <span className="wm-pv-label">Event</span>
            <input value={item.name} list="wm-pv-events" placeholder="Order Completed" onChange={(e) => onChange({ ...item, name: e.target.value })} />
          </label>
          <TypedRowsField
            label="Property"
            legend="Properties"
            rows={item.properties}
            onChange={(properties) => onChange({ ...item, properties })}
            keys={catalog?.events[item.name]?.properties ?? []}
            addLabel="Add a property"
          />
          {late(item.delay, (delay) => onChange({ ...item, delay }))}
        </>
      )}
      {item.kind === 'identify' && (
        <>
          <TypedRowsField label="Trait" legend="Traits" rows={item.traits} onChange={(traits) => onChange({ ...item, traits })} keys={catalog?.traits ?? []} addLabel="Add a trait" />
          <TimeZoneField id={id} value={item.timezone} onChange={(timezone) => onChange({ ...item, timezone })} unsetLabel="No change" />
          <fieldset className="wm-pv-channels">
            <legend className="wm-pv-label">Consent</legend>
            {consentChannels.map((channel) => (
              <div key={channel} className="wm-pv-channel">
                <span className="wm-pv-channel-name">{channelName(channel)}</span>
                <select
                  aria-label={`${channelName(channel)} consent`}
                  value={item.consent[channel] ?? ''}
                  onChange={(e) => {
                    const consent = { ...item.consent };
                    if (e.target.value) consent[channel] = e.target.value as ConsentState;
                    else delete consent[channel];
                    onChange({ ...item, consent });
                  }}
                >
                  <option value="">No change</option>
                  {consents.map((c) => (
                    <option key={c} value={c}>
                      {consentWords(c)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </fieldset>
        </>
      )}
      {item.kind === 'engagement' && (
        <div className="wm-pv-engagement">
          <select aria-label="What the customer does" value={item.activity} onChange={(e) => onChange({ ...item, activity: e.target.value as typeof item.activity })}>
            {activities.map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
          <select aria-label="Which message" value={item.nodeId} onChange={(e) => onChange({ ...item, nodeId: e.target.value })}>
            {sends.map((send) => (
              <option key={send.id} value={send.id}>
                {send.name}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}
