import type { WorkspaceSummary } from '@waymark/shared';
import { CustomerDetail } from './CustomerDetail.tsx';
import { CustomerList } from './CustomerList.tsx';

/** `/customers`: the paged, filtered list; `/customers/:id`: the single customer view. */
export function CustomersPage({ workspace, customerId }: { workspace: WorkspaceSummary; customerId: string | null }) {
  return customerId ? <CustomerDetail key={customerId} workspace={workspace} id={customerId} /> : <CustomerList workspace={workspace} />;
}
