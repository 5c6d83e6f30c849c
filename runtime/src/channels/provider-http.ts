import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { workspaces } from '../db/schema.ts';

/** `Retry-After` in seconds or as an HTTP date, in milliseconds (at most an hour); absent or garbled: none. */
export function retryAfter(header: string | string[] | null | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1_000 : Date.parse(value) - now;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 3_600_000) : undefined;
}

/**
 * Whether the workspace lets its providers reach private addresses (the setting webhooks use),
 * read at most every five seconds: SMS base URLs and push endpoints are checked with it.
 */
export function privateNetworkPolicy(db: Db, workspaceId: string, ttlMs = 5_000): () => Promise<boolean> {
  let cached: { until: number; allow: boolean } | null = null;
  return async () => {
    if (cached && cached.until > Date.now()) return cached.allow;
    const [row] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
    cached = { until: Date.now() + ttlMs, allow: row?.settings.allowPrivateNetworks === true };
    return cached.allow;
  };
}
