import { durationToMs, type PropertyComparison, type Rule } from '../graph/index.ts';
import { countingWindow, eventInstant, matchesFilter, type RuleEnv, spanOf } from './evaluate-rules.ts';
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
  const candidates: number[] = [];
  collect(rule, env, candidates);
  let next = Number.POSITIVE_INFINITY;
  for (const at of candidates) if (at > env.now && at < next) next = at;
  return next === Number.POSITIVE_INFINITY ? null : next;
}

function collect(rule: Rule, env: RuleEnv, into: number[]) {
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
    case 'event-count': {
      for (const event of env.events) {
        if (event.name !== rule.event) continue;
        const at = eventInstant(event);
        if (Number.isNaN(at) || (rule.filter && !matchesFilter(rule.filter, event, env).matched)) continue;
        if (rule.between) {
          // Fixed days: an event in them is counted from when it happens (one dated ahead, then), and stays.
          const { since, until } = countingWindow(rule, Number.POSITIVE_INFINITY);
          if (at >= since && at <= until) into.push(at);
        } else {
          // Counted from `at` (an event dated ahead comes into the window then) until `at + window`.
          into.push(at, at + (rule.within ? durationToMs(rule.within) : 0) + 1);
        }
      }
      return;
    }
    case 'channel':
    case 'message':
    case 'segment':
      return;
  }
}

/** Where a comparison against a moving point in time flips: relative `before` / `after`, `within-last` / `within-next`. */
function comparisonChanges(actual: unknown, rule: PropertyComparison, into: number[]) {
  const at = toInstant(actual);
  if (at === null) return;
  const expected = rule.value;
  if ((rule.operator === 'before' || rule.operator === 'after') && expected && typeof expected === 'object' && 'direction' in expected) {
    // `at < now ∓ span` flips when now passes `at ± span`.
    const span = durationToMs(expected);
    const edge = expected.direction === 'ago' ? at + span : at - span;
    into.push(edge, edge + 1);
    return;
  }
  if (rule.operator === 'within-last' || rule.operator === 'within-next') {
    const span = spanOf(expected);
    if (span === null) return;
    // True for now in [at, at + span] (last) or [at - span, at] (next).
    if (rule.operator === 'within-last') into.push(at, at + span + 1);
    else into.push(at - span, at + 1);
  }
}
