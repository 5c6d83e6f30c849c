import { z } from 'zod';

/** The most rows one import call takes. */
export const maxImportRows = 1_000;

/** What a trait column holds; dates are stored as ISO-8601 text (`2026-03-01T00:00:00.000Z`). */
export const ImportTraitType = z.enum(['string', 'number', 'boolean', 'date']);
export type ImportTraitType = z.infer<typeof ImportTraitType>;

/** Channels a row can give or withdraw consent for. */
export const importChannels = ['email', 'sms', 'push', 'in-app'] as const;
export type ImportChannel = (typeof importChannels)[number];

/** Traits an identify call reads as addresses or consent: an import sets them through `email`, `phone` and `consent`. */
const reservedTraits: Record<string, string> = {
  email: 'email',
  phone: 'phone',
  consent: 'consent',
  unsubscribed: 'consent.email',
  push_token: 'a push subscription',
};

/** A cell as the file had it (text), or already typed; empty text and null leave the trait as it is. */
const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ImportTrait = z.strictObject({ type: ImportTraitType, value: Cell });
export type ImportTrait = z.infer<typeof ImportTrait>;

const Traits = z.record(z.string().trim().min(1, 'A trait needs a name.').max(200), ImportTrait).superRefine((traits, ctx) => {
  for (const name of Object.keys(traits)) {
    // Own keys only: "toString" or "constructor" are traits like any other, not the object's methods.
    const instead = Object.hasOwn(reservedTraits, name) ? reservedTraits[name] : undefined;
    if (instead) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is not a trait here: send it as ${instead}.` });
  }
});

/** "opted-in" / "unsubscribed" (also yes/no, true/false, subscribed); anything else rejects the row. */
const Consent = z.union([z.string(), z.boolean(), z.null()]).optional();

/**
 * One customer of an import: who (a user id, an email, a phone; at least one), typed traits and
 * consent per channel. Values are checked per row, so a bad value rejects only its row.
 */
export const ImportRow = z.strictObject({
  userId: z.union([z.string(), z.number()]).nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  traits: Traits.optional(),
  consent: z.strictObject({ email: Consent, sms: Consent, push: Consent, 'in-app': Consent }).optional(),
});
export type ImportRow = z.infer<typeof ImportRow>;

export const CustomerImportRequest = z.object({
  rows: z
    .array(ImportRow)
    .min(1, 'List at least one row.')
    .max(maxImportRows, `At most ${maxImportRows.toLocaleString('en')} rows per call; send the rest in another.`),
  /**
   * The same key again (within the workspace) changes nothing: each row is stored as an identify
   * call whose message id is made from the key, and a repeated message id is ignored.
   */
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type CustomerImportRequest = z.infer<typeof CustomerImportRequest>;

/** One row's outcome, in the order of the request: the customer it created or updated, or why it was rejected. */
export const ImportRowResult = z.object({
  index: z.number(),
  status: z.enum(['created', 'updated', 'rejected']),
  customerId: z.string().nullable(),
  /** The rejected row's field: `userId`, `email`, `phone`, `traits.<name>`, `consent.<channel>`. */
  field: z.string().optional(),
  reason: z.string().optional(),
});
export type ImportRowResult = z.infer<typeof ImportRowResult>;

export const CustomerImportResponse = z.object({
  created: z.number(),
  updated: z.number(),
  rejected: z.number(),
  results: z.array(ImportRowResult),
  /** True when every row repeats an earlier call's idempotency key: nothing was written. */
  replayed: z.boolean(),
});
export type CustomerImportResponse = z.infer<typeof CustomerImportResponse>;

/** A row's values as they are stored: identities normalized, traits typed, consent in Waymark's words. */
export interface ImportedProfile {
  userId: string | null;
  email: string | null;
  /** E.164, separators removed: `+14155550100`. */
  phone: string | null;
  traits: Record<string, string | number | boolean>;
  consent: Partial<Record<ImportChannel, 'opted-in' | 'subscribed' | 'unsubscribed'>>;
}

/** Why a row cannot be imported: the field (as the API names it) and a phrase saying what is wrong. */
export interface ImportRowProblem {
  field: string;
  message: string;
}

/** The longest user id and trait text a row may carry. */
export const importLimits = { userId: 256, email: 254, text: 10_000 };

const emailPattern = /^[^\s@]+@[^\s@.][^\s@]*\.[^\s@.]+$/;
const e164 = /^\+[1-9]\d{6,14}$/;
const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const yes = new Set(['true', 'yes', 'y', '1']);
const no = new Set(['false', 'no', 'n', '0']);
const consentYes = new Set([...yes, 'opted-in', 'opted in', 'opt-in', 'optin', 'opt in']);
const consentNo = new Set([...no, 'unsubscribed', 'opted-out', 'opted out', 'opt-out', 'optout', 'opt out']);

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value).trim());
const quoted = (value: unknown) => {
  const shown = String(value);
  return `"${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}"`;
};

/** A phone number in E.164 with spaces, dashes, dots and parentheses removed, or null. */
export function e164Phone(value: string): string | null {
  const compact = value.replace(/[\s().-]/g, '');
  return e164.test(compact) ? compact : null;
}

/**
 * A date cell as ISO-8601 text in UTC, or null: `2026-03-01`, `2026-03-01 14:30`, `2026-03-01T14:30:00+01:00`
 * (no zone means UTC, so the browser's preview and the server agree), or Unix time in seconds or milliseconds.
 */
export function importDate(value: string | number): string | null {
  const epoch = typeof value === 'number' ? value : /^\d{9,13}$/.test(value) ? Number(value) : null;
  let time: number;
  if (epoch !== null) {
    time = Math.abs(epoch) < 1e11 ? epoch * 1000 : epoch;
  } else {
    const match = isoDate.exec(String(value));
    if (!match) return null;
    const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
    const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    time = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${offset}`);
    // Date.parse rolls 2026-02-30 over to March: the calendar day must exist as written.
    const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    if (calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) return null;
  }
  if (!Number.isFinite(time)) return null;
  const year = new Date(time).getUTCFullYear();
  return year >= 1900 && year <= 9999 ? new Date(time).toISOString() : null;
}

