import { RuleGroup, type SegmentEstimate, type SegmentMembers, type SegmentSummary, type WorkspaceSummary } from '@waymark/shared';
import { Download } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { type ApiFailure, api } from '../../api/client.ts';
import { can } from '../../app/session.ts';
import { navigate, navigateTo } from '../../app/use-route.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Pager } from '../../components/Pager.tsx';
import { timeAgo } from '../../components/relative-time.ts';
import { useDebounced } from '../../components/use-debounced.ts';
import { fieldChoices, fieldSuggestions, type SeenCatalog } from '../../editor/inspector/field-suggestions.ts';
import type { FieldError } from '../../editor/inspector/field-errors.ts';
import type { JsonSchema } from '../../editor/inspector/json-schema.ts';
import { SchemaForm } from '../../editor/inspector/SchemaForm.tsx';
import { ruleWords } from '../../editor/nodes/rule-words.ts';
import { capitalize, membersWords } from './SegmentsPage.tsx';

const count = new Intl.NumberFormat('en');
const empty: RuleGroup = { kind: 'group', match: 'all', rules: [] };

/** The JSON Schema of a rule group, for the generated form (the same rule widgets as conditions). */
const rulesSchema = (RuleGroup as unknown as { toJSONSchema(p: { io: 'input'; unrepresentable: 'any' }): object }).toJSONSchema({ io: 'input', unrepresentable: 'any' }) as JsonSchema;

/**
 * A segment's name, description and rules, with how many customers match while the rules change
 * (exact in small workspaces, else estimated from a sample) and who; once saved, its members as
 * they stand, paged, and the progress while they are worked out.
 */
