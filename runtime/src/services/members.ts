import type { Role } from '@waymark/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/database.ts';
import { memberships, users } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { audit } from './audit.ts';

/**
 * Gives a person a role in a workspace (or removes them with `null`), audited in the same
 * transaction. The workspace's owners are locked first, so two owners demoting each other at once
 * cannot leave it with none: the last owner cannot be demoted or removed (409).
 */
export async function setMemberRole(db: Db, workspaceId: string, email: string, role: Role | null, actor: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, email.toLowerCase()));
    if (!user) throw new ApiError(404, 'user-not-found', `No account for ${email}; the person must have an account first.`, { field: 'email' });
    const owners = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner')))
      .for('update');
    const isOwner = owners.some((o) => o.userId === user.id);
    if (isOwner && owners.length === 1 && role !== 'owner') {
      throw new ApiError(409, 'last-owner', `${email} is the only owner of this workspace; make someone else an owner first, so the workspace is never left without one.`, { field: 'email' });
    }
    if (role === null) {
      const removed = await tx
        .delete(memberships)
        .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, user.id)))
        .returning();
      if (!removed.length) throw new ApiError(404, 'member-not-found', `${email} is not a member of this workspace.`, { field: 'email' });
    } else {
      await tx
        .insert(memberships)
        .values({ workspaceId, userId: user.id, role })
        .onConflictDoUpdate({ target: [memberships.workspaceId, memberships.userId], set: { role } });
    }
    await audit(tx, { workspaceId, actor, action: role === null ? 'member.remove' : 'member.role', target: email.toLowerCase(), details: role ? { role } : {} });
  });
}

/** The workspaces a user belongs to (for recording their sign-ins in each). */
export async function workspacesOf(tx: Tx | Db, userId: string): Promise<string[]> {
  const rows = await tx.select({ workspaceId: memberships.workspaceId }).from(memberships).where(eq(memberships.userId, userId));
  return rows.map((r) => r.workspaceId);
}

/** Members with their role and email, owners first. */
export async function listMembers(db: Db, workspaceId: string) {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(sql`${memberships.role} = 'owner' desc`, users.email);
}
