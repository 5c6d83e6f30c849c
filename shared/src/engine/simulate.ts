import type { JourneyMachine } from '../compile/index.ts';
import { zonedParts } from '../time/index.ts';
import { advance } from './advance.ts';
import { startProgress } from './entry.ts';
import { customerTimeZone } from './time-zone.ts';
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
 * Runs one customer through a journey on a virtual clock: enters, then feeds scripted events and
 * due timers in time order until the run ends or the horizon is reached. Pure, like `advance`;
 * used by the preview and by tests. Profile updates and sends are applied to the simulated
 * customer and to the per-day send counts the frequency cap reads.
 */
export function simulateRun(options: SimulationOptions): SimulationResult {
  const { machine } = options;
  const trigger = options.trigger ?? null;
  const startAt = options.startAt ?? trigger?.timestamp;
  if (!startAt) throw new Error('simulateRun needs startAt or a trigger event');
  const horizon = Date.parse(options.until ?? new Date(Date.parse(startAt) + 400 * 86_400_000).toISOString());
  const pending = [...(options.events ?? [])].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  let customer = options.customer;
  const sentByDay = new Map<string, number>();
  const timeline: SimulationEntry[] = [];
  const history: CustomerEvent[] = [...(options.context?.events ?? [])];
  let progress = startProgress({
    id: options.progressId ?? `sim-${customer.id}`,
    machine,
    customerId: customer.id,
    trigger,
    key: null,
    now: startAt,
  });

  const dayKey = (at: number, channel: string) => {
    const local = zonedParts(at, customerTimeZone(customer, machine.settings.timeZone));
    return `${local.year}-${local.month}-${local.day}:${channel}`;
  };
  const feed = (at: number, input: EngineInput) => {
    const now = new Date(at).toISOString();
    const sentToday = Object.fromEntries((['email', 'sms', 'push', 'in-app'] as const).map((channel) => [channel, sentByDay.get(dayKey(at, channel)) ?? 0]));
    const ctx: EngineContext = { ...options.context, now, customer, events: history, sentToday };
    const result = advance(machine, progress, input, ctx);
    progress = result.progress;
    timeline.push({ at: now, input, effects: result.effects, ...(result.ignored ? { ignored: result.ignored } : {}) });
    for (const effect of result.effects) {
      if (effect.type === 'update-profile') {
        const traits = { ...customer.traits, ...effect.set };
        for (const trait of effect.unset) delete traits[trait];
        customer = { ...customer, traits };
      }
      if (effect.type === 'send-message') sentByDay.set(dayKey(at, effect.channel), (sentByDay.get(dayKey(at, effect.channel)) ?? 0) + 1);
    }
  };

  if (trigger) history.push(trigger);
  feed(Date.parse(startAt), { type: 'enter' });
  for (let guard = 0; guard < 10_000 && progress.status === 'active'; guard++) {
    const timerAt = progress.position ? Date.parse(progress.position.until) : Infinity;
    const event = pending[0];
    const eventAt = event ? Date.parse(event.timestamp) : Infinity;
    if (Math.min(timerAt, eventAt) > horizon) break;
    if (event && eventAt <= timerAt) {
      pending.shift();
      history.push(event);
      feed(eventAt, { type: 'event', event });
    } else if (progress.position) {
      feed(timerAt, { type: 'timer-fired', timerId: progress.position.timerId });
    } else break;
  }
  return { progress, customer, timeline, effects: timeline.flatMap((entry) => entry.effects) };
}
