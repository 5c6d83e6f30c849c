import { z } from 'zod';
import { Page } from './contracts.ts';
import { ConsentPolicy } from '../engine/types.ts';
import { Topic } from './providers.ts';

/* The customer list, the single customer view, its timeline, a run's path and one message. */

/** Channels that carry consent (webhooks have none). */
export const ConsentChannel = z.enum(['email', 'sms', 'push', 'in-app']);
export type ConsentChannel = z.infer<typeof ConsentChannel>;

/** A consent filter: `subscribed` also matches `opted-in`; `none` is no recorded choice. */
export const ConsentFilter = z.enum(['subscribed', 'unsubscribed', 'none']);
export type ConsentFilter = z.infer<typeof ConsentFilter>;

/** `GET /customers` query: free text, a trait (name and optional value), an active journey, consent on a channel, and the page. */
export const CustomerListQuery = z
  .object({
    q: z.string().max(200).optional(),
    trait: z.string().min(1).max(200).optional(),
    value: z.string().max(500).optional(),
    journey: z.string().min(1).max(200).optional(),
    channel: ConsentChannel.optional(),
    consent: ConsentFilter.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .superRefine((query, ctx) => {
    if (query.value !== undefined && query.trait === undefined) ctx.addIssue({ code: 'custom', path: ['trait'], message: 'Name the trait the value is for.' });
    if (query.consent !== undefined && query.channel === undefined) ctx.addIssue({ code: 'custom', path: ['channel'], message: 'Name the channel whose consent to filter on.' });
    if (query.channel !== undefined && query.consent === undefined) ctx.addIssue({ code: 'custom', path: ['consent'], message: 'Choose subscribed, unsubscribed or none.' });
  });
export type CustomerListQuery = z.input<typeof CustomerListQuery>;

/** What a trait holds, for the traits table: ISO-8601 strings are dates. */
export const TraitType = z.enum(['text', 'number', 'boolean', 'date', 'list', 'object', 'empty']);
export type TraitType = z.infer<typeof TraitType>;

/** One trait with its detected type; the value as stored. */
export const Trait = z.object({ name: z.string(), type: TraitType, value: z.unknown() });
export type Trait = z.infer<typeof Trait>;

/** A row of the customer list. */
export const CustomerListItem = z.object({
  id: z.string(),
  /** The best name: name trait, first and last name, email, user id, phone — or null for an anonymous visitor. */
  name: z.string().nullable(),
  email: z.string().nullable(),
  userId: z.string().nullable(),
  /** A few traits a marketer reads (plan, company, city…), the filtered trait first. */
  traits: z.array(Trait),
  /** The later of the last profile change and the last event. */
  lastSeenAt: z.string(),
  /** Journeys the customer is in now (active runs). */
  activeJourneys: z.number(),
});
export type CustomerListItem = z.infer<typeof CustomerListItem>;
/** `GET /customers`: a page of customers and how many match in all. */
export const CustomerList = Page(CustomerListItem);
export type CustomerList = z.infer<typeof CustomerList>;

/** A way the customer is known. */
export const Identity = z.object({ kind: z.enum(['user_id', 'anonymous_id', 'email', 'phone', 'push_token']), value: z.string() });
export type Identity = z.infer<typeof Identity>;

/** A channel's address and consent (`null`: no choice recorded). */
export const ChannelConsent = z.object({
  channel: z.string(),
  address: z.string().nullable(),
  consent: z.string().nullable(),
  preferred: z.boolean(),
  /** The address hard-bounced: sends skip it until a new address arrives. */
  bounced: z.boolean(),
  /** Email topics joined (`true`) or left (`false`); topics not listed count as joined. */
  topics: z.record(z.string(), z.boolean()).optional(),
});
export type ChannelConsent = z.infer<typeof ChannelConsent>;

/** One run of the customer through a journey version. */
export const RunSummary = z.object({
  id: z.string(),
  journeyId: z.string(),
  journeyName: z.string(),
  version: z.number(),
  status: z.string(),
  /** Why the run ended: completed, exit-node, converted, exited-early… */
  endReason: z.string().nullable(),
  /** Where an active run is now, in words ("Wait 2 days"). */
  currentStep: z.string().nullable(),
  enteredAt: z.string(),
  endedAt: z.string().nullable(),
  convertedAt: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** A step of a run's path: the node in words, the branch taken, the reason code and its sentence. */
export const RunStep = z.object({
  id: z.number(),
  nodeId: z.string(),
  nodeType: z.string().nullable(),
  nodeLabel: z.string(),
  handle: z.string().nullable(),
  reason: z.string(),
  detail: z.string(),
  at: z.string(),
});
export type RunStep = z.infer<typeof RunStep>;

/** `GET /customers/:id/runs/:runId`: the run and every step it took, in order. */
export const RunPath = z.object({ run: RunSummary, steps: z.array(RunStep), truncated: z.boolean() });
export type RunPath = z.infer<typeof RunPath>;

/** An entry a journey refused, with the sentence saying why. */
export const RefusedEntry = z.object({
  journeyId: z.string(),
  journeyName: z.string(),
  version: z.number(),
  reason: z.string(),
  detail: z.string(),
  count: z.number(),
  firstAt: z.string(),
  lastAt: z.string(),
});
export type RefusedEntry = z.infer<typeof RefusedEntry>;

/** What a timeline item is about; the timeline filters on these. */
export const TimelineKind = z.enum(['event', 'journey', 'message', 'consent', 'refusal']);
export type TimelineKind = z.infer<typeof TimelineKind>;

const item = { id: z.string(), at: z.string() };

/** A timeline item: an event, a journey entry or exit, a message's news, a consent change, a refused entry. */
export const TimelineItem = z.discriminatedUnion('kind', [
  z.object({ ...item, kind: z.literal('event'), type: z.string(), name: z.string().nullable(), properties: z.record(z.string(), z.unknown()) }),
  z.object({
    ...item,
    kind: z.literal('journey'),
    action: z.enum(['entered', 'exited']),
    runId: z.string(),
    journeyId: z.string(),
    journeyName: z.string(),
    version: z.number(),
    status: z.string(),
    endReason: z.string().nullable(),
  }),
  z.object({
    ...item,
    kind: z.literal('message'),
    action: z.enum(['queued', 'sent', 'failed', 'delivered', 'opened', 'clicked', 'skipped']),
    /** Null for a skipped send: nothing was written to the outbox. */
    messageId: z.string().nullable(),
    channel: z.string().nullable(),
    journeyId: z.string(),
    journeyName: z.string(),
    /** The subject, title or text, for a sent message; the step in words, for a skipped one. */
    summary: z.string().nullable(),
    /** The error of a failed message; the reason code of a skip. */
    reason: z.string().nullable(),
    detail: z.string().nullable(),
  }),
  z.object({
    ...item,
    kind: z.literal('consent'),
    channel: z.string(),
    consent: z.string(),
    /**
     * `link`: the unsubscribe link of a message; `identify`: a consent trait sent by an identify call;
     * `preference-page`, `sms-reply` (STOP / START), `api`, `push-subscription`: a `Consent Changed` event.
     */
    source: z.enum(['link', 'identify', 'preference-page', 'sms-reply', 'api', 'push-subscription']),
    /** The email topic joined or left, when the change was to a topic rather than the channel. */
    topic: z.string().optional(),
  }),
  z.object({ ...item, kind: z.literal('refusal'), refusal: RefusedEntry }),
]);
export type TimelineItem = z.infer<typeof TimelineItem>;

/** A page of the timeline, newest first; `next` is the `before` of the following page. */
export const TimelinePage = z.object({ items: z.array(TimelineItem), next: z.string().nullable() });
export type TimelinePage = z.infer<typeof TimelinePage>;

/** `GET /customers/:id/timeline` query: a page before a cursor, of some kinds (comma-separated). */
export const TimelineQuery = z.object({
  before: z
    .string()
    .regex(/^\d{1,18}:[a-z]/, 'Use the "next" value of the previous page.')
    .max(400)
    .optional(),
  kinds: z
    .string()
    .max(200)
    .optional()
    .transform((value, ctx) => {
      if (!value) return TimelineKind.options;
      const kinds = value.split(',').map((k) => k.trim());
      const bad = kinds.find((k) => !TimelineKind.safeParse(k).success);
      if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `"${bad}" is not a kind; use ${TimelineKind.options.join(', ')}.` });
      return kinds as TimelineKind[];
    }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TimelineQuery = z.input<typeof TimelineQuery>;

/** `GET /customers/:id`: who the customer is, consent, traits, runs, refused entries and the first page of the timeline. */
/** A saved segment the customer is in, since when. */
export const CustomerSegment = z.object({ id: z.string(), name: z.string(), since: z.string() });
export type CustomerSegment = z.infer<typeof CustomerSegment>;

/** One change of the customer's membership, newest first: entered or left a segment, and when. */
export const SegmentMembershipChange = z.object({ at: z.string(), change: z.enum(['entered', 'exited']), segmentId: z.string(), segment: z.string() });
export type SegmentMembershipChange = z.infer<typeof SegmentMembershipChange>;

export const CustomerView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  identities: z.array(Identity),
  channels: z.array(ChannelConsent),
  /** The workspace's consent policy on every channel, so "no choice recorded" can say what it means. */
  consentPolicy: ConsentPolicy.required(),
  traits: z.array(Trait),
  runs: z.array(RunSummary),
  refusals: z.array(RefusedEntry),
  timeline: TimelinePage,
  /** The saved segments the customer is in now, by name. */
  segments: z.array(CustomerSegment),
  /** The latest membership changes (up to 50), newest first. */
  segmentHistory: z.array(SegmentMembershipChange),
});
export type CustomerView = z.infer<typeof CustomerView>;

/** A message's content as it was rendered for its channel. */
export const MessageContent = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), subject: z.string(), preheader: z.string().nullable(), fromName: z.string().nullable(), html: z.string(), text: z.string().nullable() }),
  z.object({ channel: z.literal('sms'), text: z.string() }),
  z.object({ channel: z.literal('push'), title: z.string(), body: z.string(), deepLink: z.string().nullable(), imageUrl: z.string().nullable() }),
  z.object({ channel: z.literal('in-app'), title: z.string(), body: z.string(), cta: z.object({ label: z.string(), url: z.string() }).nullable() }),
  z.object({ channel: z.literal('webhook'), method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string().nullable() }),
]);
export type MessageContent = z.infer<typeof MessageContent>;

