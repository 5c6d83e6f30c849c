import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { customerIdentities } from '../../db/schema.ts';

/**
 * The customer an inbox request speaks for: the owner of `userId`, else of `anonymousId`, in the
 * write key's workspace; null when neither is known (the inbox is then empty, never a 404, so
 * nobody learns which ids exist).
 */
export async function inboxCustomer(db: Db, workspaceId: string, ref: { userId?: string | null; anonymousId?: string | null }): Promise<string | null> {
  const wanted = [...(ref.userId != null ? [{ kind: 'user_id', value: String(ref.userId) }] : []), ...(ref.anonymousId != null ? [{ kind: 'anonymous_id', value: String(ref.anonymousId) }] : [])];
  if (!wanted.length) return null;
  const rows = await db
    .select({ kind: customerIdentities.kind, value: customerIdentities.value, customerId: customerIdentities.customerId })
    .from(customerIdentities)
    .where(
      and(
        eq(customerIdentities.workspaceId, workspaceId),
        inArray(
          customerIdentities.kind,
          wanted.map((w) => w.kind),
        ),
        inArray(
          customerIdentities.value,
          wanted.map((w) => w.value),
        ),
      ),
    );
  for (const { kind, value } of wanted) {
    const found = rows.find((r) => r.kind === kind && r.value === value);
    if (found) return found.customerId;
  }
  return null;
}
