import { defaultConsentPolicy } from '@waymark/shared';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { type WorkspaceSettings, workspaces } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { audit } from './audit.ts';
import { forgetWorkspaceZone } from './execution/node-stats.ts';

/** What a workspace's settings amount to: stored values, with defaults for what was never set (the consent policy per channel). */
export function effectiveSettings(stored: WorkspaceSettings): WorkspaceSettings & Required<Pick<WorkspaceSettings, 'allowPrivateNetworks' | 'consentPolicy' | 'topics'>> {
  return { allowPrivateNetworks: false, topics: [], ...stored, consentPolicy: { ...defaultConsentPolicy, ...stored.consentPolicy } };
}

/** A workspace's settings (frequency caps, time zone, whether webhooks may reach private networks, consent policy, topics). */
export async function getWorkspaceSettings(db: Db, workspaceId: string) {
  const [row] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!row) throw new ApiError(404, 'workspace-not-found', 'No such workspace, or you are not a member of it.');
  return effectiveSettings(row.settings);
}

/**
 * Changes some settings (the others stay; the consent policy per channel, so changing SMS keeps
 * email's), audited with what changed, in one transaction.
 */
export async function updateWorkspaceSettings(db: Db, workspaceId: string, change: Partial<WorkspaceSettings>, actor: string) {
  const { consentPolicy, ...rest } = change;
  const settings = await db.transaction(async (tx) => {
    const merged = consentPolicy
      ? sql`jsonb_set(${workspaces.settings} || ${JSON.stringify(rest)}::jsonb, '{consentPolicy}', coalesce(${workspaces.settings} -> 'consentPolicy', '{}'::jsonb) || ${JSON.stringify(consentPolicy)}::jsonb)`
      : sql`${workspaces.settings} || ${JSON.stringify(rest)}::jsonb`;
    const [row] = await tx.update(workspaces).set({ settings: merged }).where(eq(workspaces.id, workspaceId)).returning({ settings: workspaces.settings });
    await audit(tx, { workspaceId, actor, action: 'workspace.settings', target: workspaceId, details: change });
    return effectiveSettings(row!.settings);
  });
  // After the commit, so no batch caches the old zone again meanwhile.
  forgetWorkspaceZone(workspaceId);
  return settings;
}
