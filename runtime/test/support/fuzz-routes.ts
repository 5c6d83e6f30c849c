import {
  CreateJourneyRequest,
  CustomerImportRequest,
  CustomerRef,
  EnrollmentRequest,
  SegmentEnrollmentRequest,
  SegmentEstimateRequest,
  SegmentInput,
  UpdateSegmentRequest,
  PushSubscribeRequest,
  PushUnsubscribeRequest,
  CreateKeyRequest,
  CreateWorkspaceRequest,
  ImportJourneyRequest,
  MessageEngagementRequest,
  PreviewRequest,
  ProviderInput,
  RetryDeadLettersRequest,
  SaveTestCustomerRequest,
  SendTestRequest,
  SetRoleRequest,
  SignInRequest,
  UpdateDraftRequest,
  UpdateWorkspaceSettingsRequest,
} from '@waymark/shared';
import type { ZodType } from 'zod';

/** A management route that takes a JSON body: a body it accepts, the fields to attack and its contract. */
export interface BodyRoute {
  name: string;
  method: string;
  path: string;
  valid: Record<string, unknown>;
  fields: string[];
  contract: ZodType;
  /** Sign-in: bodies its contract accepts reach the password check, which locks the address after 20 misses (429), so only refused shapes are sent. */
  signIn?: boolean;
  /** A `/v1` route: sent with the write key instead of a session or token. */
  writeKey?: boolean;
}

/** Where the routes point: the workspace's API prefix, an existing journey, and the server's own port (a webhook target that answers). */
export interface RouteTargets {
  ws: string;
  journeyId: string;
  port: number;
}

const document = (name: string) => ({ schemaVersion: 1, name, graph: { nodes: [], edges: [] } });

/** A journey the preview can play: a trigger, an email, a day's wait. */
const previewable = {
  schemaVersion: 1,
  id: 'fuzz-preview',
  name: 'Fuzz preview',
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'signed_up' } } },
      {
        id: 'hello',
        type: 'send',
        position: { x: 0, y: 100 },
        data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Hi {{ customer.first_name }}', html: '<p>Hi</p>' } } },
      },
      { id: 'day', type: 'wait', position: { x: 0, y: 200 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'next', target: 'hello' },
      { id: 'b', source: 'hello', sourceHandle: 'next', target: 'day' },
    ],
  },
};

