import type { CustomerView } from '@waymark/shared';
import { CircleCheck, CircleDashed, CircleSlash } from 'lucide-react';
import { Time } from './Time.tsx';
import { channelName, consentWords, identityNames } from '../../components/words.ts';

/** Consent at a glance: an icon and words, not colour alone. */
function ConsentIcon({ consent }: { consent: string | null }) {
  if (consent === 'subscribed' || consent === 'opted-in') return <CircleCheck aria-hidden="true" size={16} />;
  if (consent === 'unsubscribed') return <CircleSlash aria-hidden="true" size={16} />;
  return <CircleDashed aria-hidden="true" size={16} />;
}

/** No choice recorded, read through the workspace's policy: whether Waymark may send anyway. */
function notAskedWords(mode: 'opt-in' | 'opt-out'): string {
  return mode === 'opt-out' ? 'Not asked (opt-out: may send)' : 'Not asked (opt-in: will not send)';
}

/** Who the customer is: the best name, first and last seen, every identity, and consent per channel. */
export function CustomerHeader({ view }: { view: CustomerView }) {
  return (
    <header className="wm-customer-head">
      <div className="wm-customer-title">
        <h1>{view.name ?? 'Anonymous visitor'}</h1>
        <p className="wm-sub">
          First seen <Time at={view.createdAt} /> · last seen <Time at={view.lastSeenAt} />
        </p>
      </div>
      <dl className="wm-identities" aria-label="Identities">
        {view.identities.map((identity) => (
          <div key={`${identity.kind}:${identity.value}`}>
            <dt>{identityNames[identity.kind] ?? identity.kind}</dt>
            <dd className="wm-ellipsis" title={identity.value}>
              {identity.value}
            </dd>
          </div>
        ))}
      </dl>
      <ul className="wm-consent" aria-label="Consent per channel">
        {view.channels.map((c) => {
          const mode = view.consentPolicy[c.channel as keyof CustomerView['consentPolicy']];
          const left = Object.entries(c.topics ?? {})
            .filter(([, joined]) => !joined)
            .map(([topic]) => topic);
          return (
            <li key={c.channel} className={`is-${c.consent ?? 'none'}`}>
              <ConsentIcon consent={c.consent} />
              <span>
                <strong>{channelName(c.channel)}</strong> {c.consent === null && mode ? notAskedWords(mode) : consentWords(c.consent)}
                {c.preferred && ' · preferred'}
                {c.bounced && (
                  <>
                    {' '}
                    <span className="wm-badge is-bounced" title="A message to this address bounced: sends skip it until a new address arrives.">
                      Bounced
                    </span>
                  </>
                )}
                <span className="wm-sub">{c.address ?? (c.channel === 'in-app' ? 'in the app' : 'no address')}</span>
                {left.length > 0 && <span className="wm-sub">Left topics: {left.join(', ')}</span>}
              </span>
            </li>
          );
        })}
      </ul>
    </header>
  );
}
