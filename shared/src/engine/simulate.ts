import type { JourneyMachine } from '../compile/index.ts';
import { playStory } from '../preview/preview-journey.ts';
import type { CustomerEvent, CustomerProfile, Effect, EngineContext, EngineInput, IgnoredReason, Progress } from './types.ts';

export interface SimulationOptions {
  machine: JourneyMachine;
  customer: CustomerProfile;
  /** When the run enters; for event-triggered journeys the trigger event's timestamp is used if omitted. */
  startAt?: string;
  trigger?: CustomerEvent | null;
  /** Events the customer performs later, in any order; each is fed at its timestamp. */
  events?: CustomerEvent[];
  /** Stop before timers due after this instant (default: 400 days after entry). */
  until?: string;
  progressId?: string;
  /** Fixed parts of the context: frequency caps, engagement with this run's messages, past events. */
  context?: Pick<EngineContext, 'frequencyCap' | 'messageActivity' | 'events' | 'stepCap'>;
}

export interface SimulationEntry {
  at: string;
  input: EngineInput;
  effects: Effect[];
  ignored?: IgnoredReason;
}

export interface SimulationResult {
  progress: Progress;
  customer: CustomerProfile;
  timeline: SimulationEntry[];
  /** Every effect in order, for convenience. */
  effects: Effect[];
}

/**
 * Runs one customer through a journey on a virtual clock: enters (whatever the entry rules say),
 * then feeds scripted events and due timers in time order until the run ends or the horizon is
 * reached. Pure, like `advance`; the preview's `playStory` with a bare script, for tests.
 */
export function simulateRun(options: SimulationOptions): SimulationResult {
  const trigger = options.trigger ?? null;
  const startAt = options.startAt ?? trigger?.timestamp;
  if (!startAt) throw new Error('simulateRun needs startAt or a trigger event');
  const start = Date.parse(startAt);
  const { stepCap, ...context } = options.context ?? {};
  const played = playStory({
    machine: options.machine,
    customer: options.customer,
    context: { ...context, events: [...(context.events ?? [])], workspaceZone: options.machine.settings.timeZone },
    trigger,
    entryKind: trigger ? 'event' : 'audience',
    start,
    inputs: (options.events ?? [])
      .map((event, order) => ({
        at: Date.parse(event.timestamp),
        order,
        event,
        item: { kind: 'track' as const, after: { amount: 0, unit: 'minutes' as const }, name: event.name, properties: event.properties },
      }))
      .sort((a, b) => a.at - b.at || a.order - b.order),
    horizon: options.until ? Date.parse(options.until) : start + 400 * 86_400_000,
    progressId: options.progressId ?? `sim-${options.customer.id}`,
    forceEntry: true,
    ...(context.messageActivity ? { messageActivity: context.messageActivity } : {}),
    ...(stepCap ? { stepCap } : {}),
  });
  return { progress: played.run!, customer: played.customer, timeline: played.trace, effects: played.trace.flatMap((entry) => entry.effects) };
}
