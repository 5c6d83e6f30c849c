import { type ImportChannel, type ImportTraitType, importChannels, importDate } from '@waymark/shared';

/** What a column of the file becomes: who the customer is, a trait of a type, consent on a channel, or nothing. */
export type ColumnUse = { as: 'userId' } | { as: 'email' } | { as: 'phone' } | { as: 'trait'; name: string; type: ImportTraitType } | { as: 'consent'; channel: ImportChannel } | { as: 'skip' };

export const channelWords: Record<ImportChannel, string> = { email: 'Email', sms: 'SMS', push: 'Push', 'in-app': 'In-app' };
export const typeWords: Record<ImportTraitType, string> = { string: 'Text', number: 'Number', boolean: 'Yes/no', date: 'Date' };

/** How the mapping names a column's use, in words (the choices of the "Import as" menu). */
export function choiceWords(use: ColumnUse): string {
  switch (use.as) {
    case 'userId':
      return 'User ID';
    case 'email':
      return 'Email';
    case 'phone':
      return 'Phone';
    case 'trait':
      return 'Trait';
    case 'consent':
      return `${channelWords[use.channel]} consent`;
    case 'skip':
      return "Don't import";
  }
}

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const userIdNames = ['userid', 'externalid', 'externaluserid', 'user', 'uid', 'id', 'customerid'];
const emailNames = ['email', 'emailaddress', 'mail'];
const phoneNames = ['phone', 'phonenumber', 'mobile', 'mobilephone', 'mobilenumber', 'cell', 'cellphone', 'tel', 'telephone', 'sms', 'msisdn'];
const consentWords = '(consent|optin|optedin|subscribed|subscription|subscriptionstatus|permission)';
const consentName = new RegExp(`^(?:(email|sms|text|push|inapp)${consentWords}|${consentWords}(email|sms|text|push|inapp))$`);
/** Headers an identify call reads as addresses or consent: imported through their own choices, never as traits. */
const notTraits = new Set(['consent', 'unsubscribed', 'pushtoken']);

const numberText = /^[+-]?(0|[1-9]\d*)(\.\d+)?$/;
const yesNo = new Set(['true', 'false', 'yes', 'no']);

/** The type a trait column's values look like: yes/no, numbers (not codes with leading zeros), ISO dates; else text. */
export function guessType(values: string[]): ImportTraitType {
  const given = values.map((v) => v.trim()).filter(Boolean);
  if (!given.length) return 'string';
  if (given.every((v) => yesNo.has(v.toLowerCase()))) return 'boolean';
  if (given.every((v) => numberText.test(v))) return 'number';
  if (given.every((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && importDate(v) !== null)) return 'date';
  return 'string';
}

/**
 * A first mapping from the header and the first rows: the first column named like a user id,
 * an email or a phone is that (`user_id`, `userId`, `id`, `E-mail`, `Mobile`, …); other id-like
 * columns are skipped; `email_consent`, `sms_opt_in`, … are consent; the rest are traits named
 * after their column, typed from their values.
 */
export function guessMapping(columns: string[], sample: string[][]): ColumnUse[] {
  const taken = new Set<string>();
  const claim = (as: 'userId' | 'email' | 'phone', names: string[]) => {
    for (const name of names) {
      const column = columns.findIndex((c) => normalize(c) === name);
      if (column >= 0 && !taken.has(`#${column}`)) {
        taken.add(`#${column}`);
        taken.add(as);
        return column;
      }
    }
    return -1;
  };
  const userId = claim('userId', userIdNames);
  const email = claim('email', emailNames);
  const phone = claim('phone', phoneNames);
  const consentTaken = new Set<ImportChannel>();
  return columns.map((column, i): ColumnUse => {
    if (i === userId) return { as: 'userId' };
    if (i === email) return { as: 'email' };
    if (i === phone) return { as: 'phone' };
    const name = normalize(column);
    const consent = consentName.exec(name);
    if (consent) {
      const word = consent[1] ?? consent[4]!;
      const channel: ImportChannel = word === 'text' ? 'sms' : word === 'inapp' ? 'in-app' : (word as ImportChannel);
      if (importChannels.includes(channel) && !consentTaken.has(channel)) {
        consentTaken.add(channel);
        return { as: 'consent', channel };
      }
    }
    if (!name || userIdNames.includes(name) || notTraits.has(name)) return { as: 'skip' };
    return { as: 'trait', name: column.trim(), type: guessType(sample.map((row) => row[i] ?? '')) };
  });
}

/** Traits an identify reads as addresses or consent: a trait column may not take these names. */
const reservedTraitNames = new Set(['email', 'phone', 'consent', 'unsubscribed', 'push_token']);

/**
 * What keeps the mapping from being imported, as sentences saying what to do: no column says who
 * the customer is, two columns for one thing, a trait without a name or with a reserved one.
 */
export function mappingProblems(columns: string[], mapping: ColumnUse[]): string[] {
  const problems: string[] = [];
  const label = (i: number) => `“${columns[i] || `Column ${i + 1}`}”`;
  if (!mapping.some((use) => use.as === 'userId' || use.as === 'email' || use.as === 'phone')) {
    problems.push('Choose the column that holds the user ID, email or phone: each customer needs at least one.');
  }
  const seen = new Map<string, number>();
  mapping.forEach((use, i) => {
    if (use.as === 'skip') return;
    if (use.as === 'trait') {
      const name = use.name.trim();
      if (!name) {
        problems.push(`Name the trait that ${label(i)} fills in.`);
        return;
      }
      if (reservedTraitNames.has(name)) {
        problems.push(
          `${label(i)}: “${name}” is not a trait name Waymark can use; import the column as ${name === 'phone' ? 'Phone' : name === 'email' ? 'Email' : 'consent'} or name the trait differently.`,
        );
        return;
      }
    }
    const key = use.as === 'trait' ? `trait:${use.name.trim()}` : use.as === 'consent' ? `consent:${use.channel}` : use.as;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      problems.push(
        use.as === 'trait'
          ? `${label(first)} and ${label(i)} both fill in the trait “${use.name.trim()}”: rename one, or don't import it.`
          : `${label(first)} and ${label(i)} are both imported as ${choiceWords(use)}: keep one and don't import the other.`,
      );
  });
  return problems;
}
