import { useCallback, useEffect, useState } from 'react';
import type { JourneySummary, WorkspaceSummary } from '@waymark/shared';
import { api } from '../api/client.ts';
import { navigate, navigateTo } from '../app/use-route.ts';
import { can } from '../app/session.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { JourneyStatus } from '../components/JourneyStatus.tsx';

/** Every journey of the workspace: status, version, customers in it, conversions; create, duplicate, archive, import, export. */
export function JourneysPage({ workspace }: { workspace: WorkspaceSummary }) {
  const base = `/api/workspaces/${workspace.id}/journeys`;
  const [journeys, setJourneys] = useState<JourneySummary[] | null>(null);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [archiving, setArchiving] = useState<JourneySummary | null>(null);
  const editor = can(workspace, 'editor');

  const load = useCallback(async () => {
    try {
      setJourneys(await api<JourneySummary[]>('GET', `${base}${query ? `?q=${encodeURIComponent(query)}` : ''}`));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [base, query]);
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
              <th>In journey</th>
              <th>Conversions</th>
              <th>Last edited</th>
              <th>
                <span className="wm-sr">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {journeys.map((j) => (
              <tr key={j.id}>
                <td>
                  <a href={`/journeys/${j.id}`} onClick={navigateTo(`/journeys/${j.id}`)}>
                    {j.name}
                  </a>
                </td>
                <td>
                  <JourneyStatus status={j.status} unpublishedChanges={j.unpublishedChanges} />
                </td>
                <td>{j.liveVersion ?? '—'}</td>
                <td>{j.activeCustomers.toLocaleString()}</td>
                <td>{j.conversions.toLocaleString()}</td>
                <td>
                  <time dateTime={j.updatedAt}>{new Date(j.updatedAt).toLocaleString()}</time>
                </td>
                <td className="wm-row-actions">
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
