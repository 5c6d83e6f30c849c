import { z } from 'zod';
import { Duration } from './duration.ts';
import { PropertyFilter } from './rules.ts';
import { nodeOf } from './node-base.ts';

export const WaitForEventNodeData = z.object({
  event: z.string().min(1, 'Name the event to wait for'),
  /** Rules over the awaited event; a `valueFrom: trigger-event` rule scopes the wait to this run. */
  filter: PropertyFilter.optional(),
  timeout: Duration.refine((d) => d.amount > 0, { message: 'The timeout must be longer than zero', path: ['amount'] }),
});
export type WaitForEventNodeData = z.infer<typeof WaitForEventNodeData>;

/** Waits for an event or a timeout, whichever comes first. Handles: `event`, `timeout`. */
export const WaitForEventNode = nodeOf('wait-for-event', WaitForEventNodeData);
export type WaitForEventNode = z.infer<typeof WaitForEventNode>;
