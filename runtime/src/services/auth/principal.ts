import { randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Role } from '@waymark/shared';
import type { Db } from '../../db/database.ts';
import { memberships, sessions, users } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { findKey, hashToken, verifyPassword } from '../keys.ts';

/** Who is calling: a signed-in user, or an API token bound to one workspace with a role. */
export type Principal = { kind: 'user'; userId: string; email: string } | { kind: 'token'; tokenId: string; workspaceId: string; role: Role };

const rank: Record<Role, number> = { viewer: 0, editor: 1, publisher: 2, owner: 3 };
export const sessionDays = 14;

/** Signs in with email and password; returns a new session token (for an httpOnly cookie). */
export async function signIn(db: Db, email: string, password: string, now: number): Promise<string> {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  if (!user || !verifyPassword(password, user.passwordHash)) throw new ApiError(401, 'invalid-credentials', 'The email or password is not right.');
  const token = randomBytes(32).toString('base64url');
  await db.insert(sessions).values({ tokenHash: hashToken(token), userId: user.id, expiresAt: new Date(now + sessionDays * 86_400_000).toISOString() });
  return token;
}

export async function signOut(db: Db, token: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

/** Resolves a session cookie or a `Bearer wt_…` token; null when neither is valid. */
export async function principalOf(db: Db, session: string | undefined, bearer: string | undefined, now: number): Promise<Principal | null> {
  if (bearer) {
    const key = await findKey(db, bearer, 'token');
    return key ? { kind: 'token', tokenId: key.id, workspaceId: key.workspaceId, role: (key.role ?? 'viewer') as Role } : null;
  }
  if (!session) return null;
  const [row] = await db
    .select({ userId: users.id, email: users.email })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(session)), gt(sessions.expiresAt, new Date(now).toISOString())));
  return row ? { kind: 'user', ...row } : null;
}

/** The principal's role in a workspace; 404 (not 403) when it has none, so ids do not leak. */
export async function roleIn(db: Db, principal: Principal, workspaceId: string): Promise<Role> {
  if (principal.kind === 'token') {
    if (principal.workspaceId !== workspaceId) throw notFound();
    return principal.role;
  }
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, principal.userId)));
  if (!row) throw notFound();
  return row.role as Role;
}

export function requireRole(actual: Role, needed: Role) {
  if (rank[actual] < rank[needed]) throw new ApiError(403, 'forbidden', `This needs the ${needed} role; you are ${actual === 'owner' ? 'an' : 'a'} ${actual}.`);
}

export const actorOf = (p: Principal) => (p.kind === 'user' ? `user:${p.email}` : `token:${p.tokenId}`);

const notFound = () => new ApiError(404, 'workspace-not-found', 'No such workspace, or you are not a member of it.');