/** One moment of a message's delivery: queued, sent, delivered, opened, clicked, failed, unsubscribed. */
export const DeliveryEvent = z.object({
  kind: z.enum(['queued', 'sent', 'delivered', 'opened', 'clicked', 'failed', 'unsubscribed']),
  at: z.string(),
  detail: z.string().nullable(),
});
export type DeliveryEvent = z.infer<typeof DeliveryEvent>;

/** `GET /customers/:id/messages/:messageId`: the message as sent, and its delivery history. */
export const MessageDetail = z.object({
  id: z.string(),
  channel: z.string(),
  to: z.string().nullable(),
  status: z.string(),
  attempts: z.number(),
  error: z.string().nullable(),
  transactional: z.boolean(),
  runId: z.string(),
  journeyId: z.string(),
  journeyName: z.string().nullable(),
  version: z.number(),
  nodeLabel: z.string(),
  content: MessageContent,
  history: z.array(DeliveryEvent),
});
export type MessageDetail = z.infer<typeof MessageDetail>;

/** `GET /customers/catalog`: trait names and event names with their property names, as the data has them. */
export const WorkspaceCatalog = z.object({
  traits: z.array(z.string()),
  events: z.record(z.string(), z.object({ properties: z.array(z.string()) })),
  /** The workspace's email topics, for the send step's topic field. */
  topics: z.array(Topic).optional(),
});
export type WorkspaceCatalog = z.infer<typeof WorkspaceCatalog>;
