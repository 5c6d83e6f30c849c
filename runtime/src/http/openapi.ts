import { z } from 'zod';
import {
  ChannelStatus,
  CustomerRef,
  InboxResponse,
  PushKeyResponse,
  PushSubscribeRequest,
  PushUnsubscribeRequest,
  CreateJourneyRequest,
  CreateKeyRequest,
  CreateWorkspaceRequest,
  ErrorBody,
  ImportJourneyRequest,
  JourneySummary,
  MessageEngagementRequest,
  ProviderInput,
  ProviderView,
  SandboxMessage,
  SendTestRequest,
  SendTestResult,
  SetRoleRequest,
  SignInRequest,
  UpdateDraftRequest,
  AuditPage,
  DeadLetterList,
  Member,
  RetryDeadLettersRequest,
  UpdateWorkspaceSettingsRequest,
  WebhookSecrets,
  WorkspaceSettings,
  CustomerImportRequest,
  CustomerImportResponse,
  CustomerList,
  CustomerView,
  MessageDetail,
  RunPath,
  TimelinePage,
  WorkspaceCatalog,
  Page,
  PreviewRequest,
  PreviewSubject,
  SaveTestCustomerRequest,
  TestCustomer,
  EnrollmentRequest,
  SegmentEnrollmentRequest,
  EnrollmentResponse,
  SegmentEstimate,
  SegmentEstimateRequest,
  SegmentInput,
  SegmentMembers,
  SegmentSummary,
  UpdateSegmentRequest,
} from '@waymark/shared';

type Op = { summary: string; body?: z.ZodType; response?: z.ZodType; role?: string };
const ws = '/api/workspaces/{workspaceId}';

