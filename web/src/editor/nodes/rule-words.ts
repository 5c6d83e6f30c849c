/* Rules, filters and durations in the words a marketer would say: "plan is pro", "Order Completed at least once in the last 2 days". */

import { comparesNothing } from '@waymark/shared';

/** Node data of any type, as the canvas holds it (not yet validated). */
// biome-ignore lint/suspicious/noExplicitAny: node data of every type, read field by field for its words
export type Data = Record<string, any>;

/** Turns a node id into the name shown on its card, for rules that point at another step. */
export type NameOf = (nodeId: string) => string | undefined;

const numbers = new Intl.NumberFormat('en');
const orList = new Intl.ListFormat('en', { type: 'disjunction' });
const andList = new Intl.ListFormat('en', { type: 'conjunction' });

/** "2 days", "1 hour", "1,000 minutes"; "…" while the amount is missing. */
export function durationWords(d: Data | undefined): string {
  if (!d || typeof d.amount !== 'number' || !d.unit) return '…';
  const unit = d.amount === 1 ? String(d.unit).replace(/s$/, '') : String(d.unit);
  return `${numbers.format(d.amount)} ${unit}`;
}

/** "a, b and c". */
export function listWords(items: string[], join: 'and' | 'or' = 'and'): string {
  return (join === 'and' ? andList : orList).format(items);
}

const operatorWords: Record<string, string> = {
  equals: 'is',
  'not-equals': 'is not',
  contains: 'contains',
  'not-contains': 'does not contain',
  'starts-with': 'starts with',
  in: 'is one of',
  'not-in': 'is not one of',
  'greater-than': 'is more than',
  'greater-or-equal': 'is at least',
  'less-than': 'is less than',
  'less-or-equal': 'is at most',
  exists: 'is set',
  'not-exists': 'is not set',
  before: 'is before',
  after: 'is after',
  'within-last': 'is within the last',
  'within-next': 'is within the next',
};

function valueWords(value: unknown): string {
  if (value === undefined || value === '') return '…';
  if (typeof value === 'number') return numbers.format(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return value.length ? orList.format(value.map(valueWords)) : '…';
  if (typeof value === 'object' && value) {
    const v = value as Data;
    if (v.direction === 'ago') return `${durationWords(v)} ago`;
    if (v.direction === 'from-now') return `${durationWords(v)} from now`;
    if ('amount' in v) return durationWords(v);
  }
  return String(value);
}

/** One comparison: "plan is pro", "cartId is the trigger's cartId", "email is set". */
export function comparisonWords(c: Data, subject = ''): string {
  const field = `${subject}${c.path || '…'}`;
  const op = operatorWords[c.operator] ?? 'is';
  if (comparesNothing(c.operator)) return `${field} ${op}`;
  const compared = c.valueFrom ? `${c.valueFrom.source === 'trigger-event' ? "the trigger's" : 'their'} ${c.valueFrom.path || '…'}` : valueWords(c.value);
  return `${field} ${op} ${compared}`;
}

/** An event's property filter: "total is more than 50 and currency is EUR". */
export function filterWords(filter: Data[] | undefined): string {
  return (filter ?? []).map((c) => comparisonWords(c)).join(' and ');
}

function timesWords(comparison: string, count: number): string {
  const times = count === 1 ? 'once' : count === 2 ? 'twice' : `${numbers.format(count)} times`;
  if (comparison === 'at-most') return `at most ${times}`;
  if (comparison === 'exactly') return `exactly ${times}`;
  return `at least ${times}`;
}

const channelWords: Record<string, string> = { email: 'email', sms: 'SMS', push: 'push', webhook: 'webhooks', 'in-app': 'in-app messages' };
const activityWords: Record<string, string> = { delivered: 'received', opened: 'opened', clicked: 'clicked', 'not-opened': 'did not open', 'not-clicked': 'did not click' };

/** A rule of a condition or a segment, in words; groups join their rules with "and" / "or". */
/** "1 Nov 2026" for 2026-11-01 (a UTC day, as rules count them); "…" while unset. */
export function dayWords(day: string | undefined): string {
  const parsed = day ? new Date(`${day}T00:00:00Z`) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '…';
}

export function ruleWords(r: Data | undefined, nameOf?: NameOf, segmentOf?: NameOf): string {
  switch (r?.kind) {
    case 'trait':
      return comparisonWords(r);
    case 'event-property':
      return comparisonWords(r, "the trigger's ");
    case 'event-count': {
      const event = `${r.event || '…'}${r.filter?.length ? ` (${filterWords(r.filter)})` : ''}`;
      const window = r.between ? `between ${dayWords(r.between.from)} and ${dayWords(r.between.to)}` : `in the last ${durationWords(r.within)}`;
      const count = typeof r.count === 'number' ? r.count : 1;
      if (count === 0 && r.comparison !== 'at-least') return `no ${event} ${window}`;
      return `${event} ${timesWords(r.comparison, count)} ${window}`;
    }
    case 'channel':
      return `they ${r.state === 'not-reachable-or-consented' ? "can't" : 'can'} get ${channelWords[r.channel] ?? r.channel ?? '…'}`;
    case 'segment': {
      if (!r.segmentId) return `they are ${r.state === 'not-in' ? 'not ' : ''}in …`;
      const name = segmentOf ? (segmentOf(r.segmentId) ?? 'a deleted segment') : null;
      return `they are ${r.state === 'not-in' ? 'not ' : ''}in ${name ? `“${name}”` : 'a segment'}`;
    }
    case 'message': {
      const step = r.nodeId ? (nameOf?.(r.nodeId) ?? 'a deleted step') : '…';
      return `they ${activityWords[r.activity] ?? r.activity ?? '…'} ${step}`;
    }
    case 'group': {
      const parts = (r.rules ?? []).map((inner: Data) => (inner.kind === 'group' && inner.rules?.length > 1 ? `(${ruleWords(inner, nameOf, segmentOf)})` : ruleWords(inner, nameOf, segmentOf)));
      return parts.length ? parts.join(r.match === 'any' ? ' or ' : ' and ') : '';
    }
    default:
      return '…';
  }
}
