import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { memberships, users, workspaces } from '../db/schema.ts';
import { hashPassword } from './auth/passwords.ts';
import { createKey } from './keys.ts';

/** What first start prints: sign-in and write key, shown once. */
export interface FirstStart {
  workspaceId: string;
  ownerEmail: string;
  ownerPassword: string;
  writeKey: string;
}

/** Creates the default workspace, its owner (with a one-time password) and a write key, once. */
export async function bootstrapWorkspace(db: Db, ownerEmail = 'owner@waymark.local'): Promise<FirstStart | null> {
  const existing = await db.select({ id: workspaces.id }).from(workspaces).limit(1);
  if (existing.length) return null;
  const ownerPassword = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(ownerPassword);
  return db.transaction(async (tx) => {
    const workspaceId = crypto.randomUUID();
    const userId = crypto.randomUUID();
    await tx.insert(workspaces).values({ id: workspaceId, name: 'Default workspace' });
    await tx.insert(users).values({ id: userId, email: ownerEmail, name: 'Owner', passwordHash });
    await tx.insert(memberships).values({ workspaceId, userId, role: 'owner' });
    const { secret } = await createKey(tx, workspaceId, 'write', 'Default write key');
    return { workspaceId, ownerEmail, ownerPassword, writeKey: secret };
  });
}
