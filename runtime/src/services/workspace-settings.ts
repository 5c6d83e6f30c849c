import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { type WorkspaceSettings, workspaces } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { audit } from './audit.ts';
import { forgetWorkspaceZone } from './execution/node-stats.ts';

/** A workspace's settings (frequency caps, time zone, whether webhooks may reach private networks). */
export async function getWorkspaceSettings(db: Db, workspaceId: string): Promise<WorkspaceSettings> {
  const [row] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!row) throw new ApiError(404, 'workspace-not-found', 'No such workspace, or you are not a member of it.');
  return { allowPrivateNetworks: false, ...row.settings };
}

/** Changes some settings (the others stay), audited with what changed, in one transaction. */
export async function updateWorkspaceSettings(db: Db, workspaceId: string, change: Partial<WorkspaceSettings>, actor: string): Promise<WorkspaceSettings> {
  const settings = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(workspaces)
      .set({ settings: sql`${workspaces.settings} || ${JSON.stringify(change)}::jsonb` })
      .where(eq(workspaces.id, workspaceId))
      .returning({ settings: workspaces.settings });
    await audit(tx, { workspaceId, actor, action: 'workspace.settings', target: workspaceId, details: change });
    return { allowPrivateNetworks: false, ...row!.settings };
  });
  // After the commit, so no batch caches the old zone again meanwhile.
  forgetWorkspaceZone(workspaceId);
  return settings;
}
