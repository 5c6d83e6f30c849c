import type { JourneyMachine, MachineState } from '../compile/index.ts';
import type { RunPosition } from './types.ts';

/** States whose execution never reads the customer's profile (a split buckets by the run's customer id). */
const profileFree = new Set<MachineState['type']>(['exit', 'split', 'trigger']);

const answers = new WeakMap<object, Map<string, boolean>>();

/**
 * Whether firing the timer of a run parked at `position` can read the customer's profile
 * (traits, channels, consent, time zone) — what `advance` reads on the way from there to the next
 * park or the end. When it cannot (a wait followed only by exits and splits, a holdout ending), a
 * runtime need not load the customer to fire it. Conservative: every state reachable from where
 * the run resumes counts, and any state other than an exit, a split or the trigger reads.
 */
export function timerReadsCustomer(machine: JourneyMachine, position: Pick<RunPosition, 'nodeId' | 'waiting'>): boolean {
  // A deferred send resumes at its own node; a holdout only ends.
  if (position.waiting === 'holdout') return false;
  if (position.waiting === 'quiet-hours') return true;
  const known = answers.get(machine) ?? new Map<string, boolean>();
  answers.set(machine, known);
  const cached = known.get(position.nodeId);
  if (cached !== undefined) return cached;
  const state = machine.states[position.nodeId];
  const resumes = state?.type === 'wait' ? [state.next] : state?.type === 'wait-for-event' ? [state.onTimeout] : null;
  const reads = resumes === null || reachesProfileRead(machine, resumes);
  known.set(position.nodeId, reads);
  return reads;
}

function reachesProfileRead(machine: JourneyMachine, from: (string | null)[]): boolean {
  const seen = new Set<string>();
  const queue = from.filter((id): id is string => id !== null);
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const state = machine.states[id];
    if (!state || !profileFree.has(state.type)) return true;
    if (state.type === 'split') for (const arm of state.arms) if (arm.next !== null) queue.push(arm.next);
    if (state.type === 'trigger') queue.push(state.next);
  }
  return false;
}
