import type { Db } from '../../db/database.ts';
import { loaded, providerRow } from '../providers/provider-store.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

/** The VAPID public key browsers subscribe with (base64url), or null when the workspace has no web push provider. */
export async function pushPublicKey(db: Db, box: SecretBox, workspaceId: string): Promise<string | null> {
  const row = await providerRow(db, workspaceId, 'push');
  if (row?.kind !== 'web-push') return null;
  return loaded(box, row).secrets.vapidPublicKey ?? null;
}
