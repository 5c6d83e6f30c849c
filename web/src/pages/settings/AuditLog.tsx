import { type AuditEntry, AuditPage, type WorkspaceSummary } from '@waymark/shared';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Pager } from '../../components/Pager.tsx';
import { timeAgo } from '../../components/relative-time.ts';

const limit = 50;

/** What each recorded action means, in words. */
const actionText: Record<string, string> = {
  'journey.create': 'created the journey',
  'journey.import': 'imported the journey',
  'journey.duplicate': 'duplicated a journey as',
  'journey.update': 'edited the draft of',
  'journey.publish': 'published',
  'journey.pause': 'paused',
  'journey.resume': 'resumed',
  'journey.archive': 'archived',
  'key.create': 'created a key',
  'key.rotate': 'rotated a key',
  'key.revoke': 'revoked a key',
  'member.role': 'set the role of',
  'member.remove': 'removed',
  'workspace.create': 'created the workspace',
  'workspace.settings': 'changed workspace settings',
  'webhook-secret.reveal': 'revealed the webhook signing secret',
  'webhook-secret.rotate': 'rotated the webhook signing secret',
  'channel.test-send': 'sent a test on',
  'customer.delete': 'erased customer',
  'session.sign-in': 'signed in',
  'session.sign-in-failed': 'failed to sign in',
  'dead-letters.retry': 'retried set-aside work',
};

const filters: { value: string; text: string }[] = [
  { value: '', text: 'Everything' },
  { value: 'journey', text: 'Journeys' },
  { value: 'session', text: 'Sign-ins' },
  { value: 'member', text: 'People and roles' },
  { value: 'key', text: 'Keys' },
  { value: 'workspace', text: 'Settings' },
  { value: 'webhook-secret', text: 'Webhook secret' },
  { value: 'channel', text: 'Test sends' },
  { value: 'customer', text: 'Erasures' },
  { value: 'dead-letters', text: 'Failed processing' },
];

/** The entry's details in words: what changed (revisions, role, version), never raw JSON. */
function describe(entry: AuditEntry): string {
  const d = entry.details as Record<string, unknown>;
  if (entry.action === 'journey.update' && typeof d.saves === 'number') return `${d.saves} save${d.saves === 1 ? '' : 's'} (revision ${d.fromRevision}→${d.revision})`;
  if (entry.action === 'journey.publish') return `version ${d.version}`;
  if (entry.action === 'member.role') return `to ${d.role}`;
  if (entry.action === 'workspace.settings')
    return Object.entries(d)
      .map(([k, v]) => `${k === 'allowPrivateNetworks' ? 'webhooks to private addresses' : k}: ${v === true ? 'allowed' : v === false ? 'refused' : String(v)}`)
      .join(', ');
  if (entry.action === 'channel.test-send') return `${d.to ? `to ${d.to}: ` : ''}${d.result}`;
  if (entry.action.startsWith('session.')) return d.address ? `from ${d.address}` : '';
  if (entry.action === 'dead-letters.retry') return `${d.retried} item${d.retried === 1 ? '' : 's'}`;
  if (entry.action.startsWith('key.')) return [d.name, d.kind === 'write' ? 'write key' : d.kind === 'token' ? `API token (${d.role})` : null].filter(Boolean).join(', ');
  return '';
}

const who = (actor: string) =>
  actor
    .replace(/^user:/, '')
    .replace(/^token:/, 'API token ')
    .replace(/^system$/, 'Waymark');

/** Who did what and when in the workspace, newest first, filtered by kind, paged with a total. */
export function AuditLog({ workspace }: { workspace: WorkspaceSummary }) {
  // With the offset it was read at, so the pager's range changes with the rows, not at the click.
  const [page, setPage] = useState<(AuditPage & { offset: number }) | null>(null);
  const [offset, setOffset] = useState(0);
  const [action, setAction] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    const query = new URLSearchParams({ limit: String(limit), offset: String(offset), ...(action ? { action } : {}) });
    api('GET', `/api/workspaces/${workspace.id}/audit?${query}`).then(
      (body) => setPage({ ...AuditPage.parse(body), offset }),
      (e: Error) => setError(e.message),
    );
  }, [workspace.id, offset, action]);
  useEffect(load, [load]);
  return (
    <>
      <div className="wm-page-head">
        <p className="wm-lead">Every change to journeys, people, keys and settings, test sends and sign-ins, recorded as it happened.</p>
        <label>
          Show{' '}
          <select
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setOffset(0);
            }}
          >
            {filters.map((f) => (
              <option key={f.value} value={f.value}>
                {f.text}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorAlert message={error} />
      {page === null ? (
        <p className="wm-loading">Loading…</p>
      ) : page.total === 0 ? (
        <p className="wm-empty-state">Nothing recorded yet{action ? ' of this kind' : ''}.</p>
      ) : (
        <>
          <table className="wm-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((entry) => (
                <tr key={entry.id}>
                  <td title={timeAgo(entry.at).title}>{timeAgo(entry.at).text}</td>
                  <td>{who(entry.actor)}</td>
                  <td>
                    {actionText[entry.action] ?? entry.action}{' '}
                    {entry.targetName ? <strong>{entry.targetName}</strong> : entry.action.startsWith('member.') || entry.action.startsWith('channel.') ? entry.target : null}
                  </td>
                  <td>{describe(entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="wm-below">
            <Pager label="Audit log" offset={page.offset} limit={limit} total={page.total} onChange={setOffset} />
          </div>
        </>
      )}
    </>
  );
}
