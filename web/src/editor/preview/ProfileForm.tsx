import { useState } from 'react';
import type { Channel, ChannelState, PreviewProfile } from '@waymark/shared';
import { channelName, consentWords } from '../../components/words.ts';
import { TimeZoneField } from './TimeZoneField.tsx';
import { recordFromRows, rowsFromRecord, type TypedRow } from './typed-rows.ts';
import { TypedRowsField } from './TypedRowsField.tsx';

const addressed = ['email', 'sms', 'push'] as const;
const consents = ['', 'subscribed', 'opted-in', 'unsubscribed'] as const;
const placeholders = { email: 'ann@example.com', sms: '+15550001111', push: 'device token' } as const;

/**
 * A preview customer written by hand: name, traits as typed rows or JSON, time zone, an address
 * and consent per channel, the preferred channel. Keeps half-typed values to itself and passes on
 * the profile whenever it reads.
 */
export function ProfileForm({
  name,
  profile,
  onChange,
  traitNames,
}: {
  name: string;
  profile: PreviewProfile;
  onChange(next: { name: string; profile: PreviewProfile }): void;
  traitNames: readonly string[];
}) {
  const { timezone, ...traits } = profile.traits;
  const [rows, setRows] = useState<TypedRow[]>(() => rowsFromRecord(traits));
  const [json, setJson] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const zone = typeof timezone === 'string' ? timezone : '';
  const withTraits = (next: Record<string, unknown>, nextZone = zone) => ({ ...next, ...(nextZone ? { timezone: nextZone } : {}) });
  const set = (patch: Partial<PreviewProfile>, nextName = name) => onChange({ name: nextName, profile: { ...profile, ...patch } });

  const changeRows = (next: TypedRow[]) => {
    setRows(next);
    const read = recordFromRows(next);
    setErrors(read.errors);
    if (!read.errors.length) set({ traits: withTraits(read.value) });
  };
  const changeJson = (text: string) => {
    setJson(text);
    try {
      const value = JSON.parse(text) as unknown;
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error();
      setErrors([]);
      set({ traits: withTraits(value as Record<string, unknown>) });
    } catch {
      setErrors(['The traits are not a JSON object yet.']);
    }
  };
  const toggleJson = () => {
    if (json === null) setJson(JSON.stringify(traits, null, 2));
    else {
      setRows(rowsFromRecord(traits));
      setJson(null);
    }
    setErrors([]);
  };
  const setChannel = (channel: Channel, patch: Partial<ChannelState>) => {
    const current = profile.channels[channel] ?? {};
    const next = { ...current, ...patch };
    if (!next.address) delete next.address;
    if (!next.consent) delete next.consent;
    const channels = { ...profile.channels };
    if (Object.keys(next).length) channels[channel] = next;
    else delete channels[channel];
    set({ channels });
  };

  return (
    <div className="wm-pv-profile">
      <label className="wm-pv-field">
        <span className="wm-pv-label">Name</span>
        <input value={name} onChange={(e) => onChange({ name: e.target.value, profile })} />
      </label>
      <div className="wm-pv-traits-head">
        <span className="wm-pv-label">Traits</span>
        <button type="button" className="wm-pv-link" onClick={toggleJson}>
          {json === null ? 'Edit as JSON' : 'Edit as rows'}
        </button>
      </div>
      {json === null ? (
        <TypedRowsField label="Trait" rows={rows} onChange={changeRows} keys={traitNames} addLabel="Add a trait" />
      ) : (
        <textarea className="wm-pv-json" aria-label="Traits as JSON" rows={6} value={json} onChange={(e) => changeJson(e.target.value)} spellCheck={false} />
      )}
      {errors.length > 0 && (
        <ul className="wm-pv-errors" role="alert">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
      <TimeZoneField id="pv-customer" value={zone} onChange={(next) => set({ traits: withTraits(traits, next) })} />
      <fieldset className="wm-pv-channels">
        <legend className="wm-pv-label">Channels</legend>
        {addressed.map((channel) => (
          <div key={channel} className="wm-pv-channel">
            <span className="wm-pv-channel-name">{channelName(channel)}</span>
            <input
              aria-label={`${channelName(channel)} address`}
              placeholder={placeholders[channel]}
              value={profile.channels[channel]?.address ?? ''}
              onChange={(e) => setChannel(channel, { address: e.target.value })}
            />
            <select
              aria-label={`${channelName(channel)} consent`}
              value={profile.channels[channel]?.consent ?? ''}
              onChange={(e) => setChannel(channel, { consent: (e.target.value || undefined) as ChannelState['consent'] })}
            >
              {consents.map((consent) => (
                <option key={consent} value={consent}>
                  {consentWords(consent || null)}
                </option>
              ))}
            </select>
          </div>
        ))}
      </fieldset>
      <label className="wm-pv-field">
        <span className="wm-pv-label">Preferred channel</span>
        <select
          value={profile.preferredChannel ?? ''}
          onChange={(e) => {
            const { preferredChannel: _, ...rest } = profile;
            onChange({ name, profile: e.target.value ? { ...rest, preferredChannel: e.target.value as Channel } : rest });
          }}
        >
          <option value="">None</option>
          {(['email', 'sms', 'push', 'in-app'] as const).map((channel) => (
            <option key={channel} value={channel}>
              {channelName(channel)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