/** A trait cell as its type says, or the problem with it; undefined for an empty cell (the trait is left as it is). */
export function importTraitValue(trait: ImportTrait): { value: string | number | boolean } | { problem: string } | undefined {
  const { type, value } = trait;
  if (value === null || (typeof value === 'string' && !value.trim())) return undefined;
  const cell = typeof value === 'string' ? value.trim() : value;
  switch (type) {
    case 'string': {
      const written = String(cell);
      return written.length > importLimits.text ? { problem: `is longer than ${importLimits.text.toLocaleString('en')} characters` } : { value: written };
    }
    case 'number': {
      if (typeof cell === 'number') return Number.isFinite(cell) ? { value: cell } : { problem: `${quoted(cell)} is not a number` };
      const number = typeof cell === 'string' && numberPattern.test(cell) ? Number(cell) : Number.NaN;
      return Number.isFinite(number) ? { value: number } : { problem: `${quoted(cell)} is not a number (write numbers like 1234.5, without thousands separators)` };
    }
    case 'boolean': {
      if (typeof cell === 'boolean') return { value: cell };
      const word = String(cell).toLowerCase();
      return yes.has(word) ? { value: true } : no.has(word) ? { value: false } : { problem: `${quoted(cell)} is not yes or no (write true/false, yes/no or 1/0)` };
    }
    case 'date': {
      const date = typeof cell === 'boolean' ? null : importDate(cell);
      return date ? { value: date } : { problem: `${quoted(cell)} is not a date (write dates like 2026-03-01 or 2026-03-01T14:30:00Z)` };
    }
  }
}

/** A consent cell in Waymark's words, or null when it says neither yes nor no. */
export function importConsent(value: string | boolean): 'opted-in' | 'subscribed' | 'unsubscribed' | null {
  if (typeof value === 'boolean') return value ? 'opted-in' : 'unsubscribed';
  const word = value.trim().toLowerCase();
  if (word === 'subscribed') return 'subscribed';
  return consentYes.has(word) ? 'opted-in' : consentNo.has(word) ? 'unsubscribed' : null;
}

/**
 * Checks one row and converts its values: identities normalized (the phone to E.164), traits to
 * their types, consent to Waymark's states. Returns the first problem, naming its field. The
 * browser runs it for the preview and the server for the import, so both say the same.
 */
export function readImportRow(row: ImportRow): { profile: ImportedProfile } | { problem: ImportRowProblem } {
  const problem = (field: string, message: string) => ({ problem: { field, message } });
  const userId = text(row.userId) || null;
  const email = text(row.email) || null;
  const phoneText = text(row.phone) || null;
  if (!userId && !email && !phoneText) return problem('userId', 'has no user id, email or phone: a row needs at least one to say who it is');
  if (userId && userId.length > importLimits.userId) return problem('userId', `is longer than ${importLimits.userId} characters`);
  if (email && (email.length > importLimits.email || !emailPattern.test(email))) return problem('email', `${quoted(email)} is not an email address`);
  const phone = phoneText ? e164Phone(phoneText) : null;
  if (phoneText && !phone) return problem('phone', `${quoted(phoneText)} is not a phone number in international format (E.164), like +14155550100`);
  const traits: Record<string, string | number | boolean> = {};
  for (const [name, trait] of Object.entries(row.traits ?? {})) {
    const read = importTraitValue(trait);
    if (!read) continue;
    if ('problem' in read) return problem(`traits.${name}`, read.problem);
    traits[name.trim()] = read.value;
  }
  const consent: ImportedProfile['consent'] = {};
  for (const channel of importChannels) {
    const given = row.consent?.[channel];
    if (given === null || given === undefined || (typeof given === 'string' && !given.trim())) continue;
    const state = importConsent(given);
    if (!state) return problem(`consent.${channel}`, `${quoted(given)} is not a consent (write opted-in or unsubscribed, or yes/no)`);
    consent[channel] = state;
  }
  return { profile: { userId, email, phone, traits, consent } };
}
