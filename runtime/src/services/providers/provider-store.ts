import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import webPush from 'web-push';
import { type ProviderInput, type ProviderKind, type ProviderView, providerChannel } from '@waymark/shared';
import type { Db } from '../../db/database.ts';
import { providers } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { audit } from '../audit.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

/** A provider with its secrets opened: what an adapter is built from. Never leaves the process. */
export interface LoadedProvider {
  id: string;
  workspaceId: string;
  channel: 'email' | 'sms' | 'push';
  kind: ProviderKind;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  /** Changes with every save (the sealed secrets carry a fresh IV): an adapter built from an older one is replaced. */
  version: string;
}

type ProviderRow = typeof providers.$inferSelect;

const open = (box: SecretBox, row: ProviderRow): Record<string, string> => (row.secrets ? (JSON.parse(box.open(row.secrets)) as Record<string, string>) : {});

export function loaded(box: SecretBox, row: ProviderRow): LoadedProvider {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    channel: row.channel as LoadedProvider['channel'],
    kind: row.kind as ProviderKind,
    settings: row.settings,
    secrets: open(box, row),
    version: createHash('sha256')
      .update(`${row.kind}\n${JSON.stringify(row.settings)}\n${row.secrets ?? ''}\n${row.updatedAt}`)
      .digest('base64url'),
  };
}

/** The last four characters of a secret, and only when it is long enough that they give nothing away. */
const last4 = (secret: string) => (secret.length >= 12 ? secret.slice(-4) : '');

/** Where a provider's callbacks reach this runtime (SMS status and replies), to paste at the provider. */
export function callbackUrls(publicUrl: string, provider: { id: string; kind: string }): Record<string, string> | undefined {
  if (provider.kind !== 'twilio') return undefined;
  const base = `${publicUrl.replace(/\/$/, '')}/v1/providers/${provider.id}/sms`;
  return { status: `${base}/status`, inbound: `${base}/inbound` };
}

/** A provider as the API shows it: settings, which secrets are set (last four characters), the VAPID public key. */
export function providerView(box: SecretBox, row: ProviderRow, publicUrl: string): ProviderView {
  const secrets = open(box, row);
  const shown = Object.fromEntries(
    Object.entries(secrets)
      .filter(([name, value]) => !name.startsWith('vapid') && value)
      .map(([name, value]) => [name, { set: true as const, last4: last4(value) }]),
  );
  return {
    id: row.id,
    channel: row.channel as ProviderView['channel'],
    kind: row.kind as ProviderView['kind'],
    settings: row.settings,
    secrets: shown,
    ...(typeof secrets.vapidPublicKey === 'string' ? { publicKey: secrets.vapidPublicKey } : {}),
    ...(callbackUrls(publicUrl, row) ? { callbackUrls: callbackUrls(publicUrl, row) } : {}),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export async function listProviders(db: Db, workspaceId: string): Promise<ProviderRow[]> {
  return db.select().from(providers).where(eq(providers.workspaceId, workspaceId)).orderBy(providers.channel);
}

export async function providerRow(db: Db, workspaceId: string, channel: string): Promise<ProviderRow | undefined> {
  const [row] = await db
    .select()
    .from(providers)
    .where(and(eq(providers.workspaceId, workspaceId), eq(providers.channel, channel)));
  return row;
}

/** The providers of these workspaces on one channel, secrets opened: one query per delivery batch. */
export async function loadProviders(db: Db, box: SecretBox, channel: string, workspaceIds: string[]): Promise<Map<string, LoadedProvider>> {
  if (!workspaceIds.length) return new Map();
  const rows = await db
    .select()
    .from(providers)
    .where(and(eq(providers.channel, channel), inArray(providers.workspaceId, workspaceIds)));
  return new Map(rows.map((row) => [row.workspaceId, loaded(box, row)]));
}

/**
 * Connects or changes the workspace's provider for the channel of `input.kind`, in one transaction,
 * audited without secrets. Secrets left out keep their stored values; a web push provider gets its
 * VAPID key pair when first made (and keeps it: browsers subscribed with its public key).
 */
export async function saveProvider(db: Db, box: SecretBox, workspaceId: string, channel: string, input: ProviderInput, actor: string, now: number): Promise<ProviderRow> {
  const expected = providerChannel[input.kind];
  if (expected !== channel) throw new ApiError(422, 'wrong-provider-kind', `A ${input.kind} provider sends ${expected}, not ${channel}.`, { field: 'kind' });
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(providers)
      .where(and(eq(providers.workspaceId, workspaceId), eq(providers.channel, channel)))
      .for('update');
    const kept = existing && existing.kind === input.kind ? open(box, existing) : {};
    const given = 'secrets' in input && input.secrets ? Object.fromEntries(Object.entries(input.secrets).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {};
    const secrets: Record<string, string> = { ...kept, ...given };
    if (input.kind === 'web-push' && !secrets.vapidPrivateKey) {
      const keys = webPush.generateVAPIDKeys();
      secrets.vapidPublicKey = keys.publicKey;
      secrets.vapidPrivateKey = keys.privateKey;
    }
    if (input.kind === 'twilio' && !secrets.authToken) throw new ApiError(422, 'missing-secret', 'The auth token is needed to send SMS through Twilio.', { field: 'secrets.authToken' });
    const at = new Date(now).toISOString();
    const values = { kind: input.kind, settings: input.settings as Record<string, unknown>, secrets: Object.keys(secrets).length ? box.seal(JSON.stringify(secrets)) : null, updatedAt: at };
    const [row] = existing
      ? await tx.update(providers).set(values).where(eq(providers.id, existing.id)).returning()
      : await tx
          .insert(providers)
          .values({ id: crypto.randomUUID(), workspaceId, channel, createdAt: at, ...values })
          .returning();
    await audit(tx, {
      workspaceId,
      actor,
      action: existing ? 'provider.update' : 'provider.create',
      target: channel,
      details: { kind: input.kind, settings: input.settings, secretsChanged: Object.keys(given) },
    });
    return row!;
  });
}

/** Disconnects the channel's provider (the channel goes back to the sandbox), audited. */
export async function deleteProvider(db: Db, workspaceId: string, channel: string, actor: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(providers)
      .where(and(eq(providers.workspaceId, workspaceId), eq(providers.channel, channel)))
      .returning({ kind: providers.kind });
    if (removed.length) await audit(tx, { workspaceId, actor, action: 'provider.delete', target: channel, details: { kind: removed[0]!.kind } });
    return removed.length > 0;
  });
}
