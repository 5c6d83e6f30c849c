import { durationToMs, type EventCountRule, type PropertyComparison, type Rule } from '../graph/index.ts';
import { countMatches, evaluateRules, eventInstant, matchesFilter, type RuleEnv, spanOf, windowEnd, windowStart } from './evaluate-rules.ts';
import { readPath, toInstant } from './values.ts';

/**
 * The earliest instant after `env.now` at which the rule's verdict may change with nothing new
 * happening — time alone: an event leaving (or, dated ahead, entering) a counting window, a date
 * trait entering or leaving "within the last / next" span, a relative "before / after" bound
 * passing it. Null when time alone never changes it. Conservative: the verdict may also stay the
 * same at that instant, but it never changes before it (property-tested against `evaluateRules`).
 * Segments are checked again at this instant, the way timers fire.
 */
export function nextRuleChange(rule: Rule, env: RuleEnv): number | null {
  const next = { at: Number.POSITIVE_INFINITY, after: env.now };
  collect(rule, env, next);
  return next.at === Number.POSITIVE_INFINITY ? null : next.at;
}

/**
 * `evaluateRules(rule, env).matched` and `nextRuleChange(rule, env)` in one walk: segment upkeep
 * asks both of every segment time can change, and the two walked the same events through the same
 * filters (property-tested to agree with them).
 */
export function matchAndNextChange(rule: Rule, env: RuleEnv): { matched: boolean; next: number | null } {
  const next = { at: Number.POSITIVE_INFINITY, after: env.now };
  const matched = walk(rule, env, next);
  return { matched, next: next.at === Number.POSITIVE_INFINITY ? null : next.at };
}

function walk(rule: Rule, env: RuleEnv, into: Earliest): boolean {
  switch (rule.kind) {
    case 'group': {
      // Every child, whatever the group's verdict: each may name the next change.
      let all = true;
      let any = false;
      for (const child of rule.rules) {
        const matched = walk(child, env, into);
        all &&= matched;
        any ||= matched;
      }
      return rule.match === 'all' ? all : any;
    }
    case 'event-count': {
      const since = windowStart(rule, env.now);
      const until = windowEnd(rule, env.now);
      let count = 0;
      forEachCounted(rule, env, (at) => {
        if (at >= since && at <= until) count++;
        offerCounted(rule, at, into);
      });
      return countMatches(rule, count);
    }
    default:
      collect(rule, env, into);
      return evaluateRules(rule, env).matched;
  }
}

/** Each of the customer's events an event-count rule counts at some time (its name, a valid instant, its filter passed), by instant. */
function forEachCounted(rule: EventCountRule, env: RuleEnv, counted: (at: number) => void) {
  for (const event of env.events) {
    if (event.name !== rule.event) continue;
    const at = eventInstant(event);
    if (Number.isNaN(at) || (rule.filter && !matchesFilter(rule.filter, event, env).matched)) continue;
    counted(at);
  }
}

/** Where one counted event may move an event-count rule's verdict. */
function offerCounted(rule: EventCountRule, at: number, into: Earliest) {
  if (rule.between) {
    // Fixed days: an event in them is counted from when it happens (one dated ahead, then), and stays.
    if (at >= windowStart(rule, Number.POSITIVE_INFINITY) && at <= windowEnd(rule, Number.POSITIVE_INFINITY)) offer(into, at);
  } else {
    // Counted from `at` (an event dated ahead comes into the window then) until `at + window`.
    offer(into, at);
    offer(into, at + (rule.within ? durationToMs(rule.within) : 0) + 1);
  }
}

/** The earliest instant after `after` offered so far: kept as they come, without a list of candidates (upkeep asks for every segment an event touches). */
interface Earliest {
  at: number;
  after: number;
}

function offer(into: Earliest, at: number) {
  if (at > into.after && at < into.at) into.at = at;
}

function collect(rule: Rule, env: RuleEnv, into: Earliest) {
  switch (rule.kind) {
    case 'group':
      for (const child of rule.rules) collect(child, env, into);
      return;
    case 'trait':
      comparisonChanges(readPath(env.customer.traits, rule.path), rule, into);
      return;
    case 'event-property':
      comparisonChanges(readPath(env.trigger?.properties, rule.path), rule, into);
      return;
    case 'event-count':
      forEachCounted(rule, env, (at) => offerCounted(rule, at, into));
      return;
    case 'channel':
    case 'message':
    case 'segment':
      return;
  }
}

/** Where a comparison against a moving point in time flips: relative `before` / `after`, `within-last` / `within-next`. */
function comparisonChanges(actual: unknown, rule: PropertyComparison, into: Earliest) {
  const at = toInstant(actual);
  if (at === null) return;
  const expected = rule.value;
  if ((rule.operator === 'before' || rule.operator === 'after') && expected && typeof expected === 'object' && 'direction' in expected) {
    // `at < now ∓ span` flips when now passes `at ± span`.
    const span = durationToMs(expected);
    const edge = expected.direction === 'ago' ? at + span : at - span;
    offer(into, edge);
    offer(into, edge + 1);
    return;
  }
  if (rule.operator === 'within-last' || rule.operator === 'within-next') {
    const span = spanOf(expected);
    if (span === null) return;
    // True for now in [at, at + span] (last) or [at - span, at] (next).
    if (rule.operator === 'within-last') {
      offer(into, at);
      offer(into, at + span + 1);
    } else {
      offer(into, at - span);
      offer(into, at + 1);
    }
  }
}