export function SegmentEditor({ workspace, id }: { workspace: WorkspaceSummary; id: string | null }) {
  const base = `/api/workspaces/${workspace.id}/segments`;
  const [saved, setSaved] = useState<SegmentSummary | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [rules, setRules] = useState<RuleGroup>(empty);
  const [others, setOthers] = useState<SegmentSummary[]>([]);
  const [catalog, setCatalog] = useState<SeenCatalog | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const readOnly = !can(workspace, 'editor');

  useEffect(() => {
    api<SeenCatalog>('GET', `/api/workspaces/${workspace.id}/customers/catalog`).then(setCatalog, () => {});
    api<SegmentSummary[]>('GET', base).then(
      (list) => setOthers(list.filter((s) => s.id !== id)),
      () => {},
    );
    if (!id) return;
    api<SegmentSummary>('GET', `${base}/${id}`).then(
      (segment) => {
        setSaved(segment);
        setName(segment.name);
        setDescription(segment.description ?? '');
        setRules(segment.rules);
      },
      (e: Error) => setError({ message: e.message }),
    );
  }, [base, id, workspace.id]);

  // While members are worked out, the progress follows.
  useEffect(() => {
    if (!saved?.build) return;
    const timer = setTimeout(() => api<SegmentSummary>('GET', `${base}/${saved.id}`).then(setSaved, () => {}), 1_000);
    return () => clearTimeout(timer);
  }, [base, saved]);

  const suggest = useMemo(() => fieldSuggestions(rules, catalog), [rules, catalog]);
  const choices = useMemo(() => fieldChoices({ traits: [], events: {}, segments: others }), [others]);
  const errors: FieldError[] = error?.field?.startsWith('rules.') ? [{ path: error.field.slice('rules.'.length), message: error.message.replace(/^"[^"]*": /, '') }] : [];

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const body = { name, ...(description.trim() ? { description: description.trim() } : {}), rules };
      const segment = saved ? await api<SegmentSummary>('PUT', `${base}/${saved.id}`, { ...body, revision: saved.revision }) : await api<SegmentSummary>('POST', base, body);
      setSaved(segment);
      if (!saved) navigate(`/segments/${segment.id}`);
    } catch (e) {
      const failure = e as ApiFailure;
      setError({ message: failure.message, field: (failure.details as { field?: string } | undefined)?.field });
    } finally {
      setSaving(false);
    }
  };
  const remove = async () => {
    setDeleting(false);
    try {
      await api('DELETE', `${base}/${saved!.id}`);
      navigate('/segments');
    } catch (e) {
      setError({ message: (e as Error).message });
    }
  };
  const nameOf = (segmentId: string) => others.find((s) => s.id === segmentId)?.name;
  const changed = saved && (name !== saved.name || description !== (saved.description ?? '') || JSON.stringify(rules) !== JSON.stringify(saved.rules));

  return (
    <section className="wm-page wm-segment">
      <a className="wm-back" href="/segments" onClick={navigateTo('/segments')}>
        ← Segments
      </a>
      <div className="wm-segment-head">
        <input
          className="wm-segment-name"
          aria-label="Segment name"
          placeholder="Name the segment, e.g. Bought in the last 7 days"
          value={name}
          readOnly={readOnly}
          onChange={(e) => setName(e.target.value)}
        />
        {saved && <span className="wm-count">{membersWords(saved)}</span>}
      </div>
      <input
        className="wm-segment-description"
        aria-label="Description"
        placeholder="What it is for (optional)"
        value={description}
        readOnly={readOnly}
        onChange={(e) => setDescription(e.target.value)}
      />
      <ErrorAlert message={error && !errors.length ? error.message : null} />
      <div className="wm-segment-body">
        <div className="wm-panel wm-segment-rules">
          <h2>Who is in it</h2>
          <p className="wm-segment-words">{rules.rules.length ? sentence(capitalize(ruleWords(rules, undefined, nameOf))) : 'Everyone, until you add rules.'}</p>
          <SchemaForm schema={rulesSchema} value={rules} onChange={(next) => setRules(next as RuleGroup)} errors={errors} readOnly={readOnly} idPrefix="segment" suggest={suggest} choices={choices} />
          {!readOnly && (
            <div className="wm-dialog-actions">
              {saved && (
                <button type="button" className="wm-danger" onClick={() => setDeleting(true)}>
                  Delete
                </button>
              )}
              <button type="button" className="wm-primary" disabled={saving || !name.trim() || (saved !== null && !changed)} onClick={() => void save()}>
                {saved ? 'Save changes' : 'Create segment'}
              </button>
            </div>
          )}
        </div>
        <div className="wm-segment-side">
          {(!id || saved) && <Estimate base={base} rules={rules} />}
          {saved && <Members base={base} segment={saved} />}
        </div>
      </div>
      {deleting && saved && (
        <ConfirmDialog title={`Delete “${saved.name}”?`} confirmLabel="Delete" danger onCancel={() => setDeleting(false)} onConfirm={() => void remove()}>
          <p>
            Its {count.format(saved.members)} member{saved.members === 1 ? '' : 's'} stay customers; only the segment goes. Journeys and segments that use it must be changed first.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The rules' words as a sentence; words still waiting for a field ("Plan is …") take no second stop. */
const sentence = (words: string) => (words.endsWith('…') ? words : `${words}.`);

/** How many customers the rules match now, and a few of them, asked again a moment after each change. */
function Estimate({ base, rules }: { base: string; rules: RuleGroup }) {
  const settled = useDebounced(rules, 400);
  const [estimate, setEstimate] = useState<SegmentEstimate | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api<SegmentEstimate>('POST', `${base}/estimate`, { rules: settled }).then(
      (next) => {
        if (!live) return;
        setEstimate(next);
        setError(null);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [base, settled]);
  return (
    <div className="wm-panel" aria-live="polite">
      <h2>Matching now</h2>
      {error ? (
        <p className="wm-muted">{error}</p>
      ) : estimate ? (
        <>
          <p className="wm-segment-estimate">
            <strong>
              {estimate.exact ? '' : 'About '}
              {count.format(estimate.matching)}
            </strong>{' '}
            of {count.format(estimate.total)} customers
            {!estimate.exact && <span className="wm-sub">Estimated from {count.format(estimate.checked)} customers; saving works it out for everyone.</span>}
          </p>
          {estimate.sample.length > 0 && (
            <ul className="wm-segment-sample">
              {estimate.sample.map((c) => (
                <li key={c.customerId}>
                  <a href={`/customers/${c.customerId}`} onClick={navigateTo(`/customers/${c.customerId}`)}>
                    {c.name ?? c.email ?? c.userId ?? 'Anonymous visitor'}
                  </a>
                  {c.email && c.email !== c.name && <span className="wm-muted"> · {c.email}</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="wm-muted">Counting…</p>
      )}
    </div>
  );
}

const pageSize = 10;

/** The members as they stand, newest first, paged with the total; the progress while they are worked out. */
function Members({ base, segment }: { base: string; segment: SegmentSummary }) {
  const [offset, setOffset] = useState(0);
  // With the offset it was read at, so the pager's range changes with the rows, not at the click.
  const [page, setPage] = useState<(SegmentMembers & { offset: number }) | null>(null);
  useEffect(() => {
    let live = true;
    api<SegmentMembers>('GET', `${base}/${segment.id}/members?limit=${pageSize}&offset=${offset}`).then(
      (next) => live && setPage({ ...next, offset }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [base, segment, offset]);
  return (
    <div className="wm-panel">
      <h2>Members</h2>
      {segment.build && (
        <div role="status">
          <p className="wm-muted">
            Working out who is in it: {count.format(segment.build.scanned)} of {count.format(segment.build.total)} customers checked.
          </p>
          <progress max={segment.build.total || 1} value={segment.build.scanned} aria-label="Customers checked" />
        </div>
      )}
      {page && page.total === 0 && !segment.build && <p className="wm-muted">Nobody matches yet. Members join as their events and profiles change.</p>}
      {page && page.items.length > 0 && (
        <table className="wm-table">
          <thead>
            <tr>
              <th>Customer</th>
              <th>In since</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((m) => {
              const since = timeAgo(m.enteredAt);
              return (
                <tr key={m.customerId}>
                  <td>
                    <a href={`/customers/${m.customerId}`} onClick={navigateTo(`/customers/${m.customerId}`)}>
                      {m.name ?? m.email ?? m.userId ?? 'Anonymous visitor'}
                    </a>
                  </td>
                  <td title={since.title}>{since.text}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {page && <Pager offset={page.offset} limit={pageSize} total={page.total} onChange={setOffset} label="Members" />}
      {page && page.total > 0 && (
        // Streamed by the server (every member, with their traits), so a large segment never sits in the page.
        <a className="wm-button-like wm-csv" href={`${base}/${segment.id}/members.csv`} download>
          <Download aria-hidden size={14} /> Export CSV
        </a>
      )}
    </div>
  );
}
