import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { ColumnMappingTable } from './ColumnMappingTable.tsx';
import { type ColumnUse, guessMapping, mappingProblems } from './column-mapping.ts';
import { FilePreview } from './FilePreview.tsx';
import { type ImportTally, importInBatches, startTally } from './import-in-batches.ts';
import { ImportSummary } from './ImportSummary.tsx';
import { type CustomerCsv, maxImportFileRows, readCustomerCsv } from './read-customer-csv.ts';
import { useRowCheck } from './use-row-check.ts';
import './import-customers.css';

const count = new Intl.NumberFormat('en');
const rows = (n: number) => `${count.format(n)} row${n === 1 ? '' : 's'}`;
const firstProblems = 5;

type Step =
  | { kind: 'choose'; reading: boolean; problem: string | null }
  | { kind: 'map' }
  | { kind: 'confirm' }
  | { kind: 'importing' | 'failed' | 'done'; tally: ImportTally; sending: number[]; message?: string };

/**
 * "Import customers" from a CSV file: choose it, see its first rows and say what each column is
 * (guessed from the header), see how many rows are ready and the first problems, confirm, then
 * watch it go in calls of 1,000 with a progress bar; the summary lists rejected rows with why and
 * offers them as a CSV to fix. Rows are checked with the server's own function before sending.
 */
export function ImportCustomersDialog({ workspaceId, onClose }: { workspaceId: string; onClose(imported: boolean): void }) {
  const [step, setStep] = useState<Step>({ kind: 'choose', reading: false, problem: null });
  const [file, setFile] = useState<(CustomerCsv & { name: string }) | null>(null);
  const [mapping, setMapping] = useState<ColumnUse[]>([]);
  const check = useRowCheck(step.kind === 'map' || step.kind === 'confirm' ? file : null, mapping);
  const problems = useMemo(() => (file ? mappingProblems(file.columns, mapping) : []), [file, mapping]);
  const dialog = useRef<HTMLDivElement>(null);
  const busy = step.kind === 'importing';
  const imported = step.kind === 'done' || step.kind === 'failed';

  // biome-ignore lint/correctness/useExhaustiveDependencies: each step takes focus to its first control
  useEffect(() => {
    const within = (selector: string) => dialog.current?.querySelector<HTMLElement>(selector);
    (within('.wm-import-body:not([inert]) :is(input, select, button)') ?? within('.wm-import-actions button'))?.focus();
  }, [step.kind]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !busy) onClose(imported);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, busy, imported]);

  const read = async (picked: File | undefined) => {
    if (!picked) return;
    setStep({ kind: 'choose', reading: true, problem: null });
    const csv = await readCustomerCsv(picked);
    if (csv.problem) {
      setStep({ kind: 'choose', reading: false, problem: csv.problem });
      return;
    }
    setFile({ ...csv, name: picked.name });
    setMapping(guessMapping(csv.columns, csv.data.slice(0, 200)));
    setStep({ kind: 'map' });
  };

  const checked = check && check.checked === check.total ? check : null;
  const ready = checked ? checked.total - checked.problems.length : 0;
  const send = async (tally: ImportTally, sending: number[]) => {
    if (!file) return;
    setStep({ kind: 'importing', tally, sending });
    try {
      await importInBatches(`/api/workspaces/${workspaceId}/customers/import`, file, mapping, sending, tally, (next) => setStep({ kind: 'importing', tally: next, sending }));
      setStep({ kind: 'done', tally: { ...tally }, sending });
    } catch (error) {
      setStep({ kind: 'failed', tally: { ...tally }, sending, message: (error as Error).message });
    }
  };
  const start = () => {
    if (!file || !checked) return;
    const skipped = new Set(checked.problems.map((p) => p.index));
    const sending = file.data.flatMap((_, i) => (skipped.has(i) ? [] : [i]));
    void send({ ...startTally(), rejected: [...checked.problems] }, sending);
  };

  return (
    <div className="wm-backdrop">
      <div className="wm-dialog wm-import" role="dialog" aria-modal="true" aria-labelledby="import-title" ref={dialog}>
        <header className="wm-import-head">
          <h2 id="import-title">Import customers</h2>
          {file && step.kind !== 'choose' && (
            <p className="wm-muted">
              {file.name} · {rows(file.data.length)}
            </p>
          )}
        </header>
        {/* While the import is confirmed, the mapping it was checked with stays as it is. */}
        <div className="wm-import-body" inert={step.kind === 'confirm'}>
          {step.kind === 'choose' && (
            <>
              <p>
                A CSV file with a header row and one customer per row. A column with their user ID, email or phone says who each one is: rows for someone Waymark already knows update them (matched by
                user ID, then email, then phone), the others become new customers. Other columns become traits or consent. Up to {count.format(maxImportFileRows)} rows.
              </p>
              <label className="wm-import-file">
                <span>CSV file</span>
                <input type="file" accept=".csv,text/csv" disabled={step.reading} onChange={(e) => void read(e.target.files?.[0])} />
              </label>
              {step.reading && (
                <p role="status" className="wm-muted">
                  Reading the file…
                </p>
              )}
              <ErrorAlert message={step.problem} />
              <p className="wm-muted">
                For example: <code>user_id,email,phone,first_name,plan,signed_up,sms_opt_in</code>
              </p>
            </>
          )}
          {(step.kind === 'map' || step.kind === 'confirm') && file && (
            <>
              <h3>First rows</h3>
              <FilePreview columns={file.columns} data={file.data} mapping={mapping} />
              <h3>Columns</h3>
              <p className="wm-muted">Say what each column is. Empty cells change nothing; the user ID, email and phone match existing customers.</p>
              <ColumnMappingTable columns={file.columns} data={file.data} mapping={mapping} onChange={setMapping} />
              <CheckSummary total={file.data.length} check={check} problems={problems} />
            </>
          )}
          {step.kind === 'importing' && (
            <div role="status" className="wm-import-progress">
              <p>
                Importing customers… {count.format(step.tally.next)} of {rows(step.sending.length)}
              </p>
              <progress max={step.sending.length || 1} value={step.tally.next} aria-label="Rows imported" />
              <p className="wm-muted">Keep this tab open until the import finishes.</p>
            </div>
          )}
          {step.kind === 'failed' && (
            <ErrorAlert
              message={`The import stopped after ${count.format(step.tally.next)} of ${rows(step.sending.length)}: ${step.message} The rows before stay imported; Try again continues from there.`}
            />
          )}
          {step.kind === 'done' && file && <ImportSummary fileName={file.name} columns={file.columns} data={file.data} tally={step.tally} />}
        </div>
        {step.kind !== 'importing' && (
          <footer className="wm-dialog-actions wm-import-actions">
            {step.kind === 'choose' && (
              <button type="button" onClick={() => onClose(false)}>
                Cancel
              </button>
            )}
            {step.kind === 'map' && (
              <>
                <span className="wm-import-status" role="status">
                  {problems.length
                    ? 'Finish the columns first'
                    : checked
                      ? `${rows(ready)} ready${checked.problems.length ? ` · ${rows(checked.problems.length)} with problems will be skipped` : ''}`
                      : 'Checking rows…'}
                </span>
                <button type="button" onClick={() => setStep({ kind: 'choose', reading: false, problem: null })}>
                  Choose another file
                </button>
                <button type="button" className="wm-primary" disabled={!checked || !ready || problems.length > 0} onClick={() => setStep({ kind: 'confirm' })}>
                  Continue
                </button>
              </>
            )}
            {step.kind === 'confirm' && (
              <div className="wm-import-confirm">
                <p>
                  <strong>Import {rows(ready)}?</strong> Customers are created or updated at once. Segments follow their new traits and consent, and journeys that start when someone enters a segment
                  or matches its rules can start for them.
                  {checked && checked.problems.length > 0 && ` ${rows(checked.problems.length)} with problems are skipped and listed at the end.`}
                </p>
                <div className="wm-dialog-actions">
                  <button type="button" onClick={() => setStep({ kind: 'map' })}>
                    Back
                  </button>
                  <button type="button" className="wm-primary" onClick={start}>
                    Import {rows(ready)}
                  </button>
                </div>
              </div>
            )}
            {step.kind === 'failed' && (
              <>
                <button type="button" onClick={() => onClose(true)}>
                  Close
                </button>
                <button type="button" className="wm-primary" onClick={() => void send(step.tally, step.sending)}>
                  Try again
                </button>
              </>
            )}
            {step.kind === 'done' && (
              <button type="button" className="wm-primary" onClick={() => onClose(true)}>
                Done
              </button>
            )}
          </footer>
        )}
      </div>
    </div>
  );
}

