import type { CustomerList, SegmentSummary } from '@waymark/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { SegmentEnrollment, SegmentPicker } from './SegmentEnrollment.tsx';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useDebounced } from '../../components/use-debounced.ts';
import { markStatsStale } from '../stats/use-stats-poll.ts';
import { type Enrollee, enrollInBatches } from './enroll-in-batches.ts';
import { type EnrollmentCsv, enrollmentsFrom, type IdentifierKind, identifierWords, type RejectedRow, readEnrollmentCsv, rejectedCsv } from './read-enrollment-csv.ts';
import { customerCount } from '../../components/words.ts';

const count = new Intl.NumberFormat('en');

type Step =
  | { kind: 'choose' }
  | { kind: 'confirm'; enrollees: Enrollee[]; skipped: RejectedRow[] }
  | { kind: 'sending'; done: number; total: number }
  | { kind: 'done'; enrolled: number; notEntered: RejectedRow[] }
  | { kind: 'failed'; message: string; enrollees: Enrollee[]; skipped: RejectedRow[] }
  | { kind: 'segment'; segment: SegmentSummary };

/**
 * "Add customers" to a live journey that starts by API or by hand: pick them by search, from a
 * CSV file or a whole segment, confirm how many will enter, watch the progress, and read who did
 * not enter and why (downloadable as CSV). Re-entry rules are the journey's, applied by the server.
 */
