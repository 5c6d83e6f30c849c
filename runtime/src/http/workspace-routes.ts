import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { CreateKeyRequest, CreateWorkspaceRequest, SetRoleRequest } from '@waymark/shared';
import type { Db } from '../db/database.ts';
import { apiKeys, auditLog, memberships, users, workspaces } from '../db/schema.ts';
import { actorOf } from '../services/auth/principal.ts';
import { createKey } from '../services/keys.ts';
import { ApiError } from './api-error.ts';
import { invalidRequest } from './invalid-request.ts';
import { needs, type AuthEnv } from './management-auth.ts';

/** `/api/workspaces`: the caller's workspaces, and creating one (the caller becomes its owner). */
export function workspaceListRoutes(db: Db) {
  const app = new Hono<AuthEnv>();
  app.get('/', async (c) => {
    const principal = c.get('principal');
    if (principal.kind === 'token') {
      const rows = await db.select().from(workspaces).where(eq(workspaces.id, principal.workspaceId));
      return c.json(rows.map((w) => ({ id: w.id, name: w.name, role: principal.role })));
    }
    const rows = await db
      .select({ id: workspaces.id, name: workspaces.name, role: memberships.role })
      .from(memberships)
      .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
      .where(eq(memberships.userId, principal.userId));
    return c.json(rows);
  });
  app.post('/', zValidator('json', CreateWorkspaceRequest, invalidRequest), async (c) => {
    const principal = c.get('principal');
    if (principal.kind !== 'user') throw new ApiError(403, 'forbidden', 'API tokens cannot create workspaces; sign in as a person.');
    const id = crypto.randomUUID();
    await db.transaction(async (tx) => {
      await tx.insert(workspaces).values({ id, name: c.req.valid('json').name });
      await tx.insert(memberships).values({ workspaceId: id, userId: principal.userId, role: 'owner' });
    });
    const { secret } = await createKey(db, id, 'write', 'Default write key');
    return c.json({ id, name: c.req.valid('json').name, role: 'owner', writeKey: secret }, 201);
  });
  return app;
}

/** `/api/workspaces/:workspaceId/{members,keys,audit}`: owners manage people and keys. */
export function workspaceAdminRoutes(db: Db) {
  const app = new Hono<AuthEnv>();
  const audit = (c: { get(k: 'workspaceId'): string; get(k: 'principal'): never }, action: string, target: string, details: object = {}) =>
    db.insert(auditLog).values({ workspaceId: c.get('workspaceId'), actor: actorOf(c.get('principal')), action, target, details });

  app.get('/members', async (c) =>
    c.json(
      await db
        .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.workspaceId, c.get('workspaceId'))),
    ),
  );
  app.put('/members', needs('owner'), zValidator('json', SetRoleRequest, invalidRequest), async (c) => {
    const { email, role } = c.req.valid('json');
    const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
    if (!user) throw new ApiError(404, 'user-not-found', `No account for ${email}; the person must have an account first.`);
    await db
      .insert(memberships)
      .values({ workspaceId: c.get('workspaceId'), userId: user.id, role })
      .onConflictDoUpdate({ target: [memberships.workspaceId, memberships.userId], set: { role } });
    await audit(c as never, 'member.role', email, { role });
    return c.json({ email, role });
  });

  app.get('/keys', needs('owner'), async (c) =>
    c.json(
      await db
        .select({ id: apiKeys.id, kind: apiKeys.kind, role: apiKeys.role, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt })
        .from(apiKeys)
        .where(and(eq(apiKeys.workspaceId, c.get('workspaceId')), isNull(apiKeys.revokedAt))),
    ),
  );
  app.post('/keys', needs('owner'), zValidator('json', CreateKeyRequest, invalidRequest), async (c) => {
    const { kind, name, role } = c.req.valid('json');
    if (kind === 'token' && !role) throw new ApiError(400, 'invalid-request', '"role": an API token needs a role (viewer, editor, publisher or owner).', { field: 'role' });
    const key = await createKey(db, c.get('workspaceId'), kind, name, kind === 'token' ? role! : null);
    await audit(c as never, 'key.create', key.id, { kind, role });
    return c.json({ id: key.id, kind, name, role: role ?? null, secret: key.secret }, 201);
  });
  app.post('/keys/:id/rotate', needs('owner'), async (c) => {
    const [old] = await db
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.id, c.req.param('id')), eq(apiKeys.workspaceId, c.get('workspaceId')), isNull(apiKeys.revokedAt)))
      .returning();
    if (!old) throw new ApiError(404, 'key-not-found', 'No such live key in this workspace.');
    const key = await createKey(db, c.get('workspaceId'), old.kind as 'write' | 'token', old.name, old.role as never);
    await audit(c as never, 'key.rotate', old.id, { replacement: key.id });
    return c.json({ id: key.id, kind: old.kind, name: old.name, role: old.role, secret: key.secret }, 201);
  });
  app.delete('/keys/:id', needs('owner'), async (c) => {
    const [old] = await db
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.id, c.req.param('id')), eq(apiKeys.workspaceId, c.get('workspaceId')), isNull(apiKeys.revokedAt)))
      .returning();
    if (!old) throw new ApiError(404, 'key-not-found', 'No such live key in this workspace.');
    await audit(c as never, 'key.revoke', old.id);
    return c.body(null, 204);
  });

  app.get('/audit', needs('owner'), async (c) =>
    c.json(
      await db
        .select()
        .from(auditLog)
        .where(eq(auditLog.workspaceId, c.get('workspaceId')))
        .orderBy(desc(auditLog.id))
        .limit(500),
    ),
  );
  return app;
}
