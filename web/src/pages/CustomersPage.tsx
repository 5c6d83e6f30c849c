import { useEffect, useState } from 'react';
import type { WorkspaceSummary } from '@waymark/shared';
import { api } from '../api/client.ts';
import { navigateTo } from '../app/use-route.ts';

interface CustomerRow {
  id: string;
  userId: string | null;
  traits: Record<string, unknown>;
  updatedAt: string;
}
interface CustomerView {
  id: string;
  traits: Record<string, unknown>;
  channels: Record<string, { address?: string | null; consent?: string }>;
  preferredChannel: string | null;
  identities: { kind: string; value: string }[];
  events: { messageId: string; type: string; name: string | null; properties: Record<string, unknown>; timestamp: string }[];
  journeys: { id: string; journeyId: string; journeyName: string; version: number; status: string; nodeId: string | null; enteredAt: string; endedAt: string | null }[];
  messages: { id: string; nodeId: string; channel: string; to: string | null; status: string; error: string | null; createdAt: string; content: Record<string, unknown> }[];
}

/** Search by id, email, phone or trait; the single customer view. */
export function CustomersPage({ workspace, customerId }: { workspace: WorkspaceSummary; customerId: string | null }) {
  return customerId ? <CustomerDetail workspace={workspace} id={customerId} /> : <CustomerSearch workspace={workspace} />;
}

function CustomerSearch({ workspace }: { workspace: WorkspaceSummary }) {
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<CustomerRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      api<CustomerRow[]>('GET', `/api/workspaces/${workspace.id}/customers?q=${encodeURIComponent(q)}`).then(setRows, (e: Error) => setError(e.message));
    }, 200);
    return () => clearTimeout(timer);
  }, [q, workspace.id]);
  return (
    <section className="wm-page">
      <div className="wm-page-head">
        <h1>Customers</h1>
        <input type="search" aria-label="Search customers" placeholder="id, email, phone or trait value" value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
      {error && (
        <p role="alert" className="wm-error">
          {error}
        </p>
      )}
      {rows === null ? (
        <p className="wm-loading">Loading customers…</p>
      ) : rows.length === 0 ? (
        <div className="wm-empty">
          <p>{q ? `Nobody matches “${q}”.` : 'No customers yet. Send an identify or track call to /v1 with your write key (Settings shows it) and they appear here.'}</p>
        </div>
      ) : (
        <table className="wm-table">
          <thead>
            <tr>
              <th>Customer (user id)</th>
              <th>Traits</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`/customers/${r.id}`} onClick={navigateTo(`/customers/${r.id}`)}>
                    {r.userId ?? String(r.traits.email ?? r.traits.name ?? r.id)}
                  </a>
                </td>
                <td className="wm-mono">{JSON.stringify(r.traits).slice(0, 120)}</td>
                <td>{new Date(r.updatedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CustomerDetail({ workspace, id }: { workspace: WorkspaceSummary; id: string }) {
  const [view, setView] = useState<CustomerView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<CustomerView>('GET', `/api/workspaces/${workspace.id}/customers/${id}`).then(setView, (e: Error) => setError(e.message));
  }, [id, workspace.id]);
  if (error)
    return (
      <p role="alert" className="wm-error">
        {error}
      </p>
    );
  if (!view) return <p className="wm-loading">Loading the customer…</p>;
  return (
    <section className="wm-page wm-customer">
      <h1>{String(view.traits.email ?? view.identities[0]?.value ?? view.id)}</h1>
      <div className="wm-cards">
        <article>
          <h2>Profile</h2>
          <pre>{JSON.stringify(view.traits, null, 2)}</pre>
        </article>
        <article>
          <h2>Identities and consent</h2>
          <ul>
            {view.identities.map((i) => (
              <li key={`${i.kind}:${i.value}`}>
                {i.kind}: <code>{i.value}</code>
              </li>
            ))}
          </ul>
          <ul>
            {Object.entries(view.channels).map(([channel, c]) => (
              <li key={channel}>
                {channel}: {c.address ?? 'no address'} · {c.consent ?? 'default consent'}
                {view.preferredChannel === channel ? ' · preferred' : ''}
              </li>
            ))}
          </ul>
        </article>
        <article>
          <h2>Journeys</h2>
          {view.journeys.length === 0 ? (
            <p>Not in any journey yet.</p>
          ) : (
            <ul>
              {view.journeys.map((j) => (
                <li key={j.id}>
                  {j.journeyName} v{j.version}: {j.status}
                  {j.nodeId ? ` at ${j.nodeId}` : ''} (entered {new Date(j.enteredAt).toLocaleString()})
                </li>
              ))}
            </ul>
          )}
        </article>
      </div>
      <h2>Messages</h2>
      {view.messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <table className="wm-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Channel</th>
              <th>To</th>
              <th>Node</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {view.messages.map((m) => (
              <tr key={m.id}>
                <td>{new Date(m.createdAt).toLocaleString()}</td>
                <td>{m.channel}</td>
                <td>{m.to ?? '—'}</td>
                <td>{m.nodeId}</td>
                <td>
                  {m.status}
                  {m.error ? `: ${m.error}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Events</h2>
      {view.events.length === 0 ? (
        <p>No events yet.</p>
      ) : (
        <table className="wm-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Type</th>
              <th>Name</th>
              <th>Properties</th>
            </tr>
          </thead>
          <tbody>
            {view.events.map((e) => (
              <tr key={e.messageId}>
                <td>{new Date(e.timestamp).toLocaleString()}</td>
                <td>{e.type}</td>
                <td>{e.name ?? '—'}</td>
                <td className="wm-mono">{JSON.stringify(e.properties).slice(0, 160)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
