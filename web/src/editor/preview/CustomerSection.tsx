import { useCallback, useEffect, useState } from 'react';
import type { CustomerListItem, PreviewContext, TestCustomer, WorkspaceSummary } from '@waymark/shared';
import { can } from '../../app/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useDebounced } from '../../components/use-debounced.ts';
import { channelName, consentWords } from '../../components/words.ts';
import { ContextSection } from './ContextSection.tsx';
import { deleteTestCustomer, fetchTestCustomers, saveTestCustomer, searchCustomers } from './preview-api.ts';
import type { ContextOverrides, CustomerDraft } from './preview-draft.ts';
import { ProfileForm } from './ProfileForm.tsx';
import { previewSubject } from './use-preview-subject.ts';

interface Props {
  workspace: WorkspaceSummary;
  journeyId: string;
  customer: CustomerDraft;
  onCustomer(customer: CustomerDraft): void;
  context: PreviewContext | null;
  contextError: string | null;
  overrides: ContextOverrides;
  onOverrides(next: ContextOverrides): void;
  zone: string;
  traitNames: readonly string[];
}

/** "Ann · Europe/Istanbul · Email subscribed · SMS no choice recorded". */
function customerLine(customer: CustomerDraft, zone: string): string {
  const channels = Object.entries(customer.profile.channels)
    .filter(([, state]) => state?.address || state?.consent)
    .map(([channel, state]) => `${channelName(channel)} ${consentWords(state?.consent ?? null).toLowerCase()}`);
  return [zone, ...channels].join(' · ');
}

/**
 * Who the preview runs for: a saved test customer, a real customer found by id, email, phone or
 * trait (their profile and what the runtime knows of them), or one written here; saved, changed
 * and deleted by editors. Then the context the journey would decide from.
 */
export function CustomerSection({ workspace, journeyId, customer, onCustomer, context, contextError, overrides, onOverrides, zone, traitNames }: Props) {
  const [saved, setSaved] = useState<TestCustomer[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<CustomerListItem[] | null>(null);
  const [formKey, setFormKey] = useState(0);
  const search = useDebounced(query.trim());
  const editor = can(workspace, 'editor');

  const reload = useCallback(
    () =>
      fetchTestCustomers(workspace.id).then(
        (page) => setSaved(page.items),
        () => setSaved([]),
      ),
    [workspace.id],
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  useEffect(() => {
    if (!search) return setFound(null);
    let live = true;
    searchCustomers(workspace.id, search).then(
      (page) => live && setFound(page.items),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [search, workspace.id]);

  const replace = (next: CustomerDraft) => {
    onCustomer(next);
    setFormKey((k) => k + 1);
    setStatus(null);
    setError(null);
  };
  const choose = (value: string) => {
    if (value === 'written') return replace({ ...customer, source: 'written', id: null });
    const picked = saved.find((t) => `test:${t.id}` === value);
    if (picked) replace({ source: 'test', id: picked.id, name: picked.name, profile: picked.profile });
  };
  const pickReal = async (item: CustomerListItem) => {
    setError(null);
    try {
      const subject = await previewSubject(workspace.id, journeyId, 'real', item.id);
      const { id: _id, externalId: _external, ...profile } = subject.profile;
      replace({ source: 'real', id: item.id, name: subject.name || item.name || item.id, profile });
      setQuery('');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const save = async (asNew: boolean) => {
    setError(null);
    try {
      const stored = await saveTestCustomer(workspace.id, { name: customer.name, profile: customer.profile }, asNew ? undefined : (customer.id ?? undefined));
      onCustomer({ source: 'test', id: stored.id, name: stored.name, profile: stored.profile });
      setStatus(asNew ? `Saved “${stored.name}” as a test customer for this workspace.` : `Saved the changes to “${stored.name}”.`);
      await reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const remove = async () => {
    setDeleting(false);
    try {
      await deleteTestCustomer(workspace.id, customer.id!);
      onCustomer({ ...customer, source: 'written', id: null });
      setStatus(`Deleted the test customer “${customer.name}”; the preview keeps the profile as written here.`);
      await reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const selected = customer.source === 'written' || !customer.id ? 'written' : `${customer.source}:${customer.id}`;
  return (
    <div className="wm-pv-customer">
      <p className="wm-pv-who">
        <strong>{customer.name || 'Unnamed customer'}</strong>
        {customer.source === 'real' && <span className="wm-pv-tag">real customer</span>}
        {customer.source === 'test' && <span className="wm-pv-tag">test customer</span>}
        <span className="wm-pv-sub">{customerLine(customer, zone)}</span>
      </p>
      <div className="wm-pv-pick">
        <label className="wm-pv-field">
          <span className="wm-pv-label">Test customer</span>
          <select value={selected} onChange={(e) => choose(e.target.value)}>
            <option value="written">{customer.source === 'written' ? 'Written here' : 'Write one (start from this profile)'}</option>
            {customer.source === 'real' && <option value={selected}>Real: {customer.name}</option>}
            {saved.length > 0 && (
              <optgroup label="Saved test customers">
                {saved.map((t) => (
                  <option key={t.id} value={`test:${t.id}`}>
                    {t.name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        <label className="wm-pv-field">
          <span className="wm-pv-label">Or a real customer</span>
          <input type="search" placeholder="id, email, phone, trait" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
      </div>
      {found && (
        <ul className="wm-pv-found" aria-label="Real customers found">
          {found.length === 0 && <li className="wm-pv-hint">Nobody matches “{search}”.</li>}
          {found.map((item) => (
            <li key={item.id}>
              <button type="button" className="wm-pv-found-item" onClick={() => void pickReal(item)}>
                <strong>{item.name ?? item.userId ?? 'Anonymous visitor'}</strong>
                <span className="wm-pv-sub">{[item.email, item.userId].filter(Boolean).join(' · ')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <details className="wm-pv-change" open={customer.source === 'written' ? true : undefined}>
        <summary className="wm-pv-toggle">Profile</summary>
        <ProfileForm
          key={`${selected}:${formKey}`}
          name={customer.name}
          profile={customer.profile}
          traitNames={traitNames}
          onChange={({ name, profile }) => onCustomer({ ...customer, name, profile })}
        />
      </details>
      {editor && (
        <div className="wm-pv-actions">
          <button type="button" onClick={() => void save(true)}>
            Save as test customer
          </button>
          {customer.source === 'test' && customer.id && (
            <>
              <button type="button" onClick={() => void save(false)}>
                Save changes
              </button>
              <button type="button" className="wm-danger-link" onClick={() => setDeleting(true)}>
                Delete
              </button>
            </>
          )}
        </div>
      )}
      {status && (
        <p className="wm-pv-hint" role="status">
          {status}
        </p>
      )}
      <ErrorAlert message={error} />
      <h3 className="wm-pv-subhead">What else it decides from</h3>
      {context ? (
        <ContextSection context={context} overrides={overrides} onChange={onOverrides} zone={zone} real={customer.source === 'real'} />
      ) : (
        <p className="wm-pv-hint">Reading what Waymark knows…</p>
      )}
      {contextError && <p className="wm-pv-hint">Could not read the workspace’s caps and this customer’s history ({contextError}); previewing without them.</p>}
      {deleting && (
        <ConfirmDialog title={`Delete the test customer “${customer.name}”?`} confirmLabel="Delete" danger onConfirm={() => void remove()} onCancel={() => setDeleting(false)}>
          <p>It is removed for everyone in this workspace. Previews using it keep the profile as written.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
