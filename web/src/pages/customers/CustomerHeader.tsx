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
        {view.channels.map((c) => (
          <li key={c.channel} className={`is-${c.consent ?? 'none'}`}>
            <ConsentIcon consent={c.consent} />
            <span>
              <strong>{channelName(c.channel)}</strong> {consentWords(c.consent)}
              {c.preferred && ' · preferred'}
              <span className="wm-sub">{c.address ?? (c.channel === 'in-app' ? 'in the app' : 'no address')}</span>
            </span>
          </li>
        ))}
      </ul>
    </header>
  );
}