/** Every management and ingestion route, described once; served at `/api/openapi.json`. */
const routes: Record<string, Record<string, Op>> = {
  '/api/sessions': { post: { summary: 'Sign in (sets an httpOnly session cookie)', body: SignInRequest }, delete: { summary: 'Sign out' } },
  '/api/workspaces': { get: { summary: 'Workspaces of the caller' }, post: { summary: 'Create a workspace (caller becomes owner)', body: CreateWorkspaceRequest } },
  [`${ws}/journeys`]: { get: { summary: 'List journeys (?q= searches names)', response: z.array(JourneySummary) }, post: { summary: 'Create a journey', body: CreateJourneyRequest, role: 'editor' } },
  [`${ws}/journeys/import`]: { post: { summary: 'Import a journey document', body: ImportJourneyRequest, role: 'editor' } },
  [`${ws}/journeys/{id}`]: {
    get: { summary: 'Read a journey and its draft, whether it has unpublished changes and how many customers are in it' },
    put: { summary: 'Save the draft at a revision (409 if it moved)', body: UpdateDraftRequest, role: 'editor' },
    delete: { summary: 'Archive', role: 'publisher' },
  },
  [`${ws}/journeys/{id}/export`]: { get: { summary: 'The draft document as JSON' } },
  [`${ws}/journeys/{id}/duplicate`]: { post: { summary: 'Copy the draft into a new journey', role: 'editor' } },
  [`${ws}/journeys/{id}/publish`]: { post: { summary: 'Validate, compile and publish a new version (422 with CompileError[] when invalid)', role: 'publisher' } },
  [`${ws}/journeys/{id}/pause`]: { post: { summary: 'Pause: refuse new entries (recorded per customer) and hold every customer, timer and message in place', role: 'publisher' } },
  [`${ws}/journeys/{id}/resume`]: { post: { summary: "Resume: release what was held, in order, sending what came due or skipping it per the journey's afterPause setting", role: 'publisher' } },
  [`${ws}/journeys/{id}/enrollments`]: {
    post: {
      summary:
        'Enroll up to 1,000 customers (by customerId, userId or email) into a live journey that starts "by API or by hand"; properties become the trigger\'s (templates read them as event); re-entry rules apply and each refusal or unknown customer comes back with its reason; the same idempotencyKey (or Idempotency-Key header) answers the same again and enrolls nobody (replayed: true)',
      body: EnrollmentRequest,
      response: EnrollmentResponse,
      role: 'publisher',
    },
  },
  [`${ws}/journeys/{id}/enrollments/segment`]: {
    post: {
      summary:
        'Enroll everyone in a saved segment into a live journey that starts "by API or by hand", in the background (202 with the audience run; follow scanned of total and enrolled at …/audience-runs); each member enters as an API enrollment with no properties, under the re-entry rules. 404 segment-not-found and 409 segment-building name segmentId; 409 journey-paused, journey-not-live, journey-not-api-entry',
      body: SegmentEnrollmentRequest,
      role: 'publisher',
    },
  },
  [`${ws}/journeys/{id}/audience-runs`]: {
    get: { summary: "A scheduled journey's occurrences and the segments added by hand, newest first, each with its progress (total, scanned, enrolled, waiting for local time)" },
  },
  [`${ws}/journeys/{id}/versions`]: { get: { summary: 'Published versions' } },
  [`${ws}/segments`]: {
    get: { summary: 'Segments with their live member counts and, while members are worked out, the progress', response: z.array(SegmentSummary) },
    post: {
      summary: 'Create a segment (rules over traits, events, consent and other segments); its members are worked out from every customer in the background (status building, then ready)',
      body: SegmentInput,
      response: SegmentSummary,
      role: 'editor',
    },
  },
  [`${ws}/segments/estimate`]: {
    post: {
      summary: 'How many customers these rules match now (exact up to 2,000 customers, else estimated from a sample), with up to five of them',
      body: SegmentEstimateRequest,
      response: SegmentEstimate,
    },
  },
  [`${ws}/segments/{id}`]: {
    get: { summary: 'One segment with its member count', response: SegmentSummary },
    put: {
      summary: 'Save a new definition at a revision (409 if it moved); changed rules are worked out again in the background',
      body: UpdateSegmentRequest,
      response: SegmentSummary,
      role: 'editor',
    },
    delete: { summary: 'Delete a segment no other segment and no live or paused journey uses (409 naming the user)', role: 'editor' },
  },
  [`${ws}/segments/{id}/members`]: { get: { summary: 'Members, newest first, paged (?limit=&offset=) with the total', response: SegmentMembers } },
  [`${ws}/segments/{id}/members.csv`]: {
    get: {
      summary:
        'Every member as a CSV file (text/csv, streamed, UTF-8 with a byte order mark): customer_id, user_id, email, phone, name, then a column per trait; text starting with = + - @ gets a leading apostrophe so spreadsheets do not run it',
    },
  },
  [`${ws}/journeys/{id}/versions/{version}`]: { get: { summary: 'One version: document and machine' } },
  [`${ws}/journeys/{id}/versions/{version}/restore`]: { post: { summary: 'Make a published version the draft again (publish to make it live)', role: 'editor' } },
  [`${ws}/journeys/{id}/stats`]: {
    get: {
      summary:
        'Counters per node over a range of days in the workspace zone (?version=live|all|N&from=YYYY-MM-DD&to=YYYY-MM-DD): passes (entered, left:<handle>), messages (queued, sent, delivered, failed, opened, clicked, unsubscribed, also per channel as sent@email), skips per reason, converted (per split arm: converted:<arm>), time spent in waits (waited:<bucket>), waiting now; distinct customers who entered; A/B readout per split (difference, 95% interval, z-test p); wait medians and p90. ?segment=<id>: only customers who are members of that segment now, every number worked out from their steps and messages at read time (the answer names the segment with its member count); 404 segment-not-found naming the field for a segment the workspace does not have, 422 segment-too-large when the count takes over 20 s',
    },
  },
  [`${ws}/journeys/{id}/report`]: {
    get: {
      summary: 'The stats plus entries, sends, opens, clicks and conversions per day, a per-channel table and how runs ended (same query as stats, ?segment= included)',
    },
  },
  [`${ws}/journeys/{id}/report/segments`]: {
    get: {
      summary:
        'By segment (?version, ?from, ?to as stats; ?segments=<id>,<id> at most 10, else the first 10 by name): all customers (from the counters), then per segment its members now — entries, conversions, messages sent, first opens and clicks in the range — with the member count and whether it is still being built; `available` is how many segments the workspace has. 404 segment-not-found naming `segments`, 422 segment-too-large past 20 s',
    },
  },
  [`${ws}/journeys/{id}/nodes/{nodeId}/customers`]: {
    get: {
      summary:
        'Who a step has: waiting now (?state=waiting, longest first, with the due time) or sent / skipped (with the reason) / failed in the range; paged (?page, pageSize ≤ 200) with the total, searchable (?q); ?segment=<id> lists only its members now',
    },
  },
  [`${ws}/journeys/{id}/preview`]: {
    post: {
      summary:
        "Preview the journey for a customer and a story, on a virtual clock: of `document` (a draft as on the canvas), a published `version` or else the saved draft; for a real customer (`customerId`: their profile, earlier runs, recent events, today's sends), a saved test customer or an inline profile; `context` replaces what is read, field by field. Answers the PreviewResult (entry decision, rows, messages as rendered, visited steps) and `journey` (id, name, version). Nothing is written or sent. 422 with CompileError[] when the journey is invalid, 422 preview-too-expensive past 5 s of work, 503 when too many previews wait",
      body: PreviewRequest,
      role: 'viewer',
    },
  },
  [`${ws}/journeys/{id}/preview-context`]: {
    get: {
      summary:
        "What a preview reads for this journey, to run previewJourney in the browser: ?customerId= a real customer's profile, earlier runs of the journey, track events of 90 days, today's sends; ?testCustomerId= a saved test customer; neither, an empty profile; always the workspace's caps and zone and whether the journey is paused",
      response: PreviewSubject,
    },
  },
  [`${ws}/customers`]: {
    get: {
      summary:
        'Customers, most recently updated first, with the total (?q= id, email, phone or trait value; ?trait=&value=; ?journey= active run; ?channel=&consent=subscribed|unsubscribed|none; ?limit=, ?offset=)',
      response: CustomerList,
    },
  },
  [`${ws}/customers/import`]: {
    post: {
      summary:
        'Import up to 1,000 customers: per row a userId, email and/or phone (E.164), typed traits ({ type: string|number|boolean|date, value }; dates stored as ISO text; an empty value leaves the trait as it is) and consent per channel (opted-in or unsubscribed). Rows match customers by user id, then email, then phone (rows of one person become one customer), traits merge into the profile, and each person is stored as an identify call (segments and journeys react as to one; consent it changes is a Consent Changed event, source identify). Each row comes back created or updated with its customer id, or rejected with the field and why; a bad row fails only itself. The same idempotencyKey (or Idempotency-Key header) again changes nothing (replayed: true)',
      body: CustomerImportRequest,
      response: CustomerImportResponse,
      role: 'publisher',
    },
  },
  [`${ws}/customers/catalog`]: { get: { summary: 'Trait names, and event names with their property names, seen in this workspace', response: WorkspaceCatalog } },
  [`${ws}/customers/{id}`]: {
    get: { summary: 'Single customer view: identities, consent, typed traits, runs, refused entries, the first page of the timeline', response: CustomerView },
    delete: { summary: 'Erase the customer (GDPR)', role: 'publisher' },
  },
  [`${ws}/customers/{id}/timeline`]: {
    get: { summary: "The timeline, newest first (?before= the previous page's next, ?kinds=event,journey,message,consent,refusal, ?limit=)", response: TimelinePage },
  },
  [`${ws}/customers/{id}/runs/{runId}`]: { get: { summary: 'One run and its path: each step with its reason', response: RunPath } },
  [`${ws}/customers/{id}/runs/{runId}/replay`]: {
    get: {
      summary:
        "One run told as a preview (RunReplay: journeyId, version, customerName, result): entry, each step with its reason and the message it sent, the customer's calls while it was live and what each did, conversion and end, where an active run waits",
    },
  },
  [`${ws}/test-customers`]: {
    get: { summary: 'Test customers saved for previews, by name, with the total (?limit=, ?offset=)', response: Page(TestCustomer) },
    post: { summary: 'Save a test customer (409 when the name is taken, in any case); audited', body: SaveTestCustomerRequest, response: TestCustomer, role: 'editor' },
  },
  [`${ws}/test-customers/{id}`]: {
    put: { summary: "Replace a test customer's name and profile (409 when the name is taken); audited", body: SaveTestCustomerRequest, response: TestCustomer, role: 'editor' },
    delete: { summary: 'Delete a test customer; audited', role: 'editor' },
  },
  [`${ws}/customers/{id}/messages/{messageId}`]: { get: { summary: 'One message as sent (rendered content) and its delivery history', response: MessageDetail } },
  [`${ws}/messages/{id}`]: { get: { summary: 'One message: content, delivery status, engagement timestamps' } },
  [`${ws}/messages/{id}/engagement`]: { post: { summary: 'Report a delivery receipt or engagement (first time counts; repeats are no-ops)', body: MessageEngagementRequest, role: 'editor' } },
  [`${ws}/channels`]: { get: { summary: "Each channel and what it sends through: the workspace's provider (kind), the sandbox, the in-app inbox or webhooks", response: z.array(ChannelStatus) } },
  [`${ws}/channels/{channel}/recent`]: {
    get: { summary: "The newest messages the channel's sandbox kept instead of sending (at most 50, newest first), test sends included", response: z.array(SandboxMessage) },
  },
  [`${ws}/channels/{channel}/test`]: {
    post: {
      summary:
        'Send a test message through the channel — the workspace\'s provider when it has one, else the sandbox (kept among its recent messages) — marked as a test ("[Test] " before the email subject, SMS text, push and in-app title; webhooks get Waymark-Test: true), audited, never counted in stats; answers with the provider\'s reply and the message as it left (422 or 502 with the reason when it fails)',
      body: SendTestRequest,
      response: SendTestResult,
      role: 'editor',
    },
  },
  [`${ws}/providers`]: { get: { summary: "The workspace's sending accounts, one per channel; secrets only as set and their last four characters", response: z.array(ProviderView) } },
  [`${ws}/providers/{channel}`]: {
    get: { summary: 'The provider of email, sms or push (404 when the channel uses the sandbox)', response: ProviderView },
    put: {
      summary:
        'Connect or change the provider of a channel: smtp (email), twilio (sms, any Twilio-compatible API by base URL), web-push (push; a VAPID key pair is made once). Secrets left out keep their value; sealed with AES-256-GCM; audited without secrets',
      body: ProviderInput,
      response: ProviderView,
      role: 'owner',
    },
    delete: { summary: 'Disconnect the provider: the channel goes back to the sandbox; audited', role: 'owner' },
  },
  [`${ws}/members`]: {
    get: { summary: 'Members and roles', response: z.array(Member) },
    put: { summary: 'Set a member role (409 when it would leave no owner)', body: SetRoleRequest, role: 'owner' },
  },
  [`${ws}/members/{email}`]: { delete: { summary: 'Remove a member (409 for the last owner)', role: 'owner' } },
  [`${ws}/settings`]: {
    get: { summary: 'Workspace settings', response: WorkspaceSettings },
    patch: { summary: 'Change settings (allowPrivateNetworks: webhooks may reach private addresses)', body: UpdateWorkspaceSettingsRequest, role: 'owner' },
  },
  [`${ws}/webhook-secret`]: { get: { summary: 'Webhook signing secrets in use: prefixes and dates, never the secrets', response: WebhookSecrets, role: 'owner' } },
  [`${ws}/webhook-secret/reveal`]: { post: { summary: 'The current signing secret (audited)', role: 'owner' } },
  [`${ws}/webhook-secret/rotate`]: { post: { summary: 'A new signing secret; the old one keeps signing beside it for 24 hours', role: 'owner' } },
  [`${ws}/dead-letters`]: { get: { summary: 'Work set aside after failing on its own (?kind=event|timer|delivery, ?status=all, ?limit=, ?offset=)', response: DeadLetterList } },
  [`${ws}/dead-letters/retry`]: { post: { summary: 'Put set-aside work back (ids, or "all")', body: RetryDeadLettersRequest, role: 'publisher' } },
  [`${ws}/keys`]: { get: { summary: 'Write keys and API tokens', role: 'owner' }, post: { summary: 'Create a key (secret shown once)', body: CreateKeyRequest, role: 'owner' } },
  [`${ws}/keys/{id}/rotate`]: { post: { summary: 'Revoke and replace a key', role: 'owner' } },
  [`${ws}/keys/{id}`]: { delete: { summary: 'Revoke a key', role: 'owner' } },
  [`${ws}/audit`]: { get: { summary: 'Audit log, newest first (?action= prefix, ?limit=, ?offset=)', response: AuditPage, role: 'owner' } },
};
const ingestion = ['identify', 'track', 'page', 'screen', 'group', 'alias', 'batch'];

