import { z } from 'zod';
import { Channel } from '../graph/index.ts';
import { ChannelState } from '../engine/types.ts';
import { PreviewContext, Story, type PreviewResult } from '../preview/preview-story.ts';

/** A customer written for a preview: traits, addresses and consent per channel, a preferred channel. */
export const PreviewProfile = z.object({
  traits: z.record(z.string(), z.unknown()).default({}),
  channels: z.partialRecord(Channel, ChannelState).default({}),
  preferredChannel: Channel.optional(),
});
export type PreviewProfile = z.infer<typeof PreviewProfile>;

/** Who the preview runs for: a real customer (their profile and what the runtime knows of them), a saved test customer, or one written inline. */
export const PreviewCustomerRef = z.union([
  z.object({ customerId: z.string().min(1).max(200) }).strict(),
  z.object({ testCustomerId: z.string().min(1).max(200) }).strict(),
  z.object({ profile: PreviewProfile }).strict(),
]);
export type PreviewCustomerRef = z.infer<typeof PreviewCustomerRef>;

/**
 * A request's `context`: each field sent replaces what the runtime reads; a field left out is read,
 * so none has a default here (`PreviewContext.partial()` would fill every absent field with its default).
 */
const PreviewContextOverrides = z.object({
  pastRuns: PreviewContext.shape.pastRuns.unwrap().optional(),
  paused: PreviewContext.shape.paused.unwrap().optional(),
  events: PreviewContext.shape.events.unwrap().optional(),
  sentToday: PreviewContext.shape.sentToday.unwrap().optional(),
  frequencyCap: PreviewContext.shape.frequencyCap.unwrap().optional(),
  workspaceZone: PreviewContext.shape.workspaceZone.unwrap().optional(),
  consentPolicy: PreviewContext.shape.consentPolicy.unwrap().optional(),
});

/**
 * `POST /journeys/:id/preview`: runs the preview on the server — of `document` (a draft as it is
 * on the canvas), of a published `version`, or else of the saved draft — for a customer and a story.
 * `context` overrides what is read from a real customer (earlier runs, sends today, events).
 */
export const PreviewRequest = z
  .object({
    document: z.unknown().optional(),
    version: z.number().int().min(1).optional(),
    customer: PreviewCustomerRef,
    story: Story,
    context: PreviewContextOverrides.optional(),
  })
  .refine((r) => !(r.document !== undefined && r.version !== undefined), { message: 'Give a document or a version, not both.', path: ['version'] });
export type PreviewRequest = z.input<typeof PreviewRequest>;

/**
 * `GET /journeys/:id/preview-context?customerId=`: what the runtime would read of a real customer
 * for this journey — the profile, earlier runs, recent events, messages already sent today, the
 * workspace's cap and zone, whether the journey is paused — so the browser previews locally.
 */
export const PreviewSubject = z.object({
  customerId: z.string().nullable(),
  name: z.string(),
  profile: z.object({
    id: z.string(),
    externalId: z.string().optional(),
    traits: z.record(z.string(), z.unknown()),
    channels: z.partialRecord(Channel, ChannelState),
    preferredChannel: Channel.optional(),
  }),
  context: PreviewContext,
});
export type PreviewSubject = z.infer<typeof PreviewSubject>;

/** A test customer saved for the workspace ("Ann, free plan, Istanbul, no SMS consent"). */
export const TestCustomer = z.object({
  id: z.string(),
  name: z.string(),
  profile: PreviewProfile,
  createdBy: z.string().nullable(),
  updatedAt: z.string(),
});
export type TestCustomer = z.infer<typeof TestCustomer>;

export const SaveTestCustomerRequest = z.object({
  name: z.string().trim().min(1, 'Give the test customer a name.').max(120),
  profile: PreviewProfile,
});
export type SaveTestCustomerRequest = z.input<typeof SaveTestCustomerRequest>;

/**
 * `GET /customers/:id/runs/:runId/replay`: a real run told as a preview is — its entry, steps with
 * reasons, messages as sent, the customer's events and profile changes while it ran, its
 * conversion and end — to show on the canvas of the version it ran on.
 */
export interface RunReplay {
  journeyId: string;
  version: number;
  customerName: string;
  result: PreviewResult;
}
