import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/database.ts';
import { auditLog, journeys } from '../db/schema.ts';

/** One change worth answering "who did this, and when?" for. */
export interface AuditEntry {
  workspaceId: string;
  /** `user:<email>`, `token:<id>` or `system`. */
  actor: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

/** Records an entry in the caller's transaction, so it is written exactly when the change is. */
export async function audit(tx: Tx | Db, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}

/** Saves of one draft by one person within this long are one entry (autosave writes every few seconds). */
const coalesceMs = 10 * 60_000;

/**
 * Records a draft save, folding it into the same person's last save of that journey within ten
 * minutes (its details keep the first and last revision and the count), so autosave does not
 * bury the log.
 */
export async function auditDraftSave(tx: Tx, entry: AuditEntry & { details: { revision: number } }, now: number): Promise<void> {
  const [last] = await tx
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, entry.workspaceId),
        eq(auditLog.target, entry.target),
        eq(auditLog.action, entry.action),
        eq(auditLog.actor, entry.actor),
        gt(auditLog.at, new Date(now - coalesceMs).toISOString()),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(1)
    .for('update');
  if (!last) return audit(tx, { ...entry, details: { fromRevision: entry.details.revision, revision: entry.details.revision, saves: 1 } });
  await tx
    .update(auditLog)
    .set({
      at: new Date(now).toISOString(),
      details: sql`${auditLog.details} || jsonb_build_object('revision', ${entry.details.revision}::int, 'saves', coalesce((${auditLog.details} ->> 'saves')::int, 1) + 1)`,
    })
    .where(eq(auditLog.id, last.id));
}

/** A workspace's audit log, newest first, a page at a time, with the total; journey targets come with the journey's name. */
export async function listAudit(db: Db, workspaceId: string, { limit = 50, offset = 0, action }: { limit?: number; offset?: number; action?: string }) {
  const where = and(eq(auditLog.workspaceId, workspaceId), action ? sql`${auditLog.action} like ${`${action}%`}` : undefined);
  const [items, [total]] = await Promise.all([
    db
      .select({ id: auditLog.id, actor: auditLog.actor, action: auditLog.action, target: auditLog.target, details: auditLog.details, at: auditLog.at, targetName: journeys.name })
      .from(auditLog)
      .leftJoin(journeys, and(eq(journeys.id, auditLog.target), eq(journeys.workspaceId, auditLog.workspaceId)))
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(where),
  ]);
  return { total: total?.n ?? 0, items: items.map((item) => ({ ...item, at: new Date(item.at).toISOString() })) };
}
