import type { DeliveryEvent } from '@waymark/shared';

const words: Record<DeliveryEvent['kind'], string> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  opened: 'Opened',
  clicked: 'Clicked a link',
  failed: 'Failed',
  unsubscribed: 'Unsubscribed',
};
const when = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' });

/** What happened to a message, in time order, with absolute times in the viewer's zone. */
export function DeliveryHistory({ history }: { history: DeliveryEvent[] }) {
  return (
    <ol className="wm-history" aria-label="Delivery history">
      {history.map((event) => (
        <li key={event.kind} className={`is-${event.kind}`}>
          <time dateTime={event.at}>{when.format(Date.parse(event.at))}</time>
          <span>
            <strong>{words[event.kind]}</strong>
            {event.detail && <span className="wm-sub">{event.detail}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
