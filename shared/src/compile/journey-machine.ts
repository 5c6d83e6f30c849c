import { z } from 'zod';
import { ConditionNodeData, ExitNodeData, JourneySettings, SendNodeData, SplitArm, TriggerEntry, UpdateProfileNodeData, WaitForEventNodeData, WaitNodeData } from '../graph/index.ts';

/** A transition target (a state id), or null where the run ends. */
const Target = z.string().nullable();

export const TriggerState = z.object({ type: z.literal('trigger'), next: z.string() });
export const WaitState = WaitNodeData.extend({ type: z.literal('wait'), next: Target });
export const WaitForEventState = WaitForEventNodeData.extend({
  type: z.literal('wait-for-event'),
  onEvent: z.string(),
  onTimeout: z.string(),
});
export const ConditionState = ConditionNodeData.extend({ type: z.literal('condition'), onYes: z.string(), onNo: z.string() });
export const SplitState = z.object({
  type: z.literal('split'),
  arms: z.array(SplitArm.extend({ next: Target })),
});
export const SendState = z.object({
  type: z.literal('send'),
  ...SendNodeData.shape,
  next: Target,
});
export const UpdateProfileState = UpdateProfileNodeData.extend({ type: z.literal('update-profile'), next: Target });
export const ExitState = ExitNodeData.extend({ type: z.literal('exit') });

/** One state per node, with its transitions made explicit. */
export const MachineState = z.discriminatedUnion('type', [TriggerState, WaitState, WaitForEventState, ConditionState, SplitState, SendState, UpdateProfileState, ExitState]);
export type MachineState = z.infer<typeof MachineState>;
export type StateOf<T extends MachineState['type']> = Extract<MachineState, { type: T }>;

/**
 * A compiled journey: plain JSON, stored with each published version so a running customer
 * never depends on the editable draft.
 */
export const JourneyMachine = z.object({
  machineVersion: z.literal(1),
  journeyId: z.string(),
  name: z.string(),
  initial: z.string(),
  entry: TriggerEntry,
  settings: JourneySettings,
  states: z.record(z.string(), MachineState),
});
export type JourneyMachine = z.infer<typeof JourneyMachine>;
