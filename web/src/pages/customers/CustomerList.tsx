import type { CustomerList as CustomerPage, CustomerListQuery, JourneySummary, WorkspaceSummary } from '@waymark/shared';
import { useEffect, useMemo, useState } from 'react';
import { can } from '../../app/session.ts';
import { navigateTo } from '../../app/use-route.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Pager } from '../../components/Pager.tsx';
import { CustomerFilters } from './CustomerFilters.tsx';
import { CustomerRow } from './CustomerRow.tsx';
import { ImportCustomersDialog } from './import/ImportCustomersDialog.tsx';
import { fetchCatalog, fetchCustomers, fetchJourneys } from './customer-api.ts';
import { SkeletonRows } from '../../components/Skeleton.tsx';
import { useDebounced } from '../../components/use-debounced.ts';
import { useListFilters } from './use-list-filters.ts';

const limit = 50;
const count = new Intl.NumberFormat('en');

/** Every customer of the workspace, a page at a time with the total, filtered by text, trait, journey and consent. */
export function CustomerList({ workspace }: { workspace: WorkspaceSummary }) {
  const [filters, setFilters] = useListFilters();
  // With the offset it was read at, so the pager's range changes with the rows, not at the click.
  const [page, setPage] = useState<(CustomerPage & { offset: number }) | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [traits, setTraits] = useState<string[]>([]);
  const [journeys, setJourneys] = useState<JourneySummary[]>([]);
  const [importing, setImporting] = useState(false);
  // Bumped when an import closes, so the list reads the new customers.
  const [loads, setLoads] = useState(0);
  // Memoized: a new object every render would restart the debounce and refetch the list every 250 ms, forever.
  const typing = useMemo(() => ({ q: filters.q.trim(), value: filters.value.trim() }), [filters.q, filters.value]);
  const typed = useDebounced(typing);
  const query = useMemo((): CustomerListQuery => {
    const [channel, consent] = filters.consent.split(':');
    return {
      q: typed.q || undefined,
      trait: filters.trait || undefined,
      value: filters.trait && typed.value ? typed.value : undefined,
      journey: filters.journey || undefined,
      channel: channel && consent ? (channel as CustomerListQuery['channel']) : undefined,
      consent: channel && consent ? (consent as CustomerListQuery['consent']) : undefined,
      limit,
      offset: filters.offset,
    };
  }, [typed, filters.trait, filters.journey, filters.consent, filters.offset]);

  useEffect(() => {
    fetchCatalog(workspace.id).then(
      (c) => setTraits(c.traits),
      () => {},
    );
    fetchJourneys(workspace.id).then(setJourneys, () => {});
  }, [workspace.id]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `loads` reads the list again after an import
  useEffect(() => {
    let current = true;
    setLoading(true);
    fetchCustomers(workspace.id, query).then(
      (next) => {
        if (!current) return;
        setPage({ ...next, offset: filters.offset });
        setError(null);
        setLoading(false);
      },
      (e: Error) => {
        if (!current) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [workspace.id, query, loads]);

  const filtered = Boolean(query.q || query.trait || query.journey || query.consent);
  return (
    <section className="wm-page wm-customers">
      <div className="wm-page-head">
        <h1>Customers</h1>
        {page && (
          <span className="wm-count" aria-live="polite">
            {count.format(page.total)} {filtered ? 'matching' : page.total === 1 ? 'customer' : 'customers'}
          </span>
        )}
        {can(workspace, 'publisher') && (
          <button type="button" className="wm-primary" onClick={() => setImporting(true)}>
            Import customers
          </button>
        )}
      </div>
      <CustomerFilters filters={filters} onChange={setFilters} traits={traits} journeys={journeys} />
      <ErrorAlert message={error} />
      {page && page.total === 0 && !loading ? (
        filtered ? (
          <div className="wm-empty-state">
            <p>Nobody matches these filters.</p>
            <button type="button" onClick={() => setFilters({ q: '', trait: '', value: '', journey: '', consent: '' })}>
              Clear filters
            </button>
          </div>
        ) : (
          <div className="wm-empty-state">
            <p>
              No customers yet. Everyone your product tells Waymark about appears here: send an <code>identify</code> or <code>track</code> call to <code>/v1</code> with the workspace’s write key.
              {can(workspace, 'publisher') && ' Or import them from a CSV file with Import customers, above.'}
            </p>
            {can(workspace, 'owner') ? (
              <a href="/settings/keys" onClick={navigateTo('/settings/keys')}>
                Find the write key in Settings
              </a>
            ) : (
              <p>A workspace owner finds the write key in Settings → Keys.</p>
            )}
          </div>
        )
      ) : (
        <>
          <table className={`wm-table wm-customer-table${loading && page ? ' is-loading' : ''}`} aria-busy={loading}>
            <thead>
              <tr>
                <th>Customer</th>
                <th>User ID</th>
                <th>Traits</th>
                <th>Last seen</th>
                <th className="wm-num">Journeys now</th>
              </tr>
            </thead>
            {page ? (
              <tbody>
                {page.items.map((customer) => (
                  <CustomerRow key={customer.id} customer={customer} />
                ))}
              </tbody>
            ) : (
              <SkeletonRows rows={8} columns={5} />
            )}
          </table>
          {page && (
            <div className="wm-below">
              <Pager label="Customers" offset={page.offset} limit={limit} total={page.total} onChange={(offset) => setFilters({ offset })} />
            </div>
          )}
        </>
      )}
      {importing && (
        <ImportCustomersDialog
          workspaceId={workspace.id}
          onClose={(imported) => {
            setImporting(false);
            if (imported) setLoads((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}
