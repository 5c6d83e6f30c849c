import { CustomerList, type CustomerListQuery, CustomerView, JourneySummary, MessageDetail, RunPath, type TimelineKind, TimelinePage, WorkspaceCatalog } from '@waymark/shared';
import { api } from '../../api/client.ts';

/* The customer screens' calls to the runtime, each answer parsed with its `shared` contract. */

const base = (workspaceId: string) => `/api/workspaces/${encodeURIComponent(workspaceId)}/customers`;

/** The query string of a list query, without the empty fields. */
export function listQueryString(query: CustomerListQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}

/** A page of customers with the total. */
export const fetchCustomers = async (workspaceId: string, query: CustomerListQuery) => CustomerList.parse(await api('GET', `${base(workspaceId)}?${listQueryString(query)}`));

/** The single customer view. */
export const fetchCustomer = async (workspaceId: string, id: string) => CustomerView.parse(await api('GET', `${base(workspaceId)}/${encodeURIComponent(id)}`));

/** The next page of a customer's timeline, of some kinds. */
export async function fetchTimeline(workspaceId: string, id: string, kinds: readonly TimelineKind[], before?: string) {
  const params = new URLSearchParams({ kinds: kinds.join(','), ...(before ? { before } : {}) });
  return TimelinePage.parse(await api('GET', `${base(workspaceId)}/${encodeURIComponent(id)}/timeline?${params}`));
}

/** One run and the path it took. */
export const fetchRunPath = async (workspaceId: string, id: string, runId: string) =>
  RunPath.parse(await api('GET', `${base(workspaceId)}/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}`));

/** One message as sent, with its delivery history. */
export const fetchMessage = async (workspaceId: string, id: string, messageId: string) =>
  MessageDetail.parse(await api('GET', `${base(workspaceId)}/${encodeURIComponent(id)}/messages/${encodeURIComponent(messageId)}`));

/** Trait names seen in the workspace, for the trait filter. */
export const fetchCatalog = async (workspaceId: string) => WorkspaceCatalog.parse(await api('GET', `${base(workspaceId)}/catalog`));

/** The workspace's journeys, for the "in journey" filter. */
export const fetchJourneys = async (workspaceId: string) => JourneySummary.array().parse(await api('GET', `/api/workspaces/${encodeURIComponent(workspaceId)}/journeys`));
