import { useEffect, useState } from 'react';
import type { NodeCustomersPage } from '@waymark/shared';
import { api } from '../../api/client.ts';
import { navigateTo } from '../../app/use-route.ts';
import { Pager } from '../../components/Pager.tsx';
import { SkeletonLines } from '../../components/Skeleton.tsx';
import { timeAgo } from '../../components/relative-time.ts';
import { useDebounced } from '../../components/use-debounced.ts';
import { Drawer } from '../../pages/customers/Drawer.tsx';
import { customersNowIn } from './segment-words.ts';
import { useStats } from './stats-context.ts';
import { filterQuery, type StatsFilter } from './stats-filter.ts';
import { dueWords, durationWords, formatCount } from './stats-format.ts';
import type { StatsSnapshot, WhoState } from './stats-store.ts';
import { skipWords } from './stats-words.ts';

const pageSize = 25;
const selectCounted = (s: StatsSnapshot) => s.stats?.segment;
const tabLabels: Record<WhoState, string> = { waiting: 'Waiting', sent: 'Sent', skipped: 'Skipped', failed: 'Failed' };

/**
 * "Who is here": the customers waiting on a step now, or — for a send step — those it sent to,
 * skipped (with the reason in words) or failed over the filter's days; paged with the total, searchable;
 * with a segment in the filter, its customers only.
 */
export function WhoIsHereDrawer({
  workspaceId,
  journeyId,
  nodeId,
  name,
  isSend,
  state: initial,
  filter,
  zone,
  onClose,
}: {
  workspaceId: string;
  journeyId: string;
  nodeId: string;
  name: string;
  isSend: boolean;
  state: WhoState;
  filter: StatsFilter;
  zone: string;
  onClose(): void;
}) {
  const [state, setState] = useState<WhoState>(initial);
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<NodeCustomersPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const counted = useStats(selectCounted);
  const segment = filter.segment && counted?.id === filter.segment ? counted : null;
  useEffect(() => {
    let cancelled = false;
    setResult(null);
    const query = new URLSearchParams(filterQuery(filter, zone));
    query.set('state', state);
    query.set('page', String(page));
    query.set('pageSize', String(pageSize));
    if (q) query.set('q', q);
    api<NodeCustomersPage>('GET', `/api/workspaces/${workspaceId}/journeys/${journeyId}/nodes/${encodeURIComponent(nodeId)}/customers?${query}`).then(
      (r) => {
        if (cancelled) return;
        setResult(r);
        setError(null);
      },
      (e: Error) => {
        if (!cancelled) setError(e.message);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [workspaceId, journeyId, nodeId, state, page, q, filter, zone]);
  const tabs: WhoState[] = isSend ? ['waiting', 'sent', 'skipped', 'failed'] : ['waiting'];
  const now = Date.now();
  const when = (item: NodeCustomersPage['items'][number]) => {
    if (state === 'waiting') return `waiting ${durationWords(now - Date.parse(item.at))}${item.dueAt ? ` · due ${dueWords(item.dueAt, now)}` : ''}`;
    const ago = timeAgo(item.at, now).text;
    if (state === 'skipped') return `${item.reason ? skipWords(item.reason) : 'Skipped'} · ${ago}`;
    if (state === 'failed') return `${item.reason ?? 'Failed'} · ${ago}`;
    return `sent ${ago}`;
  };
  return (
    <Drawer title={`Who is here: ${name}`} onClose={onClose}>
      <div className="wm-here" data-testid="who-is-here">
        {tabs.length > 1 && (
          <fieldset className="wm-here-tabs">
            <legend className="wm-sr">Which customers</legend>
            {tabs.map((t) => (
              <button
                key={t}
                type="button"
                aria-pressed={state === t}
                onClick={() => {
                  setState(t);
                  setPage(1);
                }}
              >
                {tabLabels[t]}
              </button>
            ))}
          </fieldset>
        )}
        <input
          type="search"
          placeholder="Search by name, email or user ID"
          aria-label="Search customers"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setPage(1);
          }}
        />
        <p className="wm-stats-note">
          {state === 'waiting' ? 'Waiting on this step now, longest first.' : `${tabLabels[state]} over the days of the Stats tab, latest first.`}
          {segment && ` ${customersNowIn(segment)} only.`}
        </p>
        {error && (
          <p role="alert" className="wm-error">
            {error}
          </p>
        )}
        {!result && !error ? (
          <SkeletonLines lines={5} label="Loading customers" />
        ) : result && result.total === 0 ? (
          <p className="wm-empty">{q ? `Nobody here matches “${q}”.` : state === 'waiting' ? 'Nobody is waiting on this step right now.' : `Nobody was ${state} by this step in these days.`}</p>
        ) : result ? (
          <>
            <p className="wm-here-total">
              {formatCount(result.total)} customer{result.total === 1 ? '' : 's'}
            </p>
            <ul className="wm-here-list">
              {result.items.map((item) => (
                <li key={`${item.customerId}-${item.at}`}>
                  <a href={`/customers/${encodeURIComponent(item.customerId)}`} onClick={navigateTo(`/customers/${encodeURIComponent(item.customerId)}`)}>
                    {item.label}
                  </a>
                  <span className="wm-here-when" title={new Date(item.at).toLocaleString()}>
                    {when(item)}
                  </span>
                  {item.version && <span className="wm-here-version">v{item.version}</span>}
                </li>
              ))}
            </ul>
            <Pager offset={(result.page - 1) * pageSize} limit={pageSize} total={result.total} onChange={(offset) => setPage(offset / pageSize + 1)} label="Customers" />
          </>
        ) : null}
      </div>
    </Drawer>
  );
}
