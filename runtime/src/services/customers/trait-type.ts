import type { Trait, TraitType } from '@waymark/shared';

/** "2026-11-25", "2026-11-25T14:00:00Z", "2026-11-25T14:00:00.000+01:00": what ingestion and templates write as dates. */
const isoDate = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The type a marketer reads in the traits table; a string is a date when it is an ISO-8601 date that parses. */
export function traitType(value: unknown): TraitType {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string' && isoDate.test(value) && !Number.isNaN(Date.parse(value))) return 'date';
  return 'text';
}

/** Every trait with its type, in name order. */
export function describeTraits(traits: Record<string, unknown>): Trait[] {
  return Object.keys(traits)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => ({ name, type: traitType(traits[name]), value: traits[name] }));
}

/** Traits that are the customer's name, addresses, consent or plumbing: shown elsewhere, not as key traits. */
const notKey = new Set([
  'name',
  'first_name',
  'firstName',
  'last_name',
  'lastName',
  'email',
  'phone',
  'push_token',
  'consent',
  'unsubscribed',
  'timezone',
  'preferred_channel',
  'id',
  'user_id',
  'userId',
  'anonymous_id',
]);
/** Traits marketers segment on, read first when a customer has them. */
const preferred = ['plan', 'tier', 'company', 'city', 'country', 'status', 'role'];

/** Up to `count` traits for a list row: the filtered trait first, then the usual ones (plan, company, city…), then others by name. */
export function keyTraits(traits: Record<string, unknown>, first?: string, count = 3): Trait[] {
  const names = Object.keys(traits).filter((name) => !notKey.has(name) && traitType(traits[name]) !== 'object');
  const rank = (name: string) => (name === first ? -1 : preferred.includes(name) ? preferred.indexOf(name) : preferred.length);
  return names
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .slice(0, count)
    .map((name) => ({ name, type: traitType(traits[name]), value: traits[name] }));
}
