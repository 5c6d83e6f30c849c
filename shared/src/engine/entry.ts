import { durationToMs, segmentEventNames } from '../graph/index.ts';
import type { JourneyMachine } from '../compile/index.ts';
import { evaluateRules, matchesFilter, type RuleEnv } from './evaluate-rules.ts';
import type { ConsentPolicy, CustomerEvent, CustomerProfile, Progress, RunStatus } from './types.ts';
import { readPath } from './values.ts';

/** What entry decisions need to know of a customer's earlier runs of the same journey. */
export interface PastRun {
  key: string | null;
  status: RunStatus;
  enteredAt: string;
}

/** Why an entry was refused, as a stable code (the reason is the sentence for people). */
export type EntryRefusal = 'no-key' | 'already-in-journey' | 're-entry-never' | 're-entry-cooldown';
export type EntryDecision = { enter: true; key: string | null } | { enter: false; code: EntryRefusal; reason: string };

/** Whether an event starts this journey for the customer (event entries only; name and filter). */
export function matchesEventEntry(machine: JourneyMachine, event: CustomerEvent, customer: CustomerProfile): boolean {
  return checkEventEntry(machine, event, customer) === 'enters';
}

/**
 * Whether an event starts an event-triggered run: `other-event` when it is not the trigger's event
 * at all, `filtered` (with why) when it is but the trigger's property filter refuses it — the
 * customer tried to enter and the audience filter said no, which is worth recording.
 */
export function checkEventEntry(machine: JourneyMachine, event: CustomerEvent, customer: CustomerProfile): 'enters' | 'other-event' | { filtered: string } {
  const entry = machine.entry;
  if (entry.kind === 'segment-change') return entryEventName(entry) === event.name && event.properties.segmentId === entry.segmentId ? 'enters' : 'other-event';
  if (entry.kind !== 'event' || entry.event !== event.name) return 'other-event';
  if (!entry.filter?.length) return 'enters';
  const env: RuleEnv = { now: Date.parse(event.timestamp), customer, trigger: event, events: [], messageActivity: [] };
  const verdict = matchesFilter(entry.filter, event, env);
  return verdict.matched ? 'enters' : { filtered: verdict.detail };
}

/**
 * The event that starts a journey: the trigger's event, or for a segment-change trigger the
 * membership event (`Segment Entered` / `Segment Exited`); null for audiences and enrollments.
 */
export function entryEventName(entry: JourneyMachine['entry']): string | null {
  if (entry.kind === 'event') return entry.event;
  if (entry.kind === 'segment-change') return segmentEventNames[entry.change];
  return null;
}

/** The events that can end a run as an exit criterion: the criteria's events, and leaving a segment when one can. */
export function exitEventNames(machine: JourneyMachine): Set<string> {
  const criteria = machine.settings.exitCriteria;
  const names = new Set((criteria?.events ?? []).map((c) => c.event));
  const bySegment = (criteria?.segments ?? []).length > 0 || (criteria?.whenEntryRulesStopMatching && machine.entry.kind === 'segment-change' && machine.entry.change === 'entered');
  if (bySegment) names.add(segmentEventNames.exited);
  return names;
}

const heard = new WeakMap<JourneyMachine, ReadonlySet<string>>();

/**
 * The track events a run of this machine can act on — an exit criterion (or leaving a segment it
 * exits on), its goal, or an event one of its steps waits for. Any other event leaves every run
 * of it as it was, so a runtime need not feed it to them (property-tested).
 */
export function eventsHeard(machine: JourneyMachine): ReadonlySet<string> {
  let names = heard.get(machine);
  if (!names) {
    const all = exitEventNames(machine);
    if (machine.settings.goal) all.add(machine.settings.goal.event);
    for (const state of Object.values(machine.states)) if (state.type === 'wait-for-event') all.add(state.event);
    names = all;
    heard.set(machine, names);
  }
  return names;
}

/** Whether a customer matches a segment or scheduled entry's rules at `now` (channel rules under the workspace's consent policy). */
export function matchesEntryRules(machine: JourneyMachine, customer: CustomerProfile, now: string, events: readonly CustomerEvent[] = [], consentPolicy?: ConsentPolicy): boolean {
  const entry = machine.entry;
  if (entry.kind === 'schedule' && entry.segmentId && !customer.segments?.includes(entry.segmentId)) return false;
  const rules = entry.kind === 'segment' ? entry.rules : entry.kind === 'schedule' ? entry.rules : undefined;
  if (!rules) return entry.kind === 'schedule';
  return evaluateRules(rules, { now: Date.parse(now), customer, trigger: null, events, messageActivity: [], consentPolicy }).matched;
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
      return { enter: false, code: 'no-key', reason: `the trigger event has no ${concurrency.property}` };
    }
    key = String(value);
  }
  const runs = pastRuns.filter((run) => run.key === key);
  if (runs.some((run) => run.status === 'active')) return { enter: false, code: 'already-in-journey', reason: 'already in this journey' };
  if (runs.length > 0 && reEntry.mode === 'never') return { enter: false, code: 're-entry-never', reason: 'has been in this journey before' };
  if (runs.length > 0 && reEntry.mode === 'after') {
    const last = Math.max(...runs.map((run) => Date.parse(run.enteredAt)));
    const free = last + durationToMs(reEntry.cooldown);
    if (Date.parse(now) < free) return { enter: false, code: 're-entry-cooldown', reason: `re-entry cooldown until ${new Date(free).toISOString()}` };
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
