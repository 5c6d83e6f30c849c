import { and, eq, inArray, sql } from 'drizzle-orm';
import type { SandboxMessage } from '@waymark/shared';
import type { Db, Tx } from '../../db/database.ts';
import { storableJsonText } from '../../db/bulk-sql.ts';
import { messages, type SandboxEntry, sandboxRecent } from '../../db/schema.ts';

/** How many of its newest messages each channel's sandbox keeps per workspace. */
export const sandboxKept = 50;

/**
 * Puts messages the sandbox just kept at the head of their workspace's list for the channel,
 * trimmed to `sandboxKept`: one upsert per workspace, whatever the batch size.
 */
export async function rememberSandboxed(tx: Tx | Db, channel: string, kept: { workspaceId: string; entry: SandboxEntry }[]): Promise<void> {
  if (!kept.length) return;
  const byWorkspace = new Map<string, SandboxEntry[]>();
  for (const { workspaceId, entry } of kept) byWorkspace.set(workspaceId, [...(byWorkspace.get(workspaceId) ?? []), entry]);
  const rows = [...byWorkspace].map(([workspace_id, entries]) => ({ workspace_id, entries: entries.slice(0, sandboxKept) }));
  await tx.execute(sql`
    insert into sandbox_recent (workspace_id, channel, entries)
    select v.workspace_id, ${channel}, v.entries from jsonb_to_recordset(${storableJsonText(rows)}::jsonb) as v(workspace_id text, entries jsonb)
    order by v.workspace_id
    on conflict (workspace_id, channel) do update set entries = (
      select coalesce(jsonb_agg(e order by n), '[]'::jsonb) from jsonb_array_elements(excluded.entries || sandbox_recent.entries) with ordinality as x(e, n) where n <= ${sandboxKept})`);
}

/** The newest messages the channel's sandbox kept for the workspace, newest first, as sent (test sends included). */
export async function recentSandboxed(db: Db, workspaceId: string, channel: string): Promise<SandboxMessage[]> {
  const [row] = await db
    .select({ entries: sandboxRecent.entries })
    .from(sandboxRecent)
    .where(and(eq(sandboxRecent.workspaceId, workspaceId), eq(sandboxRecent.channel, channel)));
  const entries = row?.entries ?? [];
  const ids = entries.filter((e) => !e.test).map((e) => e.id);
  const stored = ids.length
    ? await db
        .select({ id: messages.id, to: messages.to, content: messages.content, journeyId: messages.journeyId, customerId: messages.customerId })
        .from(messages)
        .where(and(eq(messages.workspaceId, workspaceId), inArray(messages.id, ids)))
    : [];
  const byId = new Map(stored.map((m) => [m.id, m]));
  return entries.flatMap((entry): SandboxMessage[] => {
    if (entry.test) return [{ id: entry.id, channel, to: entry.to ?? null, content: entry.content ?? {}, journeyId: null, customerId: null, at: entry.at, test: true }];
    const message = byId.get(entry.id);
    // An erased customer's messages are gone, and so is their place in the list.
    return message
      ? [{ id: entry.id, channel, to: message.to, content: message.content as Record<string, unknown>, journeyId: message.journeyId, customerId: message.customerId, at: entry.at, test: false }]
      : [];
  });
}
