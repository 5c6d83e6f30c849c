import type { TraitType } from '@waymark/shared';

const number = new Intl.NumberFormat('en', { maximumFractionDigits: 6 });
const date = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** A scalar as text: "pro", "12,400", "Yes", "Nov 1, 2026". */
export function traitText(type: TraitType, value: unknown): string {
  switch (type) {
    case 'number':
      return number.format(value as number);
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'date': {
      const text = String(value);
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? date.format(Date.parse(`${text}T00:00:00`)) : dateTime.format(Date.parse(text));
    }
    case 'empty':
      return '—';
    case 'list':
      return (value as unknown[]).map((item) => (item !== null && typeof item === 'object' ? '…' : String(item))).join(', ');
    case 'object':
      return `${Object.keys(value as object).length} fields`;
    default:
      return String(value);
  }
}

const typeOf = (value: unknown): TraitType =>
  value === null || value === undefined
    ? 'empty'
    : Array.isArray(value)
      ? 'list'
      : typeof value === 'object'
        ? 'object'
        : typeof value === 'number'
          ? 'number'
          : typeof value === 'boolean'
            ? 'boolean'
            : 'text';

/** A trait's value in words: lists as chips, objects as their fields (two levels), never raw JSON. */
export function TraitValue({ type, value, depth = 0 }: { type: TraitType; value: unknown; depth?: number }) {
  if (type === 'list') {
    const items = value as unknown[];
    if (items.length === 0) return <span className="wm-muted">empty list</span>;
    return (
      <span className="wm-chips">
        {items.slice(0, 20).map((item, i) => (
          <span key={i} className="wm-chip-small">
            {traitText(typeOf(item), item)}
          </span>
        ))}
        {items.length > 20 && <span className="wm-muted">and {items.length - 20} more</span>}
      </span>
    );
  }
  if (type === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return <span className="wm-muted">no fields</span>;
    if (depth >= 2) return <span>{traitText('object', value)}</span>;
    return (
      <dl className="wm-fields">
        {entries.map(([key, inner]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>
              <TraitValue type={typeOf(inner)} value={inner} depth={depth + 1} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  if (type === 'date') return <time dateTime={String(value)}>{traitText(type, value)}</time>;
  return <span className={type === 'empty' ? 'wm-muted' : undefined}>{traitText(type, value)}</span>;
}
