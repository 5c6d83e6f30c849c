import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { customers } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';

/** The customer's row in this workspace, or a 404 saying so. */
export async function findCustomer(db: Db, workspaceId: string, id: string) {
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, id)));
  if (!customer) throw new ApiError(404, 'customer-not-found', `No customer "${id}" in this workspace.`);
  return customer;
}
