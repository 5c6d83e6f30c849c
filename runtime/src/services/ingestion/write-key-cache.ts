import type { Db } from '../../db/database.ts';
import { findKey } from '../keys.ts';

/**
 * Write key → workspace id, cached for a minute so ingestion does not read the key table on
 * every request; revocation takes effect within that minute.
 */
export function createWriteKeyCache(db: Db, ttlMs = 60_000) {
  const cache = new Map<string, { workspaceId: string | null; until: number }>();
  return async (secret: string): Promise<string | null> => {
    const hit = cache.get(secret);
    if (hit && hit.until > Date.now()) return hit.workspaceId;
    const key = await findKey(db, secret, 'write');
    const workspaceId = key?.workspaceId ?? null;
    if (cache.size > 10_000) cache.clear();
    cache.set(secret, { workspaceId, until: Date.now() + ttlMs });
    return workspaceId;
  };
}
