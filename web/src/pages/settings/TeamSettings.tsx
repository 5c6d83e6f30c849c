import { Member, type Role, type WorkspaceSummary } from '@waymark/shared';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { can } from '../../app/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';

const roles: { role: Role; text: string }[] = [
  { role: 'viewer', text: 'Viewer: reads everything' },
  { role: 'editor', text: 'Editor: also edits drafts' },
  { role: 'publisher', text: 'Publisher: also publishes and pauses' },
  { role: 'owner', text: 'Owner: also manages people, keys and settings' },
];

/** The people of the workspace and their roles; owners change roles and remove people (never the last owner). */
export function TeamSettings({ workspace }: { workspace: WorkspaceSummary }) {
  const base = `/api/workspaces/${workspace.id}/members`;
  const owner = can(workspace, 'owner');
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const load = useCallback(() => {
    api('GET', base).then(
      (body) => setMembers(Member.array().parse(body)),
      (e: Error) => setError(e.message),
    );
  }, [base]);
  useEffect(load, [load]);
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
    load();
  };
  return (
    <>
      <p className="wm-lead">Who works in {workspace.name}, and what each person may do. A workspace always keeps at least one owner.</p>
      <ErrorAlert message={error} />
      {members === null ? (
        <p className="wm-loading">Loading people…</p>
      ) : (
        <table className="wm-table">
          <thead>
            <tr>
              <th>Person</th>
              <th>Role</th>
              <th>
                <span className="wm-sr">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>
                  {m.name ? `${m.name} · ` : ''}
                  {m.email}
                </td>
                <td>
                  {owner ? (
                    <select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => void run(() => api('PUT', base, { email: m.email, role: e.target.value }))}>
                      {roles.map((r) => (
                        <option key={r.role} value={r.role}>
                          {r.text}
                        </option>
                      ))}
                    </select>
                  ) : (
                    roles.find((r) => r.role === m.role)?.text
                  )}
                </td>
                <td>
                  <div className="wm-row-actions">
                    {owner && (
                      <button type="button" onClick={() => setRemoving(m)}>
                        Remove
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.email}?`}
          confirmLabel="Remove"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const member = removing;
            setRemoving(null);
            void run(() => api('DELETE', `${base}/${encodeURIComponent(member.email)}`));
          }}
        >
          <p>They lose access to {workspace.name} at once. Their account stays, and what they did stays in the audit log.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