/** How many rows are ready and the first problems, or what the mapping still needs. */
function CheckSummary({ total, check, problems }: { total: number; check: ReturnType<typeof useRowCheck>; problems: string[] }) {
  if (problems.length)
    return (
      <div className="wm-import-check is-bad" role="alert">
        <ul>
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      </div>
    );
  if (!check || check.checked < check.total)
    return (
      <div className="wm-import-check" role="status">
        <p>
          Checking rows… {count.format(check?.checked ?? 0)} of {count.format(total)}
        </p>
      </div>
    );
  const bad = check.problems.length;
  return (
    <div className={`wm-import-check${bad ? ' is-warn' : ''}`} role="status">
      <p>
        <strong>
          {count.format(total - bad)} of {rows(total)}
        </strong>{' '}
        {total - bad === 1 ? 'is' : 'are'} ready to import.
        {bad > 0 && ` ${rows(bad)} ${bad === 1 ? 'has a problem and is' : 'have problems and are'} skipped; after the import you can download ${bad === 1 ? 'it' : 'them'} to fix.`}
      </p>
      {bad > 0 && (
        <ul className="wm-import-problems">
          {check.problems.slice(0, firstProblems).map((problem) => (
            <li key={problem.index}>
              <span className="wm-import-row">Row {problem.index + 2}</span> {problem.reason}
            </li>
          ))}
          {bad > firstProblems && <li className="wm-muted">and {rows(bad - firstProblems)} more</li>}
        </ul>
      )}
    </div>
  );
}
