import { comparesNothing, durationToMs, type EventCountRule, type Operator, type PropertyComparison, type PropertyFilter, type Rule } from '../graph/index.ts';
import { hasConsent, isReachable } from './channel-policy.ts';
import type { ConsentPolicy, CustomerEvent, CustomerProfile, MessageActivity } from './types.ts';
import { describe, looselyEqual, readPath, toInstant, toNumber } from './values.ts';

/** What rules can see. */
export interface RuleEnv {
  now: number;
  customer: CustomerProfile;
  /** The event that started this run; `event-property` rules in conditions read it. */
  trigger: CustomerEvent | null;
  events: readonly CustomerEvent[];
  messageActivity: readonly MessageActivity[];
  /** What "no consent state" means per channel, for channel rules; absent: `defaultConsentPolicy`. */
  consentPolicy?: ConsentPolicy;
  /** False when only `matched` is wanted (segment upkeep): the sentences are not written. */
  explain?: boolean;
}

/** A decision and the sentence that explains it. */
export interface Verdict {
  matched: boolean;
  detail: string;
}

/** Verdicts without a sentence (`explain: false`), shared: segment upkeep makes millions of them. */
const matchedQuietly: Verdict = Object.freeze({ matched: true, detail: '' });
const unmatchedQuietly: Verdict = Object.freeze({ matched: false, detail: '' });
const unexplained = (matched: boolean) => (matched ? matchedQuietly : unmatchedQuietly);

/** Evaluates a rule or rule group. */
export function evaluateRules(rule: Rule, env: RuleEnv): Verdict {
  switch (rule.kind) {
    case 'group': {
      if (env.explain === false) {
        // A plain loop: segment upkeep evaluates millions of groups, and a callback per call was garbage.
        const all = rule.match === 'all';
        for (const child of rule.rules) if (evaluateRules(child, env).matched !== all) return unexplained(!all);
        return unexplained(all);
      }
      const verdicts = rule.rules.map((child) => evaluateRules(child, env));
      const matched = rule.match === 'all' ? verdicts.every((v) => v.matched) : verdicts.some((v) => v.matched);
      const shown = verdicts.filter((v) => v.matched === matched);
      const detail = verdicts.length === 0 ? `no rules (${rule.match})` : (shown.length ? shown : verdicts).map((v) => v.detail).join(rule.match === 'all' ? ' and ' : ' or ');
      return { matched, detail: rule.rules.length > 1 ? `(${detail})` : detail };
    }
    case 'trait':
      return compareRule(`${rule.path}`, readPath(env.customer.traits, rule.path), rule, env);
    case 'event-property':
      return compareRule(`event ${rule.path}`, readPath(env.trigger?.properties, rule.path), rule, env);
    case 'event-count': {
      const since = windowStart(rule, env.now);
      const until = windowEnd(rule, env.now);
      let count = 0;
      for (const event of env.events) {
        if (event.name !== rule.event) continue;
        const at = eventInstant(event);
        if (at >= since && at <= until && (!rule.filter || matchesFilter(rule.filter, event, env).matched)) count++;
      }
      const matched = countMatches(rule, count);
      if (env.explain === false) return unexplained(matched);
      const window = rule.between ? `between ${rule.between.from} and ${rule.between.to}` : `in the last ${rule.within?.amount} ${rule.within?.unit}`;
      return { matched, detail: `performed ${rule.event} ${count} times ${window} (${rule.comparison} ${rule.count})` };
    }
    case 'channel': {
      const ok = hasConsent(env.customer, rule.channel, env.consentPolicy) && isReachable(env.customer, rule.channel);
      const matched = rule.state === 'reachable-and-consented' ? ok : !ok;
      if (env.explain === false) return unexplained(matched);
      return { matched, detail: `${ok ? 'is' : 'is not'} reachable and consented on ${rule.channel}` };
    }
    case 'segment': {
      const member = env.customer.segments?.includes(rule.segmentId) ?? false;
      const matched = rule.state === 'in' ? member : !member;
      if (env.explain === false) return unexplained(matched);
      return { matched, detail: `${member ? 'is' : 'is not'} in segment ${rule.segmentId}` };
    }
    case 'message': {
      const activity = rule.activity.replace('not-', '');
      const happened = env.messageActivity.some((a) => a.nodeId === rule.nodeId && a.activity === activity);
      const matched = rule.activity.startsWith('not-') ? !happened : happened;
      if (env.explain === false) return unexplained(matched);
      return { matched, detail: `message of ${rule.nodeId} ${happened ? 'was' : 'was not'} ${activity}` };
    }
  }
}

