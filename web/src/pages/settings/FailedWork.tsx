import { type DeadLetter, DeadLetterList, type WorkspaceSummary } from '@waymark/shared';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { can } from '../../app/session.ts';
import { navigateTo } from '../../app/use-route.ts';
import { Pager } from '../../components/Pager.tsx';
import { timeAgo } from '../../components/relative-time.ts';

const limit = 50;
const kindText: Record<DeadLetter['kind'], string> = { event: 'Event', timer: 'Wait or timer', delivery: 'Message delivery' };
/** What the item is, by the name its workspace knows: "“Signed Up”", "wait in Welcome", "email of Welcome". */
const what = (item: DeadLetter) => (typeof item.payload.label === 'string' ? (item.kind === 'event' ? `“${item.payload.label}”` : item.payload.label) : `#${item.ref.slice(0, 8)}`);

/**
 * Work Waymark set aside after it failed on its own (a poison event, a timer or a delivery that
 * kept failing), so every other customer kept moving; retried here once the cause is fixed.
 */
export function FailedWork({ workspace }: { workspace: WorkspaceSummary }) {
  const base = `/api/workspaces/${workspace.id}/dead-letters`;
  // With the offset it was read at, so the pager's range changes with the rows, not at the click.
  const [list, setList] = useState<(DeadLetterList & { offset: number }) | null>(null);
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const mayRetry = can(workspace, 'publisher');
  const load = useCallback(() => {
    api('GET', `${base}?limit=${limit}&offset=${offset}`).then(
      (body) => setList({ ...DeadLetterList.parse(body), offset }),
      (e: Error) => setMessage({ ok: false, text: e.message }),
    );
  }, [base, offset]);
  useEffect(load, [load]);
  const retry = async (ids: number[] | 'all') => {
    try {
      const { retried } = await api<{ retried: number }>('POST', `${base}/retry`, { ids });
      setMessage({ ok: true, text: `${retried} item${retried === 1 ? '' : 's'} sent back to work. Anything that fails again comes back here.` });
      setSelected(new Set());
      load();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  return (
    <>
      <p className="wm-lead">
        When one event, wait or message keeps failing on its own, Waymark sets it aside after three tries so every other customer keeps moving. Fix the cause (a journey’s template, a receiving
        server), then retry.
      </p>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'wm-ok' : 'wm-error'}>
          {message.text}
        </p>
      )}
      {list === null ? (
        <p className="wm-loading">Loading…</p>
      ) : list.total === 0 ? (
        <p className="wm-empty-state">Nothing is set aside: every event, wait and message was processed.</p>
      ) : (
        <>
          <p className="wm-summary">
            {(Object.keys(kindText) as DeadLetter['kind'][]).map((kind) => (
              <span key={kind} className="wm-chip">
                {kindText[kind]}: <strong>{list.open[kind] ?? 0}</strong>
              </span>
            ))}
          </p>
          <table className="wm-table">
            <thead>
              <tr>
                {mayRetry && (
                  <th>
                    <span className="wm-sr">Select</span>
                  </th>
                )}
                <th>What</th>
                <th>Customer</th>
                <th>Why it failed</th>
                <th>Tries</th>
                <th>Set aside</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((item) => (
                <tr key={item.id}>
                  {mayRetry && (
                    <td>
                      <input type="checkbox" aria-label={`Select ${what(item)}`} checked={selected.has(item.id)} onChange={() => toggle(item.id)} />
                    </td>
                  )}
                  <td>
                    {kindText[item.kind]}: {what(item)}
                  </td>
                  <td>
                    {item.customerId ? (
                      <a href={`/customers/${item.customerId}`} onClick={navigateTo(`/customers/${item.customerId}`)}>
                        Open customer
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="wm-why">
                    {String(item.error.message ?? 'unknown error')}
                    {item.error.sqlState ? <span className="wm-note"> (database error {String(item.error.sqlState)})</span> : null}
                  </td>
                  <td>{item.attempts}</td>
                  <td title={timeAgo(item.failedAt).title}>{timeAgo(item.failedAt).text}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="wm-row-actions wm-below">
            {mayRetry && (
              <>
                <button type="button" disabled={selected.size === 0} onClick={() => void retry([...selected])}>
                  Retry selected ({selected.size})
                </button>
                <button type="button" className="wm-primary" onClick={() => void retry('all')}>
                  Retry all {list.total}
                </button>
              </>
            )}
            <Pager label="Set-aside items" offset={list.offset} limit={limit} total={list.total} onChange={setOffset} />
          </div>
        </>
      )}
    </>
  );
}
