import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { WebhookPolicy } from '../../channels/webhook-channel.ts';
import type { Db, Tx } from '../../db/database.ts';
import { webhookSecrets, workspaces } from '../../db/schema.ts';
import { audit } from '../audit.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

/** How long a rotated secret keeps signing beside the new one, so receivers can switch without dropping webhooks. */
export const rotationGraceHours = 24;

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** Gives a workspace its first signing secret (when it has none); part of creating a workspace. */
export async function ensureSigningSecret(tx: Tx | Db, box: SecretBox, workspaceId: string): Promise<void> {
  const [existing] = await tx.select({ id: webhookSecrets.id }).from(webhookSecrets).where(eq(webhookSecrets.workspaceId, workspaceId)).limit(1);
  if (existing) return;
  const secret = newSecret();
  await tx.insert(webhookSecrets).values({ id: crypto.randomUUID(), workspaceId, secret: box.seal(secret), prefix: secret.slice(0, 12) });
}

/** The secrets that sign this workspace's webhooks now, the current one first. */
export async function activeSigningSecrets(db: Db, box: SecretBox, workspaceId: string, now: number): Promise<string[]> {
  const rows = await db
    .select({ secret: webhookSecrets.secret })
    .from(webhookSecrets)
    .where(and(eq(webhookSecrets.workspaceId, workspaceId), or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, new Date(now).toISOString()))))
    .orderBy(desc(webhookSecrets.createdAt));
  return rows.map((row) => box.open(row.secret));
}

/** What the settings screen shows of the signing secrets: prefixes and dates, never the secrets. */
export async function describeSigningSecrets(db: Db, workspaceId: string, now: number) {
  const rows = await db
    .select({ prefix: webhookSecrets.prefix, createdAt: webhookSecrets.createdAt, expiresAt: webhookSecrets.expiresAt })
    .from(webhookSecrets)
    .where(and(eq(webhookSecrets.workspaceId, workspaceId), or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, new Date(now).toISOString()))))
    .orderBy(desc(webhookSecrets.createdAt));
  return rows.map((row) => ({ prefix: row.prefix, createdAt: new Date(row.createdAt).toISOString(), expiresAt: row.expiresAt && new Date(row.expiresAt).toISOString() }));
}

/**
 * Makes a new current secret; the old ones keep signing for `rotationGraceHours`, then stop.
 * Audited; returns the new secret (the receiver needs it).
 */
export async function rotateSigningSecret(db: Db, box: SecretBox, workspaceId: string, actor: string, now: number): Promise<string> {
  const secret = newSecret();
  await db.transaction(async (tx) => {
    const until = new Date(now + rotationGraceHours * 3_600_000).toISOString();
    await tx
      .update(webhookSecrets)
      .set({ expiresAt: until })
      .where(and(eq(webhookSecrets.workspaceId, workspaceId), or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, until))));
    await tx.insert(webhookSecrets).values({ id: crypto.randomUUID(), workspaceId, secret: box.seal(secret), prefix: secret.slice(0, 12), createdAt: new Date(now).toISOString() });
    await audit(tx, { workspaceId, actor, action: 'webhook-secret.rotate', target: workspaceId, details: { prefix: secret.slice(0, 12) } });
  });
  return secret;
}

/** The current secret, for an owner setting up a receiver; each reveal is audited. */
export async function revealSigningSecret(db: Db, box: SecretBox, workspaceId: string, actor: string, now: number): Promise<string> {
  await ensureSigningSecret(db, box, workspaceId);
  const [current] = await activeSigningSecrets(db, box, workspaceId, now);
  await audit(db, { workspaceId, actor, action: 'webhook-secret.reveal', target: workspaceId });
  return current!;
}

/**
 * Each workspace's webhook policy, read from the database and kept for a few seconds (a delivery
 * batch asks once per message); `forget` drops a workspace's entry after its settings change.
 */
export function createWebhookPolicies(db: Db, box: SecretBox, now: () => number, ttlMs = 5_000) {
  const cache = new Map<string, { until: number; policy: Promise<WebhookPolicy> }>();
  const load = async (workspaceId: string): Promise<WebhookPolicy> => {
    const [workspace] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
    let secrets = await activeSigningSecrets(db, box, workspaceId, now());
    if (!secrets.length && workspace) {
      await ensureSigningSecret(db, box, workspaceId);
      secrets = await activeSigningSecrets(db, box, workspaceId, now());
    }
    return { allowPrivateNetworks: workspace?.settings.allowPrivateNetworks === true, signingSecrets: secrets };
  };
  return {
    policyFor(workspaceId: string): Promise<WebhookPolicy> {
      const hit = cache.get(workspaceId);
      if (hit && hit.until > Date.now()) return hit.policy;
      const policy = load(workspaceId);
      policy.catch(() => cache.delete(workspaceId));
      if (cache.size > 10_000) cache.clear();
      cache.set(workspaceId, { until: Date.now() + ttlMs, policy });
      return policy;
    },
    forget(workspaceId: string) {
      cache.delete(workspaceId);
    },
  };
}