/** Every /api route with a JSON body (the request contracts of `shared/src/api/`). */
export function bodyRoutes({ ws, journeyId, port }: RouteTargets): BodyRoute[] {
  return [
    { name: 'sign-in', method: 'POST', path: '/api/sessions', valid: { email: 'nobody@example.com', password: 'not it' }, fields: ['email', 'password'], contract: SignInRequest, signIn: true },
    { name: 'workspaces create', method: 'POST', path: '/api/workspaces', valid: { name: 'Fuzz workspace' }, fields: ['name'], contract: CreateWorkspaceRequest },
    {
      name: 'journeys create',
      method: 'POST',
      path: `${ws}/journeys`,
      valid: { name: 'Fuzz journey', document: document('Fuzz journey') },
      fields: ['name', 'document', 'document.schemaVersion', 'document.graph', 'document.name', 'document.graph.nodes'],
      contract: CreateJourneyRequest,
    },
    {
      name: 'journeys update',
      method: 'PUT',
      path: `${ws}/journeys/${journeyId}`,
      valid: { document: document('Fuzz target'), revision: 1 },
      fields: ['document', 'revision', 'document.schemaVersion', 'document.graph', 'document.name'],
      contract: UpdateDraftRequest,
    },
    {
      name: 'journeys import',
      method: 'POST',
      path: `${ws}/journeys/import`,
      valid: { document: document('Imported') },
      fields: ['document', 'document.schemaVersion', 'document.graph', 'document.name'],
      contract: ImportJourneyRequest,
    },
    { name: 'keys create', method: 'POST', path: `${ws}/keys`, valid: { kind: 'write', name: 'Fuzz key' }, fields: ['kind', 'name', 'role'], contract: CreateKeyRequest },
    { name: 'members set role', method: 'PUT', path: `${ws}/members`, valid: { email: 'nobody@example.com', role: 'viewer' }, fields: ['email', 'role'], contract: SetRoleRequest },
    {
      name: 'settings',
      method: 'PATCH',
      path: `${ws}/settings`,
      valid: { allowPrivateNetworks: true, consentPolicy: { sms: 'opt-in' }, topics: [{ id: 'news', name: 'News' }] },
      fields: ['allowPrivateNetworks', 'consentPolicy', 'consentPolicy.sms', 'topics', 'topics.0', 'topics.0.id', 'topics.0.name'],
      contract: UpdateWorkspaceSettingsRequest,
    },
    {
      name: 'channels test (email)',
      method: 'POST',
      path: `${ws}/channels/email/test`,
      valid: { to: 'fuzz@example.com', content: { subject: 'Hi', body: 'Hello' } },
      fields: ['to', 'content', 'content.subject'],
      contract: SendTestRequest,
    },
    {
      name: 'channels test (webhook)',
      method: 'POST',
      path: `${ws}/channels/webhook/test`,
      valid: { content: { url: `http://127.0.0.1:${port}/health`, method: 'GET', headers: { accept: 'application/json' } } },
      fields: ['content', 'content.url', 'content.method', 'content.headers', 'content.body'],
      contract: SendTestRequest,
    },
    {
      name: 'provider (email)',
      method: 'PUT',
      path: `${ws}/providers/email`,
      valid: { kind: 'smtp', settings: { host: '127.0.0.1', port: 2525, tls: 'none', fromAddress: 'fuzz@example.com' }, secrets: { password: 'fuzz-password' } },
      fields: ['kind', 'settings', 'settings.host', 'settings.port', 'settings.tls', 'settings.fromAddress', 'settings.ratePerSecond', 'secrets', 'secrets.password'],
      contract: ProviderInput,
    },
    {
      name: 'provider (sms)',
      method: 'PUT',
      path: `${ws}/providers/sms`,
      valid: { kind: 'twilio', settings: { accountSid: 'ACfuzz', fromNumber: '+15005550006', baseUrl: `http://127.0.0.1:${port}` }, secrets: { authToken: 'fuzz-token' } },
      fields: ['kind', 'settings', 'settings.accountSid', 'settings.fromNumber', 'settings.messagingServiceSid', 'settings.baseUrl', 'secrets', 'secrets.authToken'],
      contract: ProviderInput,
    },
    {
      name: 'provider (push)',
      method: 'PUT',
      path: `${ws}/providers/push`,
      valid: { kind: 'web-push', settings: { subject: 'mailto:fuzz@example.com' } },
      fields: ['kind', 'settings', 'settings.subject', 'settings.icon'],
      contract: ProviderInput,
    },
    {
      name: 'push subscribe',
      method: 'POST',
      path: '/v1/push/subscriptions',
      writeKey: true,
      valid: {
        userId: 'fuzz-push',
        subscription: {
          endpoint: `http://127.0.0.1:${port}/push/fuzz`,
          keys: { p256dh: 'BPhJu3F8nP4R0sPglh0YiXvFq1Jb8N4S-4C0R7I3vVqkQnLw9G8qg3Qwq9y3i2L0n3JkJmN3b5p1g6s0u8yXw2c', auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
        },
      },
      fields: ['userId', 'anonymousId', 'subscription', 'subscription.endpoint', 'subscription.keys', 'subscription.keys.p256dh', 'subscription.keys.auth', 'userAgent'],
      contract: PushSubscribeRequest,
    },
    {
      name: 'push unsubscribe',
      method: 'DELETE',
      path: '/v1/push/subscriptions',
      writeKey: true,
      valid: { endpoint: `http://127.0.0.1:${port}/push/fuzz` },
      fields: ['endpoint'],
      contract: PushUnsubscribeRequest,
    },
    { name: 'inbox opened', method: 'POST', path: '/v1/inbox/no-such-message/opened', writeKey: true, valid: { userId: 'fuzz-inbox' }, fields: ['userId', 'anonymousId'], contract: CustomerRef },
    { name: 'dead-letters retry', method: 'POST', path: `${ws}/dead-letters/retry`, valid: { ids: [1] }, fields: ['ids'], contract: RetryDeadLettersRequest },
    { name: 'message engagement', method: 'POST', path: `${ws}/messages/no-such-message/engagement`, valid: { kind: 'opened' }, fields: ['kind'], contract: MessageEngagementRequest },
    {
      name: 'journeys preview',
      method: 'POST',
      path: `${ws}/journeys/${journeyId}/preview`,
      valid: {
        document: previewable,
        customer: { profile: { traits: { first_name: 'Fuzz' }, channels: { email: { address: 'fuzz@example.com' } } } },
        story: { entry: { kind: 'event', at: '2026-11-25T10:00:00Z' } },
      },
      fields: [
        'document',
        'document.graph',
        'document.graph.nodes',
        'version',
        'customer',
        'customer.customerId',
        'customer.testCustomerId',
        'customer.profile',
        'customer.profile.traits',
        'customer.profile.channels',
        'story',
        'story.entry',
        'story.entry.at',
        'story.items',
        'story.horizon',
        'context',
        'context.pastRuns',
        'context.sentToday',
        'context.workspaceZone',
      ],
      contract: PreviewRequest,
    },
    {
      name: 'enrollments',
      method: 'POST',
      path: `${ws}/journeys/${journeyId}/enrollments`,
      valid: { customers: [{ userId: 'fuzz', properties: { coupon: 'FUZZ' } }, { email: 'fuzz@example.com' }], idempotencyKey: 'fuzz-key' },
      fields: ['customers', 'customers.0', 'customers.0.userId', 'customers.0.properties', 'customers.1.email', 'idempotencyKey'],
      contract: EnrollmentRequest,
    },
    {
      name: 'enrollments by segment',
      method: 'POST',
      path: `${ws}/journeys/${journeyId}/enrollments/segment`,
      valid: { segmentId: 'fuzz-segment' },
      fields: ['segmentId'],
      contract: SegmentEnrollmentRequest,
    },
    {
      name: 'segments create',
      method: 'POST',
      path: `${ws}/segments`,
      valid: {
        name: 'Fuzz segment',
        rules: { kind: 'group', match: 'all', rules: [{ kind: 'event-count', event: 'Order Completed', comparison: 'at-least', count: 1, within: { amount: 7, unit: 'days' } }] },
      },
      fields: ['name', 'description', 'rules', 'rules.match', 'rules.rules', 'rules.rules.0', 'rules.rules.0.event', 'rules.rules.0.count', 'rules.rules.0.within'],
      contract: SegmentInput,
    },
    {
      name: 'segments estimate',
      method: 'POST',
      path: `${ws}/segments/estimate`,
      valid: { rules: { kind: 'group', match: 'all', rules: [{ kind: 'channel', channel: 'email', state: 'reachable-and-consented' }] } },
      fields: ['rules', 'rules.kind', 'rules.rules', 'rules.rules.0', 'rules.rules.0.channel'],
      contract: SegmentEstimateRequest,
    },
    {
      name: 'segments update',
      method: 'PUT',
      path: `${ws}/segments/no-such-segment`,
      valid: { name: 'Fuzz segment', rules: { kind: 'group', match: 'any', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] }, revision: 1 },
      fields: ['name', 'rules', 'rules.rules.0', 'rules.rules.0.path', 'rules.rules.0.operator', 'revision'],
      contract: UpdateSegmentRequest,
    },
    {
      name: 'customers import',
      method: 'POST',
      path: `${ws}/customers/import`,
      valid: {
        rows: [{ userId: 'fuzz', email: 'fuzz@example.com', phone: '+14155550100', traits: { plan: { type: 'string', value: 'pro' } }, consent: { sms: 'opted-in' } }, { email: 'fuzz-2@example.com' }],
        idempotencyKey: 'fuzz-import',
      },
      fields: [
        'rows',
        'rows.0',
        'rows.0.userId',
        'rows.0.email',
        'rows.0.phone',
        'rows.0.traits',
        'rows.0.traits.plan',
        'rows.0.traits.plan.type',
        'rows.0.traits.plan.value',
        'rows.0.consent',
        'rows.0.consent.sms',
        'idempotencyKey',
      ],
      contract: CustomerImportRequest,
    },
    {
      name: 'test customers create',
      method: 'POST',
      path: `${ws}/test-customers`,
      valid: { name: 'Fuzz tester', profile: { traits: { plan: 'free' }, channels: { sms: { address: '+15550100', consent: 'opted-in' } } } },
      fields: ['name', 'profile', 'profile.traits', 'profile.channels', 'profile.preferredChannel'],
      contract: SaveTestCustomerRequest,
    },
    {
      name: 'test customers update',
      method: 'PUT',
      path: `${ws}/test-customers/no-such-test-customer`,
      valid: { name: 'Fuzz tester', profile: {} },
      fields: ['name', 'profile', 'profile.traits', 'profile.channels'],
      contract: SaveTestCustomerRequest,
    },
  ];
}

