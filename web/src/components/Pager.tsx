const format = new Intl.NumberFormat('en');

/** "Showing 51–100 of 1,234" with previous / next, for lists that page on the server. */
export function Pager({ offset, limit, total, onChange, label }: { offset: number; limit: number; total: number; onChange(offset: number): void; label: string }) {
  if (total === 0) return null;
  const first = offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="wm-pager" aria-label={`${label} pages`}>
      <span>
        Showing {format.format(first)}–{format.format(last)} of {format.format(total)}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        Previous
      </button>
      <button type="button" disabled={last >= total} onClick={() => onChange(offset + limit)}>
        Next
      </button>
    </nav>
  );
}
