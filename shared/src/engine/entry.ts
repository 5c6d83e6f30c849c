import { durationToMs } from '../graph/index.ts';
import type { JourneyMachine } from '../compile/index.ts';
import { evaluateRules, matchesFilter, type RuleEnv } from './evaluate-rules.ts';
import type { CustomerEvent, CustomerProfile, Progress, RunStatus } from './types.ts';
import { readPath } from './values.ts';

/** What entry decisions need to know of a customer's earlier runs of the same journey. */
export interface PastRun {
  key: string | null;
  status: RunStatus;
  enteredAt: string;
}

export type EntryDecision = { enter: true; key: string | null } | { enter: false; reason: string };

/** Whether an event starts this journey for the customer (event entries only; name and filter). */
export function matchesEventEntry(machine: JourneyMachine, event: CustomerEvent, customer: CustomerProfile): boolean {
  const entry = machine.entry;
  if (entry.kind !== 'event' || entry.event !== event.name) return false;
  if (!entry.filter?.length) return true;
  const env: RuleEnv = { now: Date.parse(event.timestamp), customer, trigger: event, events: [], messageActivity: [] };
  return matchesFilter(entry.filter, event, env).matched;
}

/** Whether a customer matches a segment or scheduled entry's rules at `now`. */
export function matchesEntryRules(machine: JourneyMachine, customer: CustomerProfile, now: string, events: readonly CustomerEvent[] = []): boolean {
  const entry = machine.entry;
  const rules = entry.kind === 'segment' ? entry.rules : entry.kind === 'schedule' ? entry.rules : undefined;
  if (!rules) return entry.kind === 'schedule';
  return evaluateRules(rules, { now: Date.parse(now), customer, trigger: null, events, messageActivity: [] }).matched;
}

/**
 * Applies the journey's re-entry and concurrency settings (SPEC R1–R5). In per-key journeys
 * both are judged among runs with the same key.
 */
export function decideEntry(machine: JourneyMachine, pastRuns: readonly PastRun[], trigger: CustomerEvent | null, now: string): EntryDecision {
  const { concurrency, reEntry } = machine.settings;
  let key: string | null = null;
  if (concurrency.mode === 'per-key') {
    const value = readPath(trigger?.properties, concurrency.property);
    if (value === undefined || value === null || value === '') {
      return { enter: false, reason: `the trigger event has no ${concurrency.property}` };
    }
    key = String(value);
  }
  const runs = pastRuns.filter((run) => run.key === key);
  if (runs.some((run) => run.status === 'active')) return { enter: false, reason: 'already in this journey' };
  if (runs.length > 0 && reEntry.mode === 'never') return { enter: false, reason: 'has been in this journey before' };
  if (runs.length > 0 && reEntry.mode === 'after') {
    const last = Math.max(...runs.map((run) => Date.parse(run.enteredAt)));
    const free = last + durationToMs(reEntry.cooldown);
    if (Date.parse(now) < free) return { enter: false, reason: `re-entry cooldown until ${new Date(free).toISOString()}` };
  }
  return { enter: true, key };
}

/** A new run, not yet entered: feed it `{ type: 'enter' }` with `advance`. */
export function startProgress(args: { id: string; machine: JourneyMachine; customerId: string; trigger: CustomerEvent | null; key: string | null; now: string }): Progress {
  return {
    id: args.id,
    journeyId: args.machine.journeyId,
    customerId: args.customerId,
    key: args.key,
    status: 'active',
    position: null,
    trigger: args.trigger,
    lastEvent: null,
    visits: {},
    enteredAt: args.now,
    updatedAt: args.now,
    endedAt: null,
    endReason: null,
    convertedAt: null,
  };
}
