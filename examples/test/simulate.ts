import { compileJourney, simulateRun, type CustomerProfile, type Effect, type SimulationOptions } from '@waymark/shared';
import { examples } from '@waymark/examples';

/** Compiles an example by id. */
export function machineOf(id: string) {
  const example = examples.find((e) => e.id === id);
  if (!example) throw new Error(`no example ${id}`);
  return compileJourney(example.document);
}

/** Runs a scripted customer and returns what a reviewer reads: path, messages, end. */
export function run(id: string, options: Omit<SimulationOptions, 'machine'>) {
  const result = simulateRun({ machine: machineOf(id), ...options });
  const steps = result.effects.filter((e): e is Extract<Effect, { type: 'record-step' }> => e.type === 'record-step');
  const messages = result.effects.filter((e): e is Extract<Effect, { type: 'send-message' }> => e.type === 'send-message');
  const sentAt = result.timeline.flatMap((entry) => entry.effects.filter((e) => e.type === 'send-message').map(() => entry.at));
  return {
    path: steps.map((s) => [s.nodeId, s.handle, s.reason]),
    steps,
    messages: messages.map((m, i) => ({ node: m.nodeId, channel: m.channel, to: m.to, at: sentAt[i], content: m.content })),
    status: result.progress.status,
    endReason: result.progress.endReason,
    result,
  };
}

/** A customer with the channels given as `{ email: 'a@b' }` or `{ sms: ['+1…', 'opted-in'] }`. */
export function customer(id: string, traits: Record<string, unknown>, channels: Record<string, string | [string, string]> = {}): CustomerProfile {
  return {
    id,
    traits,
    channels: Object.fromEntries(
      Object.entries(channels).map(([channel, value]) => (Array.isArray(value) ? [channel, { address: value[0], consent: value[1] }] : [channel, { address: value }])),
    ) as CustomerProfile['channels'],
  };
}
