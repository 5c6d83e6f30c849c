import { CustomerList, Page, PreviewSubject, type RunReplay, type SaveTestCustomerRequest, TestCustomer } from '@waymark/shared';
import { api } from '../../api/client.ts';

/* The preview's calls to the runtime, each answer parsed with its `shared` contract. */

const workspaceBase = (workspaceId: string) => `/api/workspaces/${encodeURIComponent(workspaceId)}`;
const TestCustomerPage = Page(TestCustomer);

/** What the runtime would read for this journey: of a real customer, of a saved test customer, or (neither) the workspace's cap and zone. */
export async function fetchPreviewSubject(workspaceId: string, journeyId: string, who: { customerId?: string; testCustomerId?: string } = {}) {
  const query = who.customerId ? `?customerId=${encodeURIComponent(who.customerId)}` : who.testCustomerId ? `?testCustomerId=${encodeURIComponent(who.testCustomerId)}` : '';
  return PreviewSubject.parse(await api('GET', `${workspaceBase(workspaceId)}/journeys/${encodeURIComponent(journeyId)}/preview-context${query}`));
}

/** The workspace's saved test customers. */
export const fetchTestCustomers = async (workspaceId: string) => TestCustomerPage.parse(await api('GET', `${workspaceBase(workspaceId)}/test-customers`));

/** Saves a new test customer, or changes one (`id`). */
export async function saveTestCustomer(workspaceId: string, body: SaveTestCustomerRequest, id?: string) {
  const path = `${workspaceBase(workspaceId)}/test-customers${id ? `/${encodeURIComponent(id)}` : ''}`;
  return TestCustomer.parse(await api(id ? 'PUT' : 'POST', path, body));
}

export const deleteTestCustomer = (workspaceId: string, id: string) => api('DELETE', `${workspaceBase(workspaceId)}/test-customers/${encodeURIComponent(id)}`);

/** Real customers matching an id, email, phone or trait value. */
export const searchCustomers = async (workspaceId: string, q: string) => CustomerList.parse(await api('GET', `${workspaceBase(workspaceId)}/customers?${new URLSearchParams({ q, limit: '8' })}`));

/** A real run told as the preview tells one. */
export const fetchReplay = (workspaceId: string, customerId: string, runId: string) =>
  api<RunReplay>('GET', `${workspaceBase(workspaceId)}/customers/${encodeURIComponent(customerId)}/runs/${encodeURIComponent(runId)}/replay`);

/** Sends a rendered message to a typed address through the channel, marked as a test. */
export const sendTestMessage = (workspaceId: string, channel: string, to: string | undefined, content: Record<string, unknown>) =>
  api<{ ok: boolean; sandbox: boolean; providerId: string | null }>('POST', `${workspaceBase(workspaceId)}/channels/${encodeURIComponent(channel)}/test`, { to, content });