/** Whether `count` events satisfy an event-count rule's comparison. */
export function countMatches(rule: EventCountRule, count: number): boolean {
  return rule.comparison === 'at-least' ? count >= rule.count : rule.comparison === 'at-most' ? count <= rule.count : count === rule.count;
}

/** Timestamps parsed, by their text; emptied when it grows large (a batch's events fit many times over). */
const instants = new Map<string, number>();

/**
 * When an event happened (ms), parsed once per timestamp: segment upkeep counts the same history
 * for every segment of a customer, and parsing was most of that work. Keyed by the text (whose
 * hash the engine keeps with the string), not the object: a lookup by object (a WeakMap) cost
 * about as much as parsing.
 */
export function eventInstant(event: CustomerEvent): number {
  let at = instants.get(event.timestamp);
  if (at === undefined) {
    at = Date.parse(event.timestamp);
    if (instants.size >= 100_000) instants.clear();
    instants.set(event.timestamp, at);
  }
  return at;
}

/** Whether an event's properties pass a filter; `valueFrom` reads the trigger event or traits. */
export function matchesFilter(filter: PropertyFilter, event: CustomerEvent, env: RuleEnv): Verdict {
  for (const rule of filter) {
    const verdict = compareRule(env.explain === false ? '' : `${event.name}.${rule.path}`, readPath(event.properties, rule.path), rule, env);
    if (!verdict.matched) return verdict;
  }
  if (env.explain === false) return matchedQuietly;
  return { matched: true, detail: filter.length ? `${event.name} matched its filter` : `${event.name} happened` };
}

/** The filter with every `valueFrom` replaced by the value it reads now (what a keyed wait waits for). */
export function resolveFilter(filter: PropertyFilter | undefined, env: RuleEnv): PropertyComparison[] {
  return (filter ?? []).map(({ valueFrom, ...rule }) => (valueFrom ? { ...rule, value: literal(resolveRef(valueFrom, env)) } : rule));
}

function literal(value: unknown): PropertyComparison['value'] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return value === undefined || value === null ? undefined : JSON.stringify(value);
}

function resolveRef(ref: NonNullable<PropertyComparison['valueFrom']>, env: RuleEnv): unknown {
  return ref.source === 'trait' ? readPath(env.customer.traits, ref.path) : readPath(env.trigger?.properties, ref.path);
}

function compareRule(label: string, actual: unknown, rule: PropertyComparison, env: RuleEnv): Verdict {
  // "Exists" and "does not exist" compare with nothing: a value or reference left on the rule is not read.
  const valueless = comparesNothing(rule.operator);
  const expected = valueless ? undefined : rule.valueFrom ? resolveRef(rule.valueFrom, env) : rule.value;
  // A reference that resolves to nothing never matches: a keyed wait must not release on "missing = missing".
  const matched = rule.valueFrom && !valueless && (expected === undefined || expected === null) ? false : compare(actual, rule.operator, expected, env.now);
  if (env.explain === false) return unexplained(matched);
  const target = valueless ? '' : ` ${describe(expected)}`;
  return { matched, detail: `${label} ${rule.operator}${target}: ${matched ? 'yes' : 'no'} (was ${describe(actual)})` };
}

const absent = (value: unknown) => value === undefined || value === null || value === '';

/** One comparison. Negative operators match a missing value; the others do not. */
export function compare(actual: unknown, operator: Operator, expected: unknown, now: number): boolean {
  switch (operator) {
    case 'exists':
      return !absent(actual);
    case 'not-exists':
      return absent(actual);
    case 'equals':
      return !absent(actual) && looselyEqual(actual, expected);
    case 'not-equals':
      return absent(actual) || !looselyEqual(actual, expected);
    case 'contains':
      return contains(actual, expected);
    case 'not-contains':
      return !contains(actual, expected);
    case 'starts-with':
      return typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected);
    case 'in':
      return Array.isArray(expected) && expected.some((item) => looselyEqual(actual, item));
    case 'not-in':
      return !Array.isArray(expected) || !expected.some((item) => looselyEqual(actual, item));
    case 'greater-than':
    case 'greater-or-equal':
    case 'less-than':
    case 'less-or-equal': {
      const order = orderOf(actual, expected);
      if (order === null) return false;
      if (operator === 'greater-than') return order > 0;
      if (operator === 'greater-or-equal') return order >= 0;
      if (operator === 'less-than') return order < 0;
      return order <= 0;
    }
    case 'before':
    case 'after': {
      const at = toInstant(actual);
      const bound = pointInTime(expected, now);
      if (at === null || bound === null) return false;
      return operator === 'before' ? at < bound : at > bound;
    }
    case 'within-last':
    case 'within-next': {
      const at = toInstant(actual);
      const span = spanOf(expected);
      if (at === null || span === null) return false;
      return operator === 'within-last' ? at <= now && at >= now - span : at >= now && at <= now + span;
    }
  }
}

