import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db/database.ts';
import { apiKeys } from '../db/schema.ts';

export type KeyKind = 'write' | 'token';
export const roles = ['viewer', 'editor', 'publisher', 'owner'] as const;
export type Role = (typeof roles)[number];

/** A stored secret is only ever its SHA-256; the secret itself is shown once. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a write key (`wk_…`) or an API token (`wt_…`) and returns the secret once. */
export async function createKey(db: Db | Tx, workspaceId: string, kind: KeyKind, name: string, role: Role | null = null) {
  const secret = `${kind === 'write' ? 'wk' : 'wt'}_${randomBytes(24).toString('base64url')}`;
  const id = crypto.randomUUID();
  await db.insert(apiKeys).values({ id, workspaceId, kind, role, name, tokenHash: hashToken(secret), prefix: secret.slice(0, 7) });
  return { id, secret };
}

/** The live key matching a secret, or null. */
export async function findKey(db: Db, secret: string, kind: KeyKind) {
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tokenHash, hashToken(secret)), eq(apiKeys.kind, kind), isNull(apiKeys.revokedAt)));
  return key ?? null;
}
