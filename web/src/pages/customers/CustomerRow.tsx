import type { CustomerListItem } from '@waymark/shared';
import { navigateTo } from '../../app/use-route.ts';
import { Time } from './Time.tsx';
import { traitText } from './TraitValue.tsx';

/** One customer in the list: who (name and email), user ID, a few traits as text, last seen, journeys now. */
export function CustomerRow({ customer }: { customer: CustomerListItem }) {
  const href = `/customers/${encodeURIComponent(customer.id)}`;
  return (
    <tr>
      <td>
        <a href={href} onClick={navigateTo(href)} className="wm-customer-name">
          {customer.name ?? 'Anonymous visitor'}
        </a>
        {customer.email && customer.email !== customer.name && <span className="wm-sub">{customer.email}</span>}
      </td>
      <td className="wm-ellipsis">{customer.userId ?? <span className="wm-muted">—</span>}</td>
      <td>
        {customer.traits.length ? (
          <span className="wm-chips">
            {customer.traits.map((t) => (
              <span key={t.name} className="wm-chip-small" title={`${t.name}: ${traitText(t.type, t.value)}`}>
                <span className="wm-muted">{t.name}</span> {traitText(t.type, t.value)}
              </span>
            ))}
          </span>
        ) : (
          <span className="wm-muted">—</span>
        )}
      </td>
      <td>
        <Time at={customer.lastSeenAt} />
      </td>
      <td className="wm-num">{customer.activeJourneys || <span className="wm-muted">0</span>}</td>
    </tr>
  );
}
