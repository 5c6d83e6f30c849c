import { z } from 'zod';
import { CalendarDay } from './analytics.ts';
import { CompileError } from '../compile/index.ts';
import { ConsentPolicy } from '../engine/types.ts';
import { Topic } from './providers.ts';

/** Every API error: a stable code, a sentence, and what it is about. */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Role = z.enum(['viewer', 'editor', 'publisher', 'owner']);
export type Role = z.infer<typeof Role>;

export const SignInRequest = z.object({ email: z.email().max(254), password: z.string().min(1).max(1_024) });
export const CreateWorkspaceRequest = z.object({ name: z.string().min(1).max(120) });

/** The most nodes and edges a journey may have: far beyond any flow a person draws, and a bound on the validator's work. */
export const journeyLimits = { nodes: 2_000, edges: 6_000 };

/**
 * A journey document is validated by `validateJourney` on publish; here it only has to be an object
 * of a size the validator can check quickly.
 */
const DocumentBody = z.looseObject({
  schemaVersion: z.number(),
  graph: z.looseObject({
    nodes: z
      .array(z.unknown())
      .max(journeyLimits.nodes, `A journey has at most ${journeyLimits.nodes.toLocaleString('en')} steps.`)
      .optional(),
    edges: z
      .array(z.unknown())
      .max(journeyLimits.edges, `A journey has at most ${journeyLimits.edges.toLocaleString('en')} connections.`)
      .optional(),
  }),
});

export const CreateJourneyRequest = z.object({ name: z.string().min(1).max(200), document: DocumentBody.optional() });
export const UpdateDraftRequest = z.object({ document: DocumentBody, revision: z.number().int().min(1).max(2_147_483_647) });
export const ImportJourneyRequest = z.object({ document: DocumentBody });

export const JourneyStatus = z.enum(['draft', 'live', 'paused', 'archived']);
export const JourneySummary = z.object({
  id: z.string(),
  name: z.string(),
  status: JourneyStatus,
  liveVersion: z.number().nullable(),
  revision: z.number(),
  updatedAt: z.string(),
  activeCustomers: z.number(),
  conversions: z.number(),
  /** Published, and the draft was saved since: what runs is not what the editor shows. */
  unpublishedChanges: z.boolean(),
  /** The live version over the list's range of days: entries, conversions, and entries per day (every day of the range). */
  live: z
    .object({
      version: z.number(),
      entered: z.number(),
      converted: z.number(),
      entriesByDay: z.array(z.object({ day: z.string(), count: z.number() })),
    })
    .nullable(),
});
export type JourneySummary = z.infer<typeof JourneySummary>;

/** `GET /journeys` query: a name filter, and the days (workspace zone, both included; default the last 30) the numbers cover. */
export const JourneyListQuery = z
  .object({
    q: z.string().max(200).optional(),
    from: CalendarDay.optional(),
    to: CalendarDay.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'The range ends before it starts.', path: ['to'] });
export type JourneyListQuery = z.infer<typeof JourneyListQuery>;

/** One journey as the editor loads it: the draft document and the revision to save against. */
export const JourneyDetail = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  status: JourneyStatus,
  draft: z.unknown(),
  revision: z.number(),
  liveVersion: z.number().nullable(),
  updatedAt: z.string(),
  unpublishedChanges: z.boolean(),
  /** Customers in the journey now (entered, not yet out), for confirmations. */
  activeCustomers: z.number(),
});
export type JourneyDetail = z.infer<typeof JourneyDetail>;

/** A workspace the caller belongs to, with the caller's role in it. */
export const WorkspaceSummary = z.object({ id: z.string(), name: z.string(), role: Role });
export type WorkspaceSummary = z.infer<typeof WorkspaceSummary>;

export const PublishFailure = z.object({ error: z.object({ code: z.literal('journey-invalid'), message: z.string(), details: z.array(CompileError) }) });

export const CreateKeyRequest = z.object({
  kind: z.enum(['write', 'token']),
  name: z.string().min(1).max(120),
  role: Role.optional(),
});

export const SetRoleRequest = z.object({ email: z.email(), role: Role });

