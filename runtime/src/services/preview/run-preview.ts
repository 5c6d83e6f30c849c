import { JourneyMachine, journeyLimits, type PreviewRequest, type PreviewResult } from '@waymark/shared';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { journeyVersions } from '../../db/schema.ts';
import { getJourney } from '../journeys/journey-service.ts';
import { PreviewError } from './preview-error.ts';
import type { PreviewJob, PreviewRunner } from './preview-runner.ts';
import { engineProfile, previewSubject, testProfileId } from './preview-subject.ts';

/** A preview request as validated (defaults filled in). */
export type PreviewQuery = z.output<typeof PreviewRequest>;

/** The preview, and which journey it played: its name and the published version (null for a draft). */
export type PreviewResponse = PreviewResult & { journey: { id: string; name: string; version: number | null } };

/** Versions are int4 in the database: a larger number is no version rather than a database error. */
const maxVersion = 2_147_483_647;

/**
 * Previews a journey — the document sent (a draft as on the canvas), a published version, or the
 * saved draft — for a real customer (with what the runtime knows of them), a saved test customer
 * or a profile written inline, over the request's story; `context` replaces what was read, field
 * by field. Writes nothing and sends nothing. An invalid journey is refused with its CompileError
 * list, as publish refuses it.
 */
export async function runPreview(db: Db, runner: PreviewRunner, workspaceId: string, journeyId: string, request: PreviewQuery, now: number): Promise<PreviewResponse> {
  const journey = await getJourney(db, workspaceId, journeyId);
  const played = await journeyToPlay(db, workspaceId, journey, request);
  const ref = request.customer;
  const subject = await previewSubject(db, workspaceId, journey, 'profile' in ref ? {} : ref, now, 'customer.');
  const answer = await runner.run(played.journey, {
    customer: 'profile' in ref ? engineProfile(testProfileId, ref.profile) : subject.profile,
    story: request.story,
    context: { ...subject.context, ...request.context },
  });
  if ('invalid' in answer) {
    const n = answer.invalid.length;
    throw new PreviewError('journey-invalid', 'journey-invalid', `The journey has ${n} problem${n > 1 ? 's' : ''}; fix them to preview it.`, answer.invalid);
  }
  return { ...answer.result, journey: { id: journey.id, name: answer.name, version: played.version } };
}

async function journeyToPlay(
  db: Db,
  workspaceId: string,
  journey: { id: string; name: string; draft: unknown },
  request: PreviewQuery,
): Promise<{ journey: PreviewJob['journey']; version: number | null }> {
  if (request.version !== undefined) {
    const [row] =
      request.version <= maxVersion
        ? await db
            .select({ machine: journeyVersions.machine })
            .from(journeyVersions)
            .where(and(eq(journeyVersions.workspaceId, workspaceId), eq(journeyVersions.journeyId, journey.id), eq(journeyVersions.version, request.version)))
        : [];
    if (!row) throw new PreviewError('not-found', 'version-not-found', `Journey "${journey.name}" has no version ${request.version}.`, { field: 'version' });
    return { journey: { machine: JourneyMachine.parse(row.machine) }, version: request.version };
  }
  return { journey: { document: request.document === undefined ? journey.draft : sent(request.document, journey.id) }, version: null };
}

/**
 * A document from the request, held to the size a saved draft may have (a bound on the validator's
 * work), as this journey. One that is not an object goes on as it is: the validator says what is wrong.
 */
function sent(document: unknown, id: string): unknown {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const graph = (document as { graph?: unknown }).graph;
  const parts = [
    ['nodes', journeyLimits.nodes, 'steps'],
    ['edges', journeyLimits.edges, 'connections'],
  ] as const;
  for (const [part, limit, words] of parts) {
    const list = typeof graph === 'object' && graph !== null ? (graph as Record<string, unknown>)[part] : undefined;
    if (Array.isArray(list) && list.length > limit) {
      throw new PreviewError('invalid', 'invalid-request', `"document.graph.${part}": a journey has at most ${limit.toLocaleString('en')} ${words}.`, { field: `document.graph.${part}` });
    }
  }
  return { ...document, id };
}
