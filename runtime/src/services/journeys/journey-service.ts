import { and, desc, eq, sql } from 'drizzle-orm';
import { compileJourney, currentSchemaVersion, type JourneyDocumentInput, validateJourney } from '@waymark/shared';
import type { Db } from '../../db/database.ts';
import { journeys, journeyVersions, segments } from '../../db/schema.ts';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import { ApiError } from '../../http/api-error.ts';
import { releaseQueue } from '../execution/release-held.ts';
import { audit, auditDraftSave } from '../audit.ts';

/** An empty draft: a trigger waiting to be configured. */
export function blankDocument(id: string, name: string): JourneyDocumentInput {
  return {
    schemaVersion: currentSchemaVersion,
    id,
    name,
    graph: { nodes: [{ id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'signed_up' } } }], edges: [] },
  };
}

/** How a journey came to be, for the audit log. */
export type JourneyOrigin = { action: 'journey.create' } | { action: 'journey.import' } | { action: 'journey.duplicate'; from: string };

/** Creates a journey (blank, or from a document) and records who did it and how, in one transaction. */
export async function createJourney(db: Db, workspaceId: string, input: { name: string; document?: JourneyDocumentInput; actor?: string; origin?: JourneyOrigin }) {
  const id = crypto.randomUUID();
  const draft = { ...(input.document ?? blankDocument(id, input.name)), id, name: input.name };
  const { action, ...details } = input.origin ?? { action: 'journey.create' };
  await db.transaction(async (tx) => {
    await tx.insert(journeys).values({ id, workspaceId, name: input.name, draft });
    await audit(tx, { workspaceId, actor: input.actor ?? 'system', action, target: id, details: { name: input.name, ...details } });
  });
  return getJourney(db, workspaceId, id);
}

export async function getJourney(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, id)));
  if (!row || row.status === 'archived') throw new ApiError(404, 'journey-not-found', `No journey "${id}" in this workspace.`);
  return row;
}

/** Saves a draft if it is still at `revision` (two tabs editing: the later save is told, 409); audited per person and ten minutes. */
export async function updateDraft(db: Db, workspaceId: string, id: string, document: JourneyDocumentInput, revision: number, actor: string, now: number) {
  const draft = { ...document, id };
  const row = await db.transaction(async (tx) => {
    const [saved] = await tx
      .update(journeys)
      .set({ draft, name: document.name, revision: sql`${journeys.revision} + 1`, updatedAt: sql`now()` })
      .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, id), eq(journeys.revision, revision), sql`${journeys.status} <> 'archived'`))
      .returning();
    if (saved) await auditDraftSave(tx, { workspaceId, actor, action: 'journey.update', target: id, details: { revision: saved.revision } }, now);
    return saved;
  });
  if (row) return row;
  const current = await getJourney(db, workspaceId, id);
  throw new ApiError(409, 'draft-conflict', `The draft was saved elsewhere (now at revision ${current.revision}, yours is ${revision}); reload it before saving.`, { revision: current.revision });
}

/**
 * Publishes the draft: validates (422 with the CompileError list), compiles, stores an immutable
 * version and makes it live. Runs already in the journey stay on the version they entered.
 */
export async function publishJourney(db: Db, workspaceId: string, id: string, actor: string) {
  const journey = await getJourney(db, workspaceId, id);
  const segmentRows = await db.select({ id: segments.id, name: segments.name }).from(segments).where(eq(segments.workspaceId, workspaceId));
  const errors = validateJourney(journey.draft, { segments: segmentRows });
  if (errors.length) throw new ApiError(422, 'journey-invalid', `The journey has ${errors.length} problem${errors.length > 1 ? 's' : ''}; fix them before publishing.`, errors);
  const machine = compileJourney(journey.draft);
  return db.transaction(async (tx) => {
    const [latest] = await tx.select({ version: journeyVersions.version }).from(journeyVersions).where(eq(journeyVersions.journeyId, id)).orderBy(desc(journeyVersions.version)).limit(1);
    const version = (latest?.version ?? 0) + 1;
    await tx.insert(journeyVersions).values({ workspaceId, journeyId: id, version, document: journey.draft, machine, publishedBy: actor });
    // A paused journey stays paused when a fix is published: resuming is a separate, deliberate act.
    await tx
      .update(journeys)
      .set({ status: sql`case when ${journeys.status} = 'paused' then 'paused' else 'live' end`, liveVersion: version, publishedRevision: sql`${journeys.revision}`, updatedAt: sql`now()` })
      .where(eq(journeys.id, id));
    await audit(tx, { workspaceId, actor, action: 'journey.publish', target: id, details: { version } });
    return { version };
  });
}

/**
 * Pauses or resumes a published journey (SPEC P1, P2). Paused, it enrolls nobody (each refusal
 * recorded), acts on no timer or event of its runs (they are held) and sends nothing (its outbox
 * waits). Resuming queues, in the same transaction, the job that releases what was held.
 */
export async function setJourneyStatus(db: Db, workspaceId: string, id: string, status: 'live' | 'paused', actor: string, release?: { boss: PgBoss; now: number }) {
  const journey = await getJourney(db, workspaceId, id);
  if (journey.liveVersion === null) throw new ApiError(409, 'not-published', 'Publish the journey before pausing or resuming it.');
  await db.transaction(async (tx) => {
    await tx.update(journeys).set({ status, updatedAt: sql`now()` }).where(eq(journeys.id, id));
    await audit(tx, { workspaceId, actor, action: status === 'paused' ? 'journey.pause' : 'journey.resume', target: id });
    // Dated by the runtime's clock, like every job it sends.
    if (status === 'live' && release) await release.boss.insert(releaseQueue, [{ data: { journeyId: id }, startAfter: new Date(release.now) }], { db: fromDrizzle(tx, sql) });
  });
}

/** Archives a journey: it leaves the list, enrolls nobody, and its versions and stats stay readable. */
export async function archiveJourney(db: Db, workspaceId: string, id: string, actor: string) {
  const journey = await getJourney(db, workspaceId, id);
  await db.transaction(async (tx) => {
    await tx
      .update(journeys)
      .set({ status: 'archived', updatedAt: sql`now()` })
      .where(and(eq(journeys.id, journey.id), eq(journeys.workspaceId, workspaceId)));
    await audit(tx, { workspaceId, actor, action: 'journey.archive', target: journey.id, details: { name: journey.name } });
  });
}

/**
 * Makes a published version the draft again (its graph and settings, the journey's name kept),
 * as a new revision; audited. The live version does not change until the draft is published.
 */
export async function restoreVersion(db: Db, workspaceId: string, id: string, version: number, actor: string, now: number) {
  const journey = await getJourney(db, workspaceId, id);
  const [published] = await db
    .select({ document: journeyVersions.document })
    .from(journeyVersions)
    .where(and(eq(journeyVersions.journeyId, id), eq(journeyVersions.version, version)));
  if (!published) throw new ApiError(404, 'version-not-found', `Journey "${journey.name}" has no version ${version}.`, { field: 'version' });
  const draft = { ...(published.document as JourneyDocumentInput), id, name: journey.name };
  await db.transaction(async (tx) => {
    await tx
      .update(journeys)
      .set({ draft, revision: sql`${journeys.revision} + 1`, updatedAt: new Date(now).toISOString() })
      .where(eq(journeys.id, id));
    await audit(tx, { workspaceId, actor, action: 'journey.restore', target: id, details: { version } });
  });
  return getJourney(db, workspaceId, id);
}