/** Whether the route's contract refuses this JSON text (text that is not JSON counts as refused). */
export function contractRefuses(route: BodyRoute, text: string): boolean {
  try {
    return !route.contract.safeParse(JSON.parse(text)).success;
  } catch {
    return true;
  }
}

/** Every /api route with a path parameter, with `id` written into it as is (already percent-encoded). */
export function idRoutes({ ws, journeyId }: RouteTargets, id: string): [method: string, path: string][] {
  return [
    ['GET', `${ws}/journeys/${id}`],
    ['GET', `${ws}/journeys/${id}/export`],
    ['GET', `${ws}/journeys/${id}/versions`],
    ['GET', `${ws}/journeys/${id}/versions/1`],
    ['GET', `${ws}/journeys/${journeyId}/versions/${id}`],
    ['GET', `${ws}/journeys/${id}/stats`],
    ['GET', `${ws}/journeys/${id}/report`],
    ['GET', `${ws}/journeys/${id}/report/segments`],
    ['GET', `${ws}/journeys/${journeyId}/stats?segment=${id}`],
    ['GET', `${ws}/journeys/${id}/nodes/trigger/customers`],
    ['GET', `${ws}/journeys/${journeyId}/nodes/${id}/customers?state=skipped`],
    ['GET', `${ws}/journeys/${id}/audience-runs`],
    ['POST', `${ws}/journeys/${id}/duplicate`],
    ['POST', `${ws}/journeys/${id}/publish`],
    ['POST', `${ws}/journeys/${id}/pause`],
    ['POST', `${ws}/journeys/${id}/resume`],
    ['POST', `${ws}/journeys/${id}/enrollments`],
    ['POST', `${ws}/journeys/${id}/enrollments/segment`],
    ['GET', `${ws}/segments/${id}`],
    ['DELETE', `${ws}/segments/${id}`],
    ['GET', `${ws}/segments/${id}/members.csv`],
    // Not `${ws}/segments/${id}/members`: with `..` as the id it is the workspace's own members list (a 200, rightly).
    ['DELETE', `${ws}/journeys/${id}`],
    ['GET', `${ws}/customers/${id}`],
    ['DELETE', `${ws}/customers/${id}`],
    ['GET', `${ws}/messages/${id}`],
    ['DELETE', `${ws}/keys/${id}`],
    ['POST', `${ws}/keys/${id}/rotate`],
    ['DELETE', `${ws}/members/${id}`],
    ['POST', `${ws}/channels/${id}/test`],
    ['GET', `${ws}/channels/${id}/recent`],
    ['GET', `${ws}/providers/${id}`],
    ['PUT', `${ws}/providers/${id}`],
    ['DELETE', `${ws}/providers/${id}`],
    ['POST', `${ws}/journeys/${id}/preview`],
    ['GET', `${ws}/journeys/${id}/preview-context`],
    ['GET', `${ws}/journeys/${journeyId}/preview-context?customerId=${id}`],
    ['GET', `${ws}/journeys/${journeyId}/preview-context?testCustomerId=${id}`],
    ['PUT', `${ws}/test-customers/${id}`],
    ['DELETE', `${ws}/test-customers/${id}`],
    ['GET', `${ws}/customers/${id}/runs/${id}/replay`],
    ['GET', `/api/workspaces/${id}/journeys`],
    ['GET', `/api/workspaces/${id}/settings`],
  ];
}

/** Every /api list that reads a query string. */
export const listPaths = ({ ws, journeyId }: RouteTargets) => [
  `${ws}/journeys`,
  `${ws}/customers`,
  `${ws}/audit`,
  `${ws}/dead-letters`,
  `${ws}/journeys/${journeyId}/stats`,
  `${ws}/journeys/${journeyId}/report`,
  `${ws}/journeys/${journeyId}/report/segments`,
  `${ws}/journeys/${journeyId}/nodes/trigger/customers`,
  `${ws}/customers/catalog`,
  `${ws}/members`,
  `${ws}/test-customers`,
  `${ws}/segments`,
  `${ws}/journeys/${journeyId}/preview-context`,
  '/api/workspaces',
];
