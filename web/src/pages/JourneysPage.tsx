import { useCallback, useEffect, useState } from 'react';
import type { JourneySummary, WorkspaceSummary } from '@waymark/shared';
import { api } from '../api/client.ts';
import { navigate, navigateTo } from '../app/use-route.ts';
import { can } from '../app/session.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { JourneyStatus } from '../components/JourneyStatus.tsx';
import { timeAgo } from '../components/relative-time.ts';
import { Sparkline } from '../components/charts/Sparkline.tsx';
import { formatCount, formatShare } from '../editor/stats/stats-format.ts';
import { addDays, todayIn } from '../editor/stats/stats-filter.ts';

/** Every journey of the workspace: status, version, the live version's numbers over 7, 30 or 90 days with entries per day; create, duplicate, archive, import, export. */
export function JourneysPage({ workspace }: { workspace: WorkspaceSummary }) {
  const base = `/api/workspaces/${workspace.id}/journeys`;
  const [journeys, setJourneys] = useState<JourneySummary[] | null>(null);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [archiving, setArchiving] = useState<JourneySummary | null>(null);
  const editor = can(workspace, 'editor');
  const [days, setDays] = useState(30);
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => {
    api<{ timeZone?: string }>('GET', `/api/workspaces/${workspace.id}/settings`).then(
      (settings) => setZone(settings.timeZone || 'UTC'),
      () => setZone('UTC'),
    );
  }, [workspace.id]);

  const load = useCallback(async () => {
    if (!zone) return;
    const to = todayIn(zone);
    const params = new URLSearchParams({ from: addDays(to, -(days - 1)), to, ...(query ? { q: query } : {}) });
    try {
      setJourneys(await api<JourneySummary[]>('GET', `${base}?${params}`));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [base, query, days, zone]);
  useEffect(() => {
    void load();
  }, [load]);

  const run = (action: () => Promise<unknown>) => async () => {
    try {
      await action();
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const create = run(async () => {
    // An empty canvas: the palette's first item, the trigger, is where a journey starts.
    const created = await api<{ id: string }>('POST', base, { name: 'Untitled journey', document: { schemaVersion: 1, id: 'new', name: 'Untitled journey', graph: { nodes: [], edges: [] } } });
    navigate(`/journeys/${created.id}`);
  });
  const importFile = (file: File) =>
    void run(async () => {
      const document = JSON.parse(await file.text()) as unknown;
      const created = await api<{ id: string }>('POST', `${base}/import`, { document });
      navigate(`/journeys/${created.id}`);
    })();

  return (
    <section className="wm-page">
      <div className="wm-page-head">
        <h1>Journeys</h1>
        <input type="search" placeholder="Search journeys" aria-label="Search journeys" value={query} onChange={(e) => setQuery(e.target.value)} />
        <label className="wm-journeys-range">
          Numbers of the live version over
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={7}>the last 7 days</option>
            <option value={30}>the last 30 days</option>
            <option value={90}>the last 90 days</option>
          </select>
        </label>
        {editor && (
          <>
            <label className="wm-button-like">
              Import JSON
              <input type="file" accept="application/json,.json" hidden onChange={(e) => e.target.files?.[0] && importFile(e.target.files[0])} />
            </label>
            <button type="button" className="wm-primary" onClick={() => void create()}>
              New journey
            </button>
          </>
        )}
      </div>
      {error && (
        <p role="alert" className="wm-error">
          {error}
        </p>
      )}
      {journeys === null ? (
        <p className="wm-loading">Loading journeys…</p>
      ) : journeys.length === 0 ? (
        <div className="wm-empty">
          <p>{query ? `No journey matches “${query}”.` : 'No journeys yet.'}</p>
          {editor && !query && (
            <p>
              Start one with <strong>New journey</strong>, or import a JSON file (the examples folder has six).
            </p>
          )}
        </div>
      ) : (
        <table className="wm-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Version</th>
              <th className="wm-num">In journey now</th>
              <th className="wm-num">Entered</th>
              <th className="wm-num">Conversions</th>
              <th>Entries per day</th>
              <th>Last edited</th>
              <th>
                <span className="wm-sr">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {journeys.map((j) => (
              <tr key={j.id}>
                <td className="wm-journey-name">
                  <a href={`/journeys/${j.id}`} onClick={navigateTo(`/journeys/${j.id}`)}>
                    {j.name}
                  </a>
                </td>
                <td>
                  <JourneyStatus status={j.status} unpublishedChanges={j.unpublishedChanges} />
                </td>
                <td>{j.liveVersion ?? '—'}</td>
                <td className="wm-num">{formatCount(j.activeCustomers)}</td>
                <td className="wm-num">{j.live ? formatCount(j.live.entered) : '—'}</td>
                <td className="wm-num" title={j.live ? `${formatCount(j.live.converted)} of ${formatCount(j.live.entered)} entries converted` : undefined}>
                  {j.live ? (
                    <>
                      {formatCount(j.live.converted)} <span className="wm-rate">{formatShare(j.live.converted, j.live.entered)}</span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{j.live ? <Sparkline points={j.live.entriesByDay} label={`${j.name}: entries per day`} /> : <span className="wm-muted">Not published</span>}</td>
                <td className="wm-nowrap">
                  <time dateTime={j.updatedAt} title={timeAgo(j.updatedAt).title}>
                    {timeAgo(j.updatedAt).text}
                  </time>
                </td>
                <td>
                  <div className="wm-row-actions">
                    {j.live && (
                      <a href={`/journeys/${j.id}/report`} onClick={navigateTo(`/journeys/${j.id}/report`)}>
                        Report
                      </a>
                    )}
                    <a href={`${base}/${j.id}/export`} download={`${j.id}.json`}>
                      Export
                    </a>
                    {editor && (
                      <button type="button" onClick={run(() => api('POST', `${base}/${j.id}/duplicate`))}>
                        Duplicate
                      </button>
                    )}
                    {can(workspace, 'publisher') && (
                      <button type="button" onClick={() => setArchiving(j)}>
                        Archive
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {archiving && (
        <ConfirmDialog
          title={`Archive “${archiving.name}”?`}
          confirmLabel="Archive"
          danger
          onCancel={() => setArchiving(null)}
          onConfirm={() => {
            const journey = archiving;
            setArchiving(null);
            void run(() => api('DELETE', `${base}/${journey.id}`))();
          }}
        >
          <p>
            {archiving.activeCustomers > 0
              ? `${count.format(archiving.activeCustomers)} customer${archiving.activeCustomers === 1 ? ' is' : 's are'} in it now: they finish the journey as it was published. `
              : ''}
            Nobody new enters, and it leaves this list; its versions and numbers stay readable.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

const count = new Intl.NumberFormat('en');
