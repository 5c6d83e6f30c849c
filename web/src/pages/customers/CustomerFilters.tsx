import type { JourneySummary } from '@waymark/shared';
import { Search, X } from 'lucide-react';
import { useId } from 'react';
import type { ListFilters } from './use-list-filters.ts';
import { channelNames } from '../../components/words.ts';

const consentChoices: [state: string, text: string][] = [
  ['subscribed', 'subscribed or opted in'],
  ['unsubscribed', 'unsubscribed'],
  ['none', 'no choice recorded'],
];

/** The list's filters: free text, a trait (name from the catalog, and a value), an active journey, consent on a channel. */
export function CustomerFilters({ filters, onChange, traits, journeys }: { filters: ListFilters; onChange(change: Partial<ListFilters>): void; traits: string[]; journeys: JourneySummary[] }) {
  const id = useId();
  const filtered = Boolean(filters.q || filters.trait || filters.journey || filters.consent);
  return (
    <search className="wm-filters" aria-label="Filter customers">
      <label className="wm-filter-search">
        <Search aria-hidden="true" size={16} />
        <input type="search" aria-label="Search customers" placeholder="Name, email, phone, ID, trait…" value={filters.q} onChange={(e) => onChange({ q: e.target.value })} />
      </label>
      <div className="wm-filter">
        <label htmlFor={`${id}-trait`}>Trait</label>
        <select id={`${id}-trait`} value={filters.trait} onChange={(e) => onChange({ trait: e.target.value, value: e.target.value ? filters.value : '' })}>
          <option value="">Any trait</option>
          {[...new Set([...traits, ...(filters.trait ? [filters.trait] : [])])].map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <span aria-hidden="true">is</span>
        <input
          aria-label="Trait value"
          placeholder={filters.trait ? 'any value' : 'choose a trait'}
          disabled={!filters.trait}
          value={filters.value}
          onChange={(e) => onChange({ value: e.target.value })}
        />
      </div>
      <div className="wm-filter">
        <label htmlFor={`${id}-journey`}>In journey</label>
        <select id={`${id}-journey`} value={filters.journey} onChange={(e) => onChange({ journey: e.target.value })}>
          <option value="">Any or none</option>
          {journeys.map((j) => (
            <option key={j.id} value={j.id}>
              {j.name}
            </option>
          ))}
        </select>
      </div>
      <div className="wm-filter">
        <label htmlFor={`${id}-consent`}>Consent</label>
        <select id={`${id}-consent`} className="wm-consent-select" value={filters.consent} onChange={(e) => onChange({ consent: e.target.value })}>
          <option value="">Any</option>
          {['email', 'sms', 'push', 'in-app'].map((channel) => (
            <optgroup key={channel} label={channelNames[channel]}>
              {consentChoices.map(([state, text]) => (
                <option key={state} value={`${channel}:${state}`}>
                  {channelNames[channel]}: {text}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      {filtered && (
        <button type="button" className="wm-link-button" onClick={() => onChange({ q: '', trait: '', value: '', journey: '', consent: '' })}>
          <X aria-hidden="true" size={14} /> Clear filters
        </button>
      )}
    </search>
  );
}
