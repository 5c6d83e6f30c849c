import { listWords } from '../nodes/rule-words.ts';

/* A condition's sentence from the engine ("plan equals "pro": no (was "free")") in the words a person reads: "plan = free; rule wants pro". */

export interface DecisionWords {
  /** One sentence per rule that decided, in order. */
  parts: string[];
  /** How the rules were joined, when there are several. */
  join: 'and' | 'or' | null;
}

/** Turns a node id into the name on its card; an ISO instant into a readable time. */
export interface WordsHelp {
  nameOf(nodeId: string): string;
  time(at: number): string;
}

const operators = 'not-equals|equals|not-contains|contains|starts-with|not-in|in|greater-or-equal|greater-than|less-or-equal|less-than|not-exists|exists|before|after|within-last|within-next';
const comparison = new RegExp(`^(.+?) (${operators})(?: (.*?))?: (yes|no) \\(was (.*)\\)$`);
const eventCount = /^performed (.+) (\d+) times in the last (\d+) (\w+) \((at-least|at-most|exactly) (\d+)\)$/;
const channel = /^(is|is not) reachable and consented on ([\w-]+)$/;
const message = /^message of (.+) (was|was not) (delivered|opened|clicked)$/;
const channelWords: Record<string, string> = { email: 'email', sms: 'SMS', push: 'push', 'in-app': 'in-app messages', webhook: 'webhooks' };
const wants: Record<string, (e: string) => string> = {
  equals: (e) => e,
  'not-equals': (e) => `anything but ${e}`,
  contains: (e) => `it to contain ${e}`,
  'not-contains': (e) => `it not to contain ${e}`,
  'starts-with': (e) => `it to start with ${e}`,
  in: (e) => `one of ${e}`,
  'not-in': (e) => `none of ${e}`,
  'greater-than': (e) => `more than ${e}`,
  'greater-or-equal': (e) => `at least ${e}`,
  'less-than': (e) => `less than ${e}`,
  'less-or-equal': (e) => `at most ${e}`,
  exists: () => 'it set',
  'not-exists': () => 'it not set',
  before: (e) => `before ${e}`,
  after: (e) => `after ${e}`,
  'within-last': (e) => `within the last ${e}`,
  'within-next': (e) => `within the next ${e}`,
};
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A value from the engine's sentence (JSON, shortened, or "missing") in words. */
function valueWords(text: string, help: WordsHelp): string {
  if (text === 'missing') return 'not set';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text.replace(/^"|"$/g, '');
  }
  return plain(value, help);
}

function plain(value: unknown, help: WordsHelp): string {
  if (typeof value === 'string') return isoInstant.test(value) && !Number.isNaN(Date.parse(value)) ? help.time(Date.parse(value)) : value === '' ? '(empty)' : value;
  if (Array.isArray(value))
    return listWords(
      value.map((v) => plain(v, help)),
      'or',
    );
  if (value && typeof value === 'object') {
    const v = value as { amount?: number; unit?: string; direction?: string };
    if (typeof v.amount === 'number' && v.unit) {
      const span = `${v.amount} ${v.amount === 1 ? v.unit.replace(/s$/, '') : v.unit}`;
      return v.direction === 'ago' ? `${span} ago` : v.direction === 'from-now' ? `${span} from now` : span;
    }
    return JSON.stringify(value);
  }
  return String(value);
}

/** One rule's sentence in words; anything not recognised is returned with its times made readable. */
export function ruleWords(leaf: string, help: WordsHelp): string {
  const compared = comparison.exec(leaf);
  if (compared) {
    const [, label, operator, expected = '', , actual = ''] = compared;
    const was = valueWords(actual, help);
    const subject = was === 'not set' ? `${label} is not set` : `${label} = ${was}`;
    return `${subject}; rule wants ${wants[operator!]!(valueWords(expected, help))}`;
  }
  const counted = eventCount.exec(leaf);
  if (counted) {
    const [, event, count, amount, unit, how, wanted] = counted;
    return `${event} ${count} times in the last ${amount} ${unit}; rule wants ${how!.replace('-', ' ')} ${wanted}`;
  }
  const reach = channel.exec(leaf);
  if (reach) return `${reach[1] === 'is' ? 'can' : 'cannot'} get ${channelWords[reach[2]!] ?? reach[2]} (${reach[1] === 'is' ? 'has an address and consent' : 'no address or no consent'})`;
  const activity = message.exec(leaf);
  if (activity) return `${help.nameOf(activity[1]!)} ${activity[2]} ${activity[3]}`;
  return leaf.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g, (at) => help.time(Date.parse(at)));
}

/**
 * The rules that decided a condition (or an entry filter), each in words: the engine's group
 * sentence "(a and b)" is split at its own "and" / "or", not inside quotes or parentheses. Pure.
 */
export function decisionWords(detail: string, help: WordsHelp): DecisionWords {
  const { leaves, join } = splitGroup(detail.trim());
  return { parts: leaves.map((leaf) => (leaf.startsWith('(') && leaf.endsWith(')') && splitGroup(leaf).leaves.length > 1 ? `(${decisionText(leaf, help)})` : ruleWords(leaf, help))), join };
}

/** The decision in one line: "plan = free; rule wants pro", several joined with "and" / "or". */
export function decisionText(detail: string, help: WordsHelp): string {
  const { parts, join } = decisionWords(detail, help);
  return parts.join(join === 'or' ? ' or ' : ' · ');
}

function splitGroup(text: string): { leaves: string[]; join: 'and' | 'or' | null } {
  // Only a group of several rules is wrapped in parentheses; anything else is one rule.
  if (!wrapped(text)) return { leaves: [text], join: null };
  const inner = text.slice(1, -1);
  const leaves: string[] = [];
  let join: 'and' | 'or' | null = null;
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && c === ' ') {
      const word = / (and|or) /.exec(inner.slice(i, i + 5));
      // "is reachable and consented on sms" is one rule.
      if (word && word.index === 0 && !inner.slice(0, i).endsWith('reachable')) {
        leaves.push(inner.slice(start, i));
        join = word[1] as 'and' | 'or';
        start = i + word[0].length;
        i = start - 1;
      }
    }
  }
  leaves.push(inner.slice(start));
  return { leaves: leaves.map((l) => l.trim()).filter(Boolean), join: leaves.length > 1 ? join : null };
}

/** Whether the text is one parenthesised group "( … )" (not "(a) and (b)"). */
function wrapped(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && i < text.length - 1) return false;
  }
  return true;
}
