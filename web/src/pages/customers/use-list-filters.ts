import { useCallback, useEffect, useState } from 'react';

/** What the customer list is filtered by; empty strings are "any". */
export interface ListFilters {
  q: string;
  trait: string;
  value: string;
  journey: string;
  /** `channel:state`, e.g. `email:unsubscribed`. */
  consent: string;
  offset: number;
}

const keys = ['q', 'trait', 'value', 'journey', 'consent'] as const;
const storageKey = 'waymark.customers.search';

/** The list's address with the filters last used in this tab: where "back to the list" goes. */
export function listPath(): string {
  const search = sessionStorage.getItem(storageKey);
  return search ? `/customers?${search}` : '/customers';
}

function fromLocation(): ListFilters {
  const params = new URLSearchParams(location.search);
  const filters = { offset: Math.max(0, Number(params.get('offset')) || 0) } as ListFilters;
  for (const key of keys) filters[key] = params.get(key) ?? '';
  return filters;
}

/**
 * The list's filters and page, kept in the address (replaced, not pushed), so Back from a customer
 * returns to the same filtered page and a filtered list can be shared as a link.
 */
export function useListFilters(): [ListFilters, (change: Partial<ListFilters>) => void] {
  const [filters, setFilters] = useState(fromLocation);
  useEffect(() => sessionStorage.setItem(storageKey, location.search.slice(1)), []);
  const update = useCallback((change: Partial<ListFilters>) => {
    setFilters((current) => {
      // Any change of filter starts again at the first page.
      const next = { ...current, offset: 0, ...change };
      const params = new URLSearchParams();
      for (const key of keys) if (next[key]) params.set(key, next[key]);
      if (next.offset) params.set('offset', String(next.offset));
      const search = params.toString();
      history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
      sessionStorage.setItem(storageKey, search);
      return next;
    });
  }, []);
  return [filters, update];
}
