import { PreviewProfile, type TestCustomer } from '@waymark/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { sqlStateOf } from '../../db/database-errors.ts';
import { testCustomers } from '../../db/schema.ts';
import { audit } from '../audit.ts';
import { PreviewError } from './preview-error.ts';

/** What a test customer is saved with. */
export interface TestCustomerInput {
  name: string;
  profile: PreviewProfile;
}

type Row = typeof testCustomers.$inferSelect;

// Stored JSON is parsed on read (STYLE 5): the profile is the contract's, defaults filled in.
const shown = (row: Row): TestCustomer => ({ id: row.id, name: row.name, profile: PreviewProfile.parse(row.profile), createdBy: row.createdBy, updatedAt: new Date(row.updatedAt).toISOString() });
const mine = (workspaceId: string, id: string) => and(eq(testCustomers.workspaceId, workspaceId), eq(testCustomers.id, id));

/** No such test customer in this workspace (another workspace's is not told apart): 404 naming `field`. */
export const testCustomerNotFound = (id: string, field = 'id') => new PreviewError('not-found', 'test-customer-not-found', `No test customer "${id}" in this workspace.`, { field });

/** Runs a write that may give a second test customer the same name (in any case): that is a conflict naming `name`. */
async function uniquelyNamed<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (sqlStateOf(error) === '23505') throw new PreviewError('conflict', 'name-taken', `There is already a test customer called "${name}" (in any case); choose another name.`, { field: 'name' });
    throw error;
  }
}

/** A workspace's test customers by name (case-insensitive), a page at a time, with how many there are. */
export async function listTestCustomers(db: Db, workspaceId: string, { limit, offset }: { limit: number; offset: number }): Promise<{ total: number; items: TestCustomer[] }> {
  const [rows, [count]] = await Promise.all([
    db.select().from(testCustomers).where(eq(testCustomers.workspaceId, workspaceId)).orderBy(sql`lower(${testCustomers.name})`, asc(testCustomers.id)).limit(limit).offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(testCustomers).where(eq(testCustomers.workspaceId, workspaceId)),
  ]);
  return { total: count?.n ?? 0, items: rows.map(shown) };
}

/** One test customer of the workspace, or a 404 naming `field`. */
export async function findTestCustomer(db: Db, workspaceId: string, id: string, field = 'id'): Promise<TestCustomer> {
  const [row] = await db.select().from(testCustomers).where(mine(workspaceId, id));
  if (!row) throw testCustomerNotFound(id, field);
  return shown(row);
}

/** Saves a new test customer; audited in the same transaction. */
export async function createTestCustomer(db: Db, workspaceId: string, input: TestCustomerInput, actor: string): Promise<TestCustomer> {
  const row = await uniquelyNamed(input.name, () =>
    db.transaction(async (tx) => {
      const [created] = await tx.insert(testCustomers).values({ id: crypto.randomUUID(), workspaceId, name: input.name, profile: input.profile, createdBy: actor }).returning();
      await audit(tx, { workspaceId, actor, action: 'test-customer.create', target: created!.id, details: { name: input.name } });
      return created!;
    }),
  );
  return shown(row);
}

/** Replaces a test customer's name and profile; audited in the same transaction. */
export async function updateTestCustomer(db: Db, workspaceId: string, id: string, input: TestCustomerInput, actor: string): Promise<TestCustomer> {
  const row = await uniquelyNamed(input.name, () =>
    db.transaction(async (tx) => {
      const [updated] = await tx.update(testCustomers).set({ name: input.name, profile: input.profile, updatedAt: sql`now()` }).where(mine(workspaceId, id)).returning();
      if (!updated) throw testCustomerNotFound(id);
      await audit(tx, { workspaceId, actor, action: 'test-customer.update', target: id, details: { name: input.name } });
      return updated;
    }),
  );
  return shown(row);
}

/** Deletes a test customer; audited in the same transaction. */
export async function deleteTestCustomer(db: Db, workspaceId: string, id: string, actor: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [deleted] = await tx.delete(testCustomers).where(mine(workspaceId, id)).returning({ name: testCustomers.name });
    if (!deleted) throw testCustomerNotFound(id);
    await audit(tx, { workspaceId, actor, action: 'test-customer.delete', target: id, details: { name: deleted.name } });
  });
}