function contains(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'string') return typeof expected === 'string' || typeof expected === 'number' ? actual.includes(String(expected)) : false;
  if (Array.isArray(actual)) return actual.some((item) => looselyEqual(item, expected));
  return false;
}

function orderOf(actual: unknown, expected: unknown): number | null {
  const a = toNumber(actual);
  const b = toNumber(expected);
  if (a !== null && b !== null) return a - b;
  const x = toInstant(actual);
  const y = toInstant(expected);
  return x !== null && y !== null ? x - y : null;
}

function pointInTime(expected: unknown, now: number): number | null {
  if (expected && typeof expected === 'object' && 'direction' in expected) {
    const relative = expected as { amount: number; unit: 'minutes' | 'hours' | 'days' | 'weeks'; direction: 'ago' | 'from-now' };
    const span = durationToMs(relative);
    return relative.direction === 'ago' ? now - span : now + span;
  }
  return toInstant(expected);
}

export function spanOf(expected: unknown): number | null {
  if (expected && typeof expected === 'object' && 'unit' in expected && 'amount' in expected) {
    return durationToMs(expected as { amount: number; unit: 'minutes' | 'hours' | 'days' | 'weeks' });
  }
  return null;
}

const dayMs = 86_400_000;

/**
 * The instants an event-count rule counts between, both included, at `now`: the last `within`, or
 * the `between` days (UTC, whole days) up to now — an event is counted once it has happened.
 */
export function countingWindow(rule: EventCountRule, now: number): { since: number; until: number } {
  return { since: windowStart(rule, now), until: windowEnd(rule, now) };
}

/** `countingWindow`'s `since`, without an object: segment upkeep asks for millions of them. */
export function windowStart(rule: EventCountRule, now: number): number {
  return rule.between ? Date.parse(`${rule.between.from}T00:00:00Z`) : now - (rule.within ? durationToMs(rule.within) : 0);
}

/** `countingWindow`'s `until`. */
export function windowEnd(rule: EventCountRule, now: number): number {
  return rule.between ? Math.min(now, Date.parse(`${rule.between.to}T00:00:00Z`) + dayMs - 1) : now;
}

/** The past events rules can count: their names, and the earliest instant any of them counts from. */
export interface EventHistoryNeed {
  names: ReadonlySet<string>;
  since: number;
}

/**
 * What of a customer's event history the rules inside `sources` (machines, rule groups) count at
 * `now`; null when none counts events, so nothing need be loaded. Loading only these names, from
 * this instant, is both less to read than "the last N days of everything" and never too little.
 */
export function eventHistoryNeed(sources: Iterable<object>, now: number): EventHistoryNeed | null {
  const names = new Set<string>();
  let since = Number.POSITIVE_INFINITY;
  for (const source of sources) {
    for (const rule of eventCountRules(source)) {
      names.add(rule.event);
      since = Math.min(since, countingWindow(rule, now).since);
    }
  }
  return names.size ? { names, since } : null;
}

const countRulesFound = new WeakMap<object, EventCountRule[]>();

/** The event-count rules anywhere inside an object (a machine, a rule group), found once per object. */
function eventCountRules(source: object): EventCountRule[] {
  let found = countRulesFound.get(source);
  if (!found) {
    found = [];
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) for (const item of value) visit(item);
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (record.kind === 'event-count' && typeof record.event === 'string') found!.push(record as unknown as EventCountRule);
        for (const child of Object.values(record)) visit(child);
      }
    };
    visit(source);
    countRulesFound.set(source, found);
  }
  return found;
}

const ruleKindsUsed = new WeakMap<object, Set<string>>();

/** The rule kinds a machine's rules use, found once per machine object. */
function ruleKinds(machine: object): Set<string> {
  let kinds = ruleKindsUsed.get(machine);
  if (!kinds) {
    kinds = new Set([...JSON.stringify(machine).matchAll(/"kind":"(event-count|message)"/g)].map((m) => m[1]!));
    ruleKindsUsed.set(machine, kinds);
  }
  return kinds;
}

/**
 * Whether any rule of a machine asks about its messages (delivered, opened, clicked); only then
 * does a runtime need to load a run's message activity to advance it.
 */
export function usesMessageActivity(machine: object): boolean {
  return ruleKinds(machine).has('message');
}
