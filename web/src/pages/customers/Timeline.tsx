import { type TimelineItem, TimelineKind, type TimelinePage } from '@waymark/shared';
import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fetchTimeline } from './customer-api.ts';
import { SkeletonLines } from '../../components/Skeleton.tsx';
import { TimelineRow } from './TimelineRow.tsx';

const kindNames: Record<TimelineKind, string> = { event: 'Events', journey: 'Journeys', message: 'Messages', consent: 'Consent', refusal: 'Refused entries' };
const dayFormat = new Intl.DateTimeFormat('en', { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' });

/** "Today", "Yesterday", or the date, in the viewer's zone. */
function dayName(at: string, now = new Date()): string {
  const day = new Date(at).toDateString();
  if (day === now.toDateString()) return 'Today';
  if (day === new Date(now.getTime() - 86_400_000).toDateString()) return 'Yesterday';
  return dayFormat.format(Date.parse(at));
}

/** Items under the day they happened, in order. */
function byDay(items: TimelineItem[]): [string, TimelineItem[]][] {
  const days: [string, TimelineItem[]][] = [];
  for (const item of items) {
    const name = dayName(item.at);
    const last = days[days.length - 1];
    if (last && last[0] === name) last[1].push(item);
    else days.push([name, [item]]);
  }
  return days;
}

/**
 * Everything that happened to the customer, newest first, under day headings: events, journey
 * entries and exits, messages, consent changes and refused entries; filtered by kind, and more
 * loaded on request.
 */
export function Timeline({
  workspaceId,
  customerId,
  first,
  onOpenMessage,
  onOpenRun,
}: {
  workspaceId: string;
  customerId: string;
  first: TimelinePage;
  onOpenMessage(messageId: string): void;
  onOpenRun(runId: string, journeyName: string): void;
}) {
  const [kinds, setKinds] = useState<TimelineKind[]>(TimelineKind.options);
  const [page, setPage] = useState<TimelinePage | null>(first);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const initial = useRef(true);
  useEffect(() => {
    // The view brought the first page of every kind; a change of kinds asks again from the top.
    if (initial.current) {
      initial.current = false;
      return;
    }
    let current = true;
    setPage(null);
    fetchTimeline(workspaceId, customerId, kinds).then(
      (next) => current && setPage(next),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [workspaceId, customerId, kinds]);
  const toggle = (kind: TimelineKind) => setKinds((current) => (current.includes(kind) ? current.filter((k) => k !== kind) : TimelineKind.options.filter((k) => k === kind || current.includes(k))));
  const loadMore = async () => {
    if (!page?.next) return;
    setLoadingMore(true);
    try {
      const more = await fetchTimeline(workspaceId, customerId, kinds, page.next);
      setPage({ items: [...page.items, ...more.items], next: more.next });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <section className="wm-panel wm-activity" aria-labelledby="activity-title">
      <div className="wm-panel-head">
        <h2 id="activity-title">Activity</h2>
        <fieldset className="wm-kind-filter">
          <legend className="wm-sr">Show</legend>
          {TimelineKind.options.map((kind) => (
            <button key={kind} type="button" aria-pressed={kinds.includes(kind)} onClick={() => toggle(kind)}>
              {kindNames[kind]}
            </button>
          ))}
        </fieldset>
      </div>
      <ErrorAlert message={error} />
      {kinds.length === 0 ? (
        <p className="wm-muted">Choose what to show: events, journeys, messages, consent or refused entries.</p>
      ) : page === null ? (
        <SkeletonLines lines={6} label="Loading activity" />
      ) : page.items.length === 0 ? (
        <p className="wm-muted">Nothing of this kind has happened to this customer yet.</p>
      ) : (
        <>
          <ol className="wm-timeline">
            {byDay(page.items).map(([day, items]) => (
              <li key={`${day}:${items[0]!.id}`} className="wm-timeline-day">
                <h3>{day}</h3>
                <ol>
                  {items.map((item) => (
                    <TimelineRow key={item.id} item={item} onOpenMessage={onOpenMessage} onOpenRun={onOpenRun} />
                  ))}
                </ol>
              </li>
            ))}
          </ol>
          {page.next && (
            <button type="button" className="wm-load-more" disabled={loadingMore} onClick={() => void loadMore()}>
              {loadingMore ? 'Loading…' : 'Load older activity'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
