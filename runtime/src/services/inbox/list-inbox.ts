import { sql } from 'drizzle-orm';
import type { InboxItem, InboxResponse } from '@waymark/shared';
import type { Db } from '../../db/database.ts';

/** In the inbox: an in-app message delivered to the customer, not dismissed, not expired. */
export const inInbox = (now: string) => sql`m.channel = 'in-app' and m.status in ('sent', 'delivered') and m.dismissed_at is null and (m.expires_at is null or m.expires_at > ${now})`;

/**
 * A page of the customer's inbox, newest first (`before`: the `createdAt` of the last item seen),
 * and how many of all their inbox messages are unopened. Both read the customer's messages
 * through `messages_customer (customer_id, created_at)`.
 */
export async function listInbox(db: Db, workspaceId: string, customerId: string | null, page: { limit: number; before?: string }, now: number): Promise<InboxResponse> {
  if (!customerId) return { unread: 0, items: [] };
  const at = new Date(now).toISOString();
  const rows = await db.execute<{ id: string; content: Record<string, unknown>; created_at: string; opened_at: string | null; clicked_at: string | null; expires_at: string | null }>(sql`
    select m.id, m.content, m.created_at, m.opened_at, m.clicked_at, m.expires_at from messages m
    where m.customer_id = ${customerId} and m.workspace_id = ${workspaceId} and ${inInbox(at)}${page.before ? sql` and m.created_at < ${page.before}` : sql``}
    order by m.created_at desc, m.id desc limit ${page.limit}`);
  const [count] = await db.execute<{ unread: number }>(sql`
    select count(*)::int as unread from messages m
    where m.customer_id = ${customerId} and m.workspace_id = ${workspaceId} and ${inInbox(at)} and m.opened_at is null`);
  return { unread: count?.unread ?? 0, items: rows.map(item) };
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

function item(row: { id: string; content: Record<string, unknown>; created_at: string; opened_at: string | null; clicked_at: string | null; expires_at: string | null }): InboxItem {
  const { title, body, cta } = row.content as { title?: unknown; body?: unknown; cta?: { label?: unknown; url?: unknown } };
  return {
    id: row.id,
    title: String(title ?? ''),
    body: String(body ?? ''),
    cta: cta && typeof cta.url === 'string' && cta.url ? { label: String(cta.label ?? ''), url: cta.url } : null,
    createdAt: iso(row.created_at)!,
    openedAt: iso(row.opened_at),
    clickedAt: iso(row.clicked_at),
    expiresAt: iso(row.expires_at),
  };
}