export function openApiDocument() {
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' });
  const paths: Record<string, unknown> = {};
  for (const [path, ops] of Object.entries(routes)) {
    paths[path] = Object.fromEntries(
      Object.entries(ops).map(([method, op]) => [
        method,
        {
          summary: op.summary,
          ...(op.role ? { description: `Needs the ${op.role} role.` } : {}),
          ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(op.body) } } } } : {}),
          responses: {
            '200': { description: 'OK', ...(op.response ? { content: { 'application/json': { schema: schema(op.response) } } } : {}) },
            '4XX': { description: 'Error', content: { 'application/json': { schema: schema(ErrorBody) } } },
          },
          security: path === '/api/sessions' ? [] : [{ session: [] }, { token: [] }],
        },
      ]),
    );
  }
  for (const type of ingestion) {
    paths[`/v1/${type}`] = {
      post: {
        summary: `Segment-compatible ${type}`,
        security: [{ writeKey: [] }],
        responses: {
          '200': { description: 'Committed' },
          '400': { description: 'Invalid call: names the call index and field (bad JSON, nesting over 32, text PostgreSQL cannot store, a timestamp out of range); nothing of the request is stored' },
          '401': { description: 'Bad write key' },
          '413': { description: 'Too large (32 KB per call, 500 KB and 2,500 calls per batch, after decompression)' },
          '415': { description: 'Content-Encoding other than gzip or deflate' },
          '503': { description: 'Busy or shutting down: nothing stored; retry after Retry-After seconds' },
        },
      },
    };
  }
  const recipient = { security: [], responses: { '200': { description: 'OK' }, '302': { description: 'Redirect to the link' }, '404': { description: 'No such message or link' } } };
  paths['/t/o/{messageId}'] = { get: { summary: 'Open pixel (a 1×1 GIF, whatever the id)', ...recipient } };
  paths['/t/c/{messageId}/{link}/{signature}'] = {
    get: {
      summary:
        "Click: redirects to the author's n-th link of the message; counted only when the signature (HMAC under a key derived from WAYMARK_SECRET_KEY) matches — a forged or unsigned link still redirects and counts nothing",
      ...recipient,
    },
  };
  paths['/t/u/{messageId}'] = { get: { summary: 'Unsubscribe page (asks; changes nothing)', ...recipient }, post: { summary: 'Unsubscribe (RFC 8058 one-click)', ...recipient } };
  paths['/t/p/{messageId}'] = {
    get: { summary: "Preference page: a checkbox per channel the recipient can be reached on and per workspace topic, as stored or as the workspace's consent policy says", ...recipient },
    post: {
      summary:
        'Save preferences (form: submitted=1, then <channel>=on / topic:<id>=on for each ticked box); 400 page naming the field for anything else; each change is a Consent Changed event (source preference-page)',
      ...recipient,
    },
  };
  const writeKey = { security: [{ writeKey: [] }] };
  const v1 = (summary: string, body?: z.ZodType, response?: z.ZodType) => ({
    summary,
    ...writeKey,
    ...(body ? { requestBody: { content: { 'application/json': { schema: schema(body) } } } } : {}),
    responses: {
      '200': { description: 'OK', ...(response ? { content: { 'application/json': { schema: schema(response) } } } : {}) },
      '4XX': { description: 'Error naming the field', content: { 'application/json': { schema: schema(ErrorBody) } } },
    },
  });
  paths['/v1/push/key'] = { get: v1("The workspace's VAPID public key browsers subscribe with (404 push-not-configured without a web push provider)", undefined, PushKeyResponse) };
  paths['/v1/push/subscriptions'] = {
    post: v1(
      "Store a browser's push subscription for a customer (userId or anonymousId; resolved as identify does): a push_token identity, the push address, consent subscribed (201)",
      PushSubscribeRequest,
    ),
    delete: v1('Remove a push subscription by endpoint', PushUnsubscribeRequest),
  };
  paths['/v1/inbox'] = {
    get: v1(
      "A customer's in-app inbox (?userId= or ?anonymousId=, ?limit= 1–100, ?before= the last createdAt seen): not dismissed, not expired, newest first, with the unread count; an unknown customer reads as empty",
      undefined,
      InboxResponse,
    ),
  };
  for (const action of ['opened', 'clicked', 'dismissed'])
    paths[`/v1/inbox/{id}/${action}`] = { post: v1(`Record that the customer ${action} an in-app message (404 unless it is theirs, in this workspace)`, CustomerRef) };
  const provider = { security: [], responses: { '200': { description: 'OK' }, '403': { description: 'X-Twilio-Signature does not match' }, '404': { description: 'No such Twilio provider' } } };
  paths['/v1/providers/{providerId}/sms/status'] = {
    post: {
      summary:
        "SMS delivery status callback (Twilio form fields, signed with the provider's auth token; ?m= the message id): delivered, failed or undelivered with the provider's error code; 503 + Retry-After while the send is not recorded yet",
      ...provider,
    },
  };
  paths['/v1/providers/{providerId}/sms/inbound'] = {
    post: { summary: 'SMS replies (signed): STOP and friends withdraw SMS consent, START / YES / UNSTOP give it; stored as an SMS Received event; answers empty TwiML', ...provider },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Waymark API', version: '1' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'waymark_session' },
        token: { type: 'http', scheme: 'bearer' },
        writeKey: { type: 'http', scheme: 'basic', description: 'The write key as the user name, empty password.' },
      },
    },
    paths,
  };
}
