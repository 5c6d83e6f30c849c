import { zValidator } from '@hono/zod-validator';
import { type Context, Hono } from 'hono';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { CreateKeyRequest, CreateWorkspaceRequest, SetRoleRequest, UpdateWorkspaceSettingsRequest } from '@waymark/shared';
import type { Db, Tx } from '../db/database.ts';
import { apiKeys, memberships, workspaces } from '../db/schema.ts';
import { audit, listAudit } from '../services/audit.ts';
import { actorOf } from '../services/auth/principal.ts';
import { createKey } from '../services/keys.ts';
import { listMembers, setMemberRole } from '../services/members.ts';
import type { SecretBox } from '../services/secrets/secret-box.ts';
import { describeSigningSecrets, ensureSigningSecret, revealSigningSecret, rotateSigningSecret, rotationGraceHours } from '../services/webhooks/signing-secrets.ts';
import { getWorkspaceSettings, updateWorkspaceSettings } from '../services/workspace-settings.ts';
import { paging } from './params.ts';
import { ApiError } from './api-error.ts';
import { invalidRequest } from './invalid-request.ts';
import { needs, type AuthEnv } from './management-auth.ts';

/** `/api/workspaces`: the caller's workspaces, and creating one (the caller becomes its owner). */
export function workspaceListRoutes(db: Db, box: SecretBox) {
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
    const { secret } = await db.transaction(async (tx) => {
      await tx.insert(workspaces).values({ id, name: c.req.valid('json').name });
      await tx.insert(memberships).values({ workspaceId: id, userId: principal.userId, role: 'owner' });
      await ensureSigningSecret(tx, box, id);
      await audit(tx, { workspaceId: id, actor: actorOf(principal), action: 'workspace.create', target: id, details: { name: c.req.valid('json').name } });
      return createKey(tx, id, 'write', 'Default write key');
    });
    return c.json({ id, name: c.req.valid('json').name, role: 'owner', writeKey: secret }, 201);
  });
  return app;
}

/** What the admin routes need besides the database: the secret box (signing secrets), the clock and the webhook policy cache. */
export interface AdminDeps {
  box: SecretBox;
  now(): number;
  /** Drops a workspace's cached webhook policy after its settings or secrets change. */
  onWebhookPolicyChange(workspaceId: string): void;
}

/** `/api/workspaces/:workspaceId/{members,keys,audit,settings,webhook-secret}`: owners manage people, keys and settings. */
export function workspaceAdminRoutes(db: Db, deps: AdminDeps) {
  const app = new Hono<AuthEnv>();
  const actor = (c: Context<AuthEnv>) => actorOf(c.get('principal'));

  app.get('/members', async (c) => c.json(await listMembers(db, c.get('workspaceId'))));
  app.put('/members', needs('owner'), zValidator('json', SetRoleRequest, invalidRequest), async (c) => {
    const { email, role } = c.req.valid('json');
    await setMemberRole(db, c.get('workspaceId'), email, role, actor(c));
    return c.json({ email, role });
  });
  app.delete('/members/:email', needs('owner'), async (c) => {
    await setMemberRole(db, c.get('workspaceId'), c.req.param('email'), null, actor(c));
    return c.body(null, 204);
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
    const workspaceId = c.get('workspaceId');
    const key = await db.transaction(async (tx) => {
      const created = await createKey(tx, workspaceId, kind, name, kind === 'token' ? role! : null);
      await audit(tx, { workspaceId, actor: actor(c), action: 'key.create', target: created.id, details: { kind, role, name } });
      return created;
    });
    return c.json({ id: key.id, kind, name, role: role ?? null, secret: key.secret }, 201);
  });
  app.post('/keys/:id/rotate', needs('owner'), async (c) => {
    const workspaceId = c.get('workspaceId');
    const key = await db.transaction(async (tx) => {
      const old = await revokeKey(tx, workspaceId, c.req.param('id'));
      const created = await createKey(tx, workspaceId, old.kind as 'write' | 'token', old.name, old.role as never);
      await audit(tx, { workspaceId, actor: actor(c), action: 'key.rotate', target: old.id, details: { replacement: created.id } });
      return { ...created, old };
    });
    return c.json({ id: key.id, kind: key.old.kind, name: key.old.name, role: key.old.role, secret: key.secret }, 201);
  });
  app.delete('/keys/:id', needs('owner'), async (c) => {
    const workspaceId = c.get('workspaceId');
    await db.transaction(async (tx) => {
      const old = await revokeKey(tx, workspaceId, c.req.param('id'));
      await audit(tx, { workspaceId, actor: actor(c), action: 'key.revoke', target: old.id, details: { kind: old.kind, name: old.name } });
    });
    return c.body(null, 204);
  });

  app.get('/audit', needs('owner'), async (c) => c.json(await listAudit(db, c.get('workspaceId'), { ...paging((name) => c.req.query(name)), action: c.req.query('action') })));

  app.get('/settings', async (c) => c.json(await getWorkspaceSettings(db, c.get('workspaceId'))));
  app.patch('/settings', needs('owner'), zValidator('json', UpdateWorkspaceSettingsRequest, invalidRequest), async (c) => {
    const settings = await updateWorkspaceSettings(db, c.get('workspaceId'), c.req.valid('json'), actor(c));
    deps.onWebhookPolicyChange(c.get('workspaceId'));
    return c.json(settings);
  });

  app.get('/webhook-secret', needs('owner'), async (c) => c.json({ secrets: await describeSigningSecrets(db, c.get('workspaceId'), deps.now()) }));
  app.post('/webhook-secret/reveal', needs('owner'), async (c) => c.json({ secret: await revealSigningSecret(db, deps.box, c.get('workspaceId'), actor(c), deps.now()) }));
  app.post('/webhook-secret/rotate', needs('owner'), async (c) => {
    const secret = await rotateSigningSecret(db, deps.box, c.get('workspaceId'), actor(c), deps.now());
    deps.onWebhookPolicyChange(c.get('workspaceId'));
    return c.json({ secret, previousValidForHours: rotationGraceHours }, 201);
  });
  return app;
}

/** Revokes a live key of the workspace in the caller's transaction; 404 when there is none. */
async function revokeKey(tx: Tx, workspaceId: string, id: string) {
  const [old] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, workspaceId), isNull(apiKeys.revokedAt)))
    .returning();
  if (!old) throw new ApiError(404, 'key-not-found', 'No such live key in this workspace.', { field: 'id' });
  return old;
}
