import type { WorkspaceSummary } from '@waymark/shared';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';

interface Key {
  id: string;
  kind: 'write' | 'token';
  role: string | null;
  name: string;
  prefix: string;
  createdAt: string;
}

/** Write keys (ingestion) and API tokens (management), for owners: create, rotate, revoke. */
export function KeysSettings({ workspace }: { workspace: WorkspaceSummary }) {
  const base = `/api/workspaces/${workspace.id}`;
  const [keys, setKeys] = useState<Key[] | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Key | null>(null);
  const load = useCallback(() => {
    api<Key[]>('GET', `${base}/keys`).then(setKeys, (e: Error) => setError(e.message));
  }, [base]);
  useEffect(load, [load]);
  const act = (fn: () => Promise<unknown>) => async () => {
    try {
      const result = (await fn()) as { secret?: string } | null;
      if (result?.secret) setSecret(result.secret);
      setError(null);
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <p className="wm-lead">Write keys send events from websites and apps (they are public: they only add data). API tokens manage journeys and customers from your own code.</p>
      <ErrorAlert message={error} />
      {secret && (
        <p className="wm-secret" role="status">
          New secret (shown once, copy it now): <code>{secret}</code>
        </p>
      )}
      {keys === null ? (
        <p className="wm-loading">Loading keys…</p>
      ) : (
        <table className="wm-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Role</th>
              <th>Starts with</th>
              <th>
                <span className="wm-sr">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>{k.kind === 'write' ? 'Write key (ingestion)' : 'API token'}</td>
                <td>{k.role ?? '—'}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>
                  <div className="wm-row-actions">
                    <button type="button" onClick={act(() => api('POST', `${base}/keys/${k.id}/rotate`))}>
                      Rotate
                    </button>
                    <button type="button" onClick={() => setRevoking(k)}>
                      Revoke
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="wm-row-actions wm-below">
        <button type="button" onClick={act(() => api('POST', `${base}/keys`, { kind: 'write', name: 'Write key' }))}>
          New write key
        </button>
        <button type="button" onClick={act(() => api('POST', `${base}/keys`, { kind: 'token', name: 'API token', role: 'editor' }))}>
          New API token (editor)
        </button>
      </div>
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke"
          danger
          onCancel={() => setRevoking(null)}
          onConfirm={() => {
            const key = revoking;
            setRevoking(null);
            void act(() => api('DELETE', `${base}/keys/${key.id}`))();
          }}
        >
          <p>Every call that uses it is refused from now on{revoking.kind === 'write' ? ': websites and apps sending events with it stop being heard' : ''}. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
