import { useCallback, useEffect, useState } from 'react';
import type { WorkspaceSummary } from '@waymark/shared';
import { api } from '../api/client.ts';
import { can } from '../app/session.ts';
import { ChannelTests } from './ChannelTests.tsx';

interface Key {
  id: string;
  kind: 'write' | 'token';
  role: string | null;
  name: string;
  prefix: string;
  createdAt: string;
}

/** Write keys and API tokens (owners), and the channels Waymark can send on. */
export function SettingsPage({ workspace }: { workspace: WorkspaceSummary }) {
  const base = `/api/workspaces/${workspace.id}`;
  const [keys, setKeys] = useState<Key[] | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const owner = can(workspace, 'owner');
  const load = useCallback(() => {
    if (owner) api<Key[]>('GET', `${base}/keys`).then(setKeys, (e: Error) => setError(e.message));
  }, [base, owner]);
  useEffect(load, [load]);
  const act = (fn: () => Promise<{ secret?: string } | unknown>) => async () => {
    try {
      const result = (await fn()) as { secret?: string } | null;
      if (result?.secret) setSecret(result.secret);
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="wm-page">
      <h1>Settings</h1>
      {error && (
        <p role="alert" className="wm-error">
          {error}
        </p>
      )}
      <h2>Keys</h2>
      {!owner ? (
        <p>Only owners see and manage keys.</p>
      ) : (
        <>
          {secret && (
            <p className="wm-secret" role="status">
              New secret (shown once): <code>{secret}</code>
            </p>
          )}
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
              {(keys ?? []).map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>{k.kind === 'write' ? 'Write key (ingestion)' : 'API token'}</td>
                  <td>{k.role ?? '—'}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td className="wm-row-actions">
                    <button type="button" onClick={act(() => api('POST', `${base}/keys/${k.id}/rotate`))}>
                      Rotate
                    </button>
                    <button type="button" onClick={() => confirm(`Revoke “${k.name}”? Calls using it fail from now on.`) && void act(() => api('DELETE', `${base}/keys/${k.id}`))()}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="wm-row-actions">
            <button type="button" onClick={act(() => api('POST', `${base}/keys`, { kind: 'write', name: 'Write key' }))}>
              New write key
            </button>
            <button type="button" onClick={act(() => api('POST', `${base}/keys`, { kind: 'token', name: 'API token', role: 'editor' }))}>
              New API token (editor)
            </button>
          </div>
        </>
      )}
      <h2>Channels</h2>
      <p>
        Without a provider, a channel delivers to the <strong>sandbox</strong>: each message is recorded and visible on its customer, and nothing leaves the machine.
      </p>
      <ChannelTests workspace={workspace} />
    </section>
  );
}