export function AddCustomersDialog({ workspaceId, journeyId, journeyName, onClose }: { workspaceId: string; journeyId: string; journeyName: string; onClose(): void }) {
  const [tab, setTab] = useState<'search' | 'csv' | 'segment'>('search');
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const dialog = useRef<HTMLDivElement>(null);
  const busy = step.kind === 'sending';
  const back = useCallback(() => setStep({ kind: 'choose' }), []);
  useEffect(() => {
    dialog.current?.querySelector<HTMLElement>('input, button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !busy) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, busy]);

  const send = async (enrollees: Enrollee[], skipped: RejectedRow[]) => {
    setStep({ kind: 'sending', done: 0, total: enrollees.length });
    try {
      const result = await enrollInBatches(`/api/workspaces/${workspaceId}/journeys/${journeyId}/enrollments`, enrollees, (done) => setStep({ kind: 'sending', done, total: enrollees.length }));
      setStep({ kind: 'done', enrolled: result.enrolled, notEntered: [...skipped, ...result.notEntered].sort((a, b) => a.line - b.line) });
      markStatsStale();
    } catch (error) {
      setStep({ kind: 'failed', message: (error as Error).message, enrollees, skipped });
    }
  };

  return (
    <div className="wm-backdrop">
      <div className="wm-dialog wm-enroll" role="dialog" aria-modal="true" aria-labelledby="enroll-title" ref={dialog}>
        <h2 id="enroll-title">Add customers to “{journeyName}”</h2>
        {step.kind === 'choose' && (
          <>
            <div className="wm-enroll-tabs" role="tablist" aria-label="How to choose customers">
              <button type="button" role="tab" aria-selected={tab === 'search'} onClick={() => setTab('search')}>
                Find customers
              </button>
              <button type="button" role="tab" aria-selected={tab === 'csv'} onClick={() => setTab('csv')}>
                Upload a CSV file
              </button>
              <button type="button" role="tab" aria-selected={tab === 'segment'} onClick={() => setTab('segment')}>
                From a segment
              </button>
            </div>
            {tab === 'search' && <SearchPicker workspaceId={workspaceId} onCancel={onClose} onNext={(enrollees) => setStep({ kind: 'confirm', enrollees, skipped: [] })} />}
            {tab === 'csv' && <CsvPicker onCancel={onClose} onNext={(enrollees, skipped) => setStep({ kind: 'confirm', enrollees, skipped })} />}
            {tab === 'segment' && <SegmentPicker workspaceId={workspaceId} onCancel={onClose} onNext={(segment) => setStep({ kind: 'segment', segment })} />}
          </>
        )}
        {step.kind === 'segment' && <SegmentEnrollment workspaceId={workspaceId} journeyId={journeyId} journeyName={journeyName} segment={step.segment} onBack={back} onClose={onClose} />}
        {step.kind === 'confirm' && (
          <>
            <p>
              <strong>{customerCount(step.enrollees.length)}</strong> will enter “{journeyName}” now, and get its first steps at once. Anyone already in it, or not allowed back by its re-entry
              setting, is skipped and listed afterwards with the reason.
            </p>
            {step.skipped.length > 0 && (
              <p className="wm-muted">
                {count.format(step.skipped.length)} row{step.skipped.length === 1 ? '' : 's'} of the file cannot be sent ({step.skipped[0]!.reason.toLowerCase()}) and{' '}
                {step.skipped.length === 1 ? 'is' : 'are'} listed afterwards too.
              </p>
            )}
            <div className="wm-dialog-actions">
              <button type="button" onClick={() => setStep({ kind: 'choose' })}>
                Back
              </button>
              <button type="button" className="wm-primary" onClick={() => void send(step.enrollees, step.skipped)}>
                Add {customerCount(step.enrollees.length)}
              </button>
            </div>
          </>
        )}
        {step.kind === 'sending' && (
          <div role="status">
            <p>
              Adding customers… {count.format(step.done)} of {count.format(step.total)}
            </p>
            <progress max={step.total} value={step.done} aria-label="Customers added" />
          </div>
        )}
        {step.kind === 'failed' && (
          <>
            <ErrorAlert message={`Adding stopped: ${step.message} Customers already added stay in the journey; trying again adds only the others.`} />
            <div className="wm-dialog-actions">
              <button type="button" onClick={onClose}>
                Close
              </button>
              <button type="button" className="wm-primary" onClick={() => void send(step.enrollees, step.skipped)}>
                Try again
              </button>
            </div>
          </>
        )}
        {step.kind === 'done' && <Outcome enrolled={step.enrolled} notEntered={step.notEntered} journeyName={journeyName} onClose={onClose} />}
      </div>
    </div>
  );
}

const pageSize = 10;

/** Search the workspace's customers and tick the ones to add. */
function SearchPicker({ workspaceId, onNext, onCancel }: { workspaceId: string; onNext(enrollees: Enrollee[]): void; onCancel(): void }) {
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const settled = useDebounced(query);
  // With the offset it was read at, so the pager's range changes with the rows, not at the click.
  const [page, setPage] = useState<(CustomerList & { offset: number }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState(new Map<string, string>());
  useEffect(() => {
    let live = true;
    const params = new URLSearchParams({ limit: String(pageSize), offset: String(offset), ...(settled.trim() ? { q: settled.trim() } : {}) });
    api<CustomerList>('GET', `/api/workspaces/${workspaceId}/customers?${params}`)
      .then((list) => {
        if (!live) return;
        setPage({ ...list, offset });
        setError(null);
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [workspaceId, settled, offset]);
  const toggle = (id: string, label: string) => {
    const next = new Map(chosen);
    if (next.has(id)) next.delete(id);
    else next.set(id, label);
    setChosen(next);
  };
  return (
    <div role="tabpanel" aria-label="Find customers">
      <input
        type="search"
        className="wm-enroll-search"
        placeholder="Search by name, email, user id or trait"
        aria-label="Search customers"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOffset(0);
        }}
      />
      <ErrorAlert message={error} />
      {page && page.total === 0 && <p className="wm-muted">No customer matches “{settled}”.</p>}
      {page && page.items.length > 0 && (
        <ul className="wm-enroll-list">
          {page.items.map((c) => {
            const label = c.name ?? c.email ?? c.userId ?? c.id;
            return (
              <li key={c.id}>
                <label>
                  <input type="checkbox" checked={chosen.has(c.id)} onChange={() => toggle(c.id, label)} />
                  <span className="wm-enroll-name">{label}</span>
                  <span className="wm-muted">{[c.email !== label ? c.email : null, c.userId && c.userId !== label ? `user id ${c.userId}` : null].filter(Boolean).join(' · ')}</span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
      {page && <Pager offset={page.offset} limit={pageSize} total={page.total} onChange={setOffset} label="Customers" />}
      <div className="wm-dialog-actions">
        <span className="wm-enroll-chosen" role="status">
          {chosen.size ? `${customerCount(chosen.size)} selected` : 'Tick the customers to add'}
        </span>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="wm-primary" disabled={!chosen.size} onClick={() => onNext([...chosen].map(([id, label]) => ({ item: { customerId: id }, label })))}>
          Continue
        </button>
      </div>
    </div>
  );
}

/** Pick a CSV file, see its first rows, say which column names the customer, and whether the rest are properties. */
function CsvPicker({ onNext, onCancel }: { onNext(enrollees: Enrollee[], skipped: RejectedRow[]): void; onCancel(): void }) {
  const [file, setFile] = useState<(EnrollmentCsv & { data: string[][]; name: string }) | null>(null);
  const [identifier, setIdentifier] = useState<{ column: number; kind: IdentifierKind } | null>(null);
  const [withProperties, setWithProperties] = useState(true);
  const read = async (picked: File | undefined) => {
    if (!picked) return;
    const csv = readEnrollmentCsv(await picked.text());
    setFile({ ...csv, name: picked.name });
    setIdentifier(csv.identifier ?? (csv.columns.length ? { column: 0, kind: 'userId' } : null));
  };
  const plan = file && identifier && !file.problem ? enrollmentsFrom(file.data, file.columns, identifier, withProperties) : null;
  return (
    <div role="tabpanel" aria-label="Upload a CSV file">
      <p className="wm-muted">One customer per row, with a header row. A column with their user id, email or Waymark id says who they are; other columns can travel along as properties.</p>
      <label className="wm-enroll-file">
        <span className="wm-enroll-file-label">CSV file</span>
        <input type="file" accept=".csv,text/csv" onChange={(e) => void read(e.target.files?.[0])} />
      </label>
      {file?.problem && <ErrorAlert message={file.problem} />}
      {file && !file.problem && identifier && (
        <>
          <div className="wm-enroll-preview">
            <table className="wm-table">
              <caption>
                {file.name}: first {Math.min(5, file.rows)} of {count.format(file.rows)} rows
              </caption>
              <thead>
                <tr>
                  {file.columns.map((name, i) => (
                    <th key={i} className={i === identifier.column ? 'is-identifier' : undefined}>
                      {name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {file.sample.map((row, r) => (
                  <tr key={r}>
                    {file.columns.map((_, i) => (
                      <td key={i}>{row[i] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="wm-enroll-mapping">
            <label>
              Who is it?
              <select value={identifier.column} onChange={(e) => setIdentifier({ ...identifier, column: Number(e.target.value) })}>
                {file.columns.map((name, i) => (
                  <option key={i} value={i}>
                    {name || `Column ${i + 1}`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              holds their
              <select value={identifier.kind} onChange={(e) => setIdentifier({ ...identifier, kind: e.target.value as IdentifierKind })}>
                {(Object.keys(identifierWords) as IdentifierKind[]).map((kind) => (
                  <option key={kind} value={kind}>
                    {identifierWords[kind].toLowerCase()}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label className="wm-enroll-check">
            <input type="checkbox" checked={withProperties} onChange={(e) => setWithProperties(e.target.checked)} />
            <span>
              Pass the other columns along: messages can use them, e.g. <code className="wm-nowrap">{`{{ event.${file.columns.find((c, i) => i !== identifier.column && c) ?? 'coupon'} }}`}</code>
            </span>
          </label>
          {plan && (
            <p role="status">
              {customerCount(plan.items.length)} to add
              {plan.rejected.length > 0 &&
                `; ${count.format(plan.rejected.length)} row${plan.rejected.length === 1 ? '' : 's'} without ${identifierWords[identifier.kind].toLowerCase()} will be skipped`}
              .
            </p>
          )}
        </>
      )}
      <div className="wm-dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="wm-primary"
          disabled={!plan?.items.length}
          onClick={() =>
            plan &&
            onNext(
              plan.items.map(({ line, item }) => ({ item, line, label: String(item.userId ?? item.email ?? item.customerId) })),
              plan.rejected,
            )
          }
        >
          Continue
        </button>
      </div>
    </div>
  );
}

/** Who entered, and who did not with why, paged; the rows that did not enter as a CSV to fix and upload again. */
function Outcome({ enrolled, notEntered, journeyName, onClose }: { enrolled: number; notEntered: RejectedRow[]; journeyName: string; onClose(): void }) {
  const [offset, setOffset] = useState(0);
  const download = () => {
    const url = URL.createObjectURL(new Blob([rejectedCsv(notEntered)], { type: 'text/csv' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: 'not-added.csv' });
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <>
      <p role="status">
        <strong>{customerCount(enrolled)}</strong> entered “{journeyName}”.{notEntered.length > 0 && ` ${customerCount(notEntered.length)} did not:`}
      </p>
      {notEntered.length > 0 && (
        <>
          <table className="wm-table wm-enroll-outcome">
            <thead>
              <tr>
                <th>Row</th>
                <th>Customer</th>
                <th>Why not</th>
              </tr>
            </thead>
            <tbody>
              {notEntered.slice(offset, offset + pageSize).map((row) => (
                <tr key={`${row.line}-${row.identifier}`}>
                  <td className="wm-num">{row.line}</td>
                  <td>{row.identifier || '–'}</td>
                  <td>{row.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} limit={pageSize} total={notEntered.length} onChange={setOffset} label="Customers not added" />
        </>
      )}
      <div className="wm-dialog-actions">
        {notEntered.length > 0 && (
          <button type="button" onClick={download}>
            Download these rows (CSV)
          </button>
        )}
        <button type="button" className="wm-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </>
  );
}