/** A delivery receipt or engagement reported for a message (by a provider webhook or a script). */
export const MessageEngagementRequest = z.object({ kind: z.enum(['delivered', 'opened', 'clicked', 'unsubscribed']) });
export type MessageEngagementRequest = z.infer<typeof MessageEngagementRequest>;

/** "Send test" on a channel: a test message straight through its adapter, outside any journey. */
export const SendTestRequest = z.object({
  to: z.string().max(500).optional(),
  content: z.record(z.string(), z.unknown()),
});
export type SendTestRequest = z.infer<typeof SendTestRequest>;

/** What a channel is wired to, for the settings screen. */
export const ChannelStatus = z.object({
  channel: z.string(),
  /** `provider`: the workspace's own (kind says which); `sandbox`: recorded, nothing leaves; `inbox`: the in-app inbox. */
  provider: z.enum(['sandbox', 'webhook', 'provider', 'inbox']),
  kind: z.string().nullable(),
});
export type ChannelStatus = z.infer<typeof ChannelStatus>;

/** The workspace settings an owner changes from the settings screen. */
export const UpdateWorkspaceSettingsRequest = z
  .object({
    /** Webhooks (and "send test") may reach loopback, private and link-local addresses. Off by default. */
    allowPrivateNetworks: z.boolean().optional(),
    /** Per channel, `opt-out` (send unless they unsubscribe) or `opt-in` (send only to people who said yes); channels left out keep theirs. */
    consentPolicy: ConsentPolicy.strict().optional(),
    /** Email topics recipients can leave on the preference page; replaces the list. */
    topics: z
      .array(Topic.strict())
      .max(50, 'A workspace has at most 50 topics.')
      .superRefine((topics, ctx) => {
        const seen = new Set<string>();
        topics.forEach((topic, i) => {
          if (seen.has(topic.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `Two topics share the id "${topic.id}".` });
          seen.add(topic.id);
        });
      })
      .optional(),
  })
  .strict();
export type UpdateWorkspaceSettingsRequest = z.infer<typeof UpdateWorkspaceSettingsRequest>;

/** Put set-aside work back: some items by id, or every open one. */
export const RetryDeadLettersRequest = z.object({ ids: z.union([z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(1_000), z.literal('all')]) });
export type RetryDeadLettersRequest = z.infer<typeof RetryDeadLettersRequest>;

/** A page of a list: the items and how many there are in all. */
export const Page = <T extends z.ZodType>(item: T) => z.object({ total: z.number(), items: z.array(item) });

/** Work set aside after failing on its own (an event, a timer or a delivery), with a safe description of its error. */
export const DeadLetter = z.object({
  id: z.number(),
  kind: z.enum(['event', 'timer', 'delivery']),
  ref: z.string(),
  customerId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  error: z.record(z.string(), z.unknown()),
  attempts: z.number(),
  failedAt: z.string(),
  retriedAt: z.string().nullable(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;
export const DeadLetterList = Page(DeadLetter).extend({ open: z.record(z.string(), z.number()) });
export type DeadLetterList = z.infer<typeof DeadLetterList>;

/** One entry of a workspace's audit log. */
export const AuditEntry = z.object({
  id: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  targetName: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditPage = Page(AuditEntry);
export type AuditPage = z.infer<typeof AuditPage>;

/** A workspace's settings as the API returns them. */
export const WorkspaceSettings = z.looseObject({
  allowPrivateNetworks: z.boolean(),
  timeZone: z.string().optional(),
  frequencyCap: z.record(z.string(), z.number()).optional(),
  /** The policy in force on every channel: what was set, the defaults for the rest. */
  consentPolicy: ConsentPolicy.required(),
  topics: z.array(Topic),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

/** The webhook signing secrets in use: the first is current, others still sign until they expire. */
export const WebhookSecrets = z.object({ secrets: z.array(z.object({ prefix: z.string(), createdAt: z.string(), expiresAt: z.string().nullable() })) });
export type WebhookSecrets = z.infer<typeof WebhookSecrets>;

/** A member of a workspace. */
export const Member = z.object({ userId: z.string(), email: z.string(), name: z.string(), role: Role });
export type Member = z.infer<typeof Member>;
