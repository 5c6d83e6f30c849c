import { randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Role } from '@waymark/shared';
import type { Db } from '../../db/database.ts';
import { memberships, sessions, users } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { audit } from '../audit.ts';
import { findKey, hashToken } from '../keys.ts';
import { workspacesOf } from '../members.ts';
import { hashPassword, unknownUserHash, verifyPassword } from './passwords.ts';
import { reserveSignInAttempt, signInSucceeded } from './sign-in-throttle.ts';

/** Who is calling: a signed-in user, or an API token bound to one workspace with a role. */
export type Principal = { kind: 'user'; userId: string; email: string } | { kind: 'token'; tokenId: string; workspaceId: string; role: Role };

const rank: Record<Role, number> = { viewer: 0, editor: 1, publisher: 2, owner: 3 };
export const sessionDays = 14;

/**
 * Signs in with email and password; returns a new session token (for an httpOnly cookie). Each
 * attempt is reserved against the throttle before the password is checked; locked accounts and
 * addresses get 429; an unknown email costs the same work as a known one and gets the
 * same 401. Every attempt on a known account is in its workspaces' audit logs (failed ones too).
 */
export async function signIn(db: Db, email: string, password: string, address: string, now: number): Promise<string> {
  const attempt = { email, address };
  await reserveSignInAttempt(db, attempt, now);
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  const verdict = await verifyPassword(password, user?.passwordHash ?? unknownUserHash);
  const at = new Date(now).toISOString();
  if (!user || !verdict.ok) {
    // One statement whether or not the account exists (no rows for an unknown email).
    await db.execute(sql`
      insert into audit_log (workspace_id, actor, action, target, details, at)
      select m.workspace_id, ${`user:${email.toLowerCase()}`}, 'session.sign-in-failed', ${email.toLowerCase()}, ${JSON.stringify({ address })}::jsonb, ${at}
      from memberships m where m.user_id = ${user?.id ?? ''}`);
    throw new ApiError(401, 'invalid-credentials', 'The email or password is not right.');
  }
  const token = randomBytes(32).toString('base64url');
  const rehashed = verdict.outdated ? await hashPassword(password) : null;
  await db.transaction(async (tx) => {
    await tx.insert(sessions).values({ tokenHash: hashToken(token), userId: user.id, expiresAt: new Date(now + sessionDays * 86_400_000).toISOString() });
    if (rehashed) await tx.update(users).set({ passwordHash: rehashed }).where(eq(users.id, user.id));
    for (const workspaceId of await workspacesOf(tx, user.id)) await audit(tx, { workspaceId, actor: `user:${user.email}`, action: 'session.sign-in', target: user.email, details: { address } });
  });
  await signInSucceeded(db, attempt);
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
