import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { PgBoss } from 'pg-boss';
import { desc, eq } from 'drizzle-orm';
import { CreateJourneyRequest, EnrollmentRequest, ImportJourneyRequest, SegmentEnrollmentRequest, JourneyListQuery, UpdateDraftRequest, type JourneyDocumentInput } from '@waymark/shared';
import type { Outbox } from '../services/execution/persist-batch.ts';
import { enrollCustomers, enrollSegment } from '../services/journeys/enroll-customers.ts';
import type { Db } from '../db/database.ts';
import { actorOf } from '../services/auth/principal.ts';
import { audienceRuns } from '../db/schema.ts';
import { archiveJourney, createJourney, getJourney, publishJourney, restoreVersion, setJourneyStatus, updateDraft } from '../services/journeys/journey-service.ts';
import { daysUpTo, workspaceZone } from '../services/analytics/stats-scope.ts';
import { getVersion, journeyDetail, listJourneys, listVersions } from '../services/journeys/journey-queries.ts';
import { idempotencyKeyOf, wholeNumber } from './params.ts';
import { needs, type AuthEnv } from './management-auth.ts';
import { invalidRequest } from './invalid-request.ts';

/** `/api/workspaces/:workspaceId/journeys`: drafts, versions, publishing and stats. */
export function journeyRoutes(db: Db, now: () => number, boss: PgBoss, outbox: Outbox, onLive: () => Promise<unknown> = async () => {}) {
  const app = new Hono<AuthEnv>();
  const doc = (document: unknown) => document as JourneyDocumentInput;

  app.get('/', zValidator('query', JourneyListQuery, invalidRequest), async (c) => {
    const query = c.req.valid('query');
    const last30 = daysUpTo(query.to, now(), await workspaceZone(db, c.get('workspaceId')), 30);
    return c.json(await listJourneys(db, c.get('workspaceId'), { q: query.q, from: query.from ?? last30.from, to: last30.to }));
  });

  app.post('/', needs('editor'), zValidator('json', CreateJourneyRequest, invalidRequest), async (c) => {
    const body = c.req.valid('json');
    return c.json(await createJourney(db, c.get('workspaceId'), { name: body.name, document: body.document && doc(body.document), actor: actorOf(c.get('principal')) }), 201);
  });

  app.post('/import', needs('editor'), zValidator('json', ImportJourneyRequest, invalidRequest), async (c) => {
    const document = doc(c.req.valid('json').document);
    return c.json(
      await createJourney(db, c.get('workspaceId'), { name: String(document.name ?? 'Imported journey'), document, actor: actorOf(c.get('principal')), origin: { action: 'journey.import' } }),
      201,
    );
  });

  app.get('/:id', async (c) => c.json(await journeyDetail(db, c.get('workspaceId'), c.req.param('id'))));
  app.post('/:id/versions/:version/restore', needs('editor'), async (c) =>
    c.json(await restoreVersion(db, c.get('workspaceId'), c.req.param('id'), wholeNumber(c.req.param('version'), 'version', { min: 1 }), actorOf(c.get('principal')), now())),
  );

  app.get('/:id/export', async (c) => {
    const journey = await getJourney(db, c.get('workspaceId'), c.req.param('id'));
    c.header('content-disposition', `attachment; filename="${journey.id}.json"`);
    return c.json(journey.draft);
  });

  app.put('/:id', needs('editor'), zValidator('json', UpdateDraftRequest, invalidRequest), async (c) => {
    const { document, revision } = c.req.valid('json');
    return c.json(await updateDraft(db, c.get('workspaceId'), c.req.param('id'), doc(document), revision, actorOf(c.get('principal')), now()));
  });

  app.post('/:id/duplicate', needs('editor'), async (c) => {
    const source = await getJourney(db, c.get('workspaceId'), c.req.param('id'));
    const name = `${source.name} (copy)`;
    return c.json(
      await createJourney(db, c.get('workspaceId'), {
        name,
        document: { ...(source.draft as JourneyDocumentInput), name },
        actor: actorOf(c.get('principal')),
        origin: { action: 'journey.duplicate', from: source.id },
      }),
      201,
    );
  });

  app.delete('/:id', needs('publisher'), async (c) => {
    await archiveJourney(db, c.get('workspaceId'), c.req.param('id'), actorOf(c.get('principal')));
    return c.body(null, 204);
  });

  app.post('/:id/publish', needs('publisher'), async (c) => {
    const published = await publishJourney(db, c.get('workspaceId'), c.req.param('id'), actorOf(c.get('principal')));
    await onLive();
    return c.json(published);
  });
  app.post('/:id/pause', needs('publisher'), async (c) => {
    await setJourneyStatus(db, c.get('workspaceId'), c.req.param('id'), 'paused', actorOf(c.get('principal')), { boss, now: now() });
    return c.json({ status: 'paused' });
  });
  app.post('/:id/resume', needs('publisher'), async (c) => {
    await setJourneyStatus(db, c.get('workspaceId'), c.req.param('id'), 'live', actorOf(c.get('principal')), { boss, now: now() });
    await onLive();
    return c.json({ status: 'live' });
  });

  // Customers enrolled by the API or by hand into a journey that starts that way; each refusal says why.
  app.post('/:id/enrollments', needs('publisher'), zValidator('json', EnrollmentRequest, invalidRequest), async (c) => {
    const body = c.req.valid('json');
    const request = { ...body, idempotencyKey: idempotencyKeyOf(c.req.header('idempotency-key'), body.idempotencyKey) };
    return c.json(await enrollCustomers(db, outbox, now(), c.get('workspaceId'), c.req.param('id'), request, actorOf(c.get('principal'))));
  });

  // Everyone in a segment, added by hand in the background; its progress is an audience run.
  app.post('/:id/enrollments/segment', needs('publisher'), zValidator('json', SegmentEnrollmentRequest, invalidRequest), async (c) => {
    const run = await enrollSegment(db, boss, now(), c.get('workspaceId'), c.req.param('id'), c.req.valid('json').segmentId, actorOf(c.get('principal')));
    return c.json(run, 202);
  });

  // Scheduled audiences: each occurrence with its progress (scanned of total, enrolled, waiting for local time).
  app.get('/:id/audience-runs', async (c) => {
    const journey = await getJourney(db, c.get('workspaceId'), c.req.param('id'));
    return c.json(await db.select().from(audienceRuns).where(eq(audienceRuns.journeyId, journey.id)).orderBy(desc(audienceRuns.dueAt)).limit(100));
  });

  app.get('/:id/versions', async (c) => {
    const journey = await getJourney(db, c.get('workspaceId'), c.req.param('id'));
    return c.json(await listVersions(db, c.get('workspaceId'), journey.id));
  });
  app.get('/:id/versions/:version', async (c) => c.json(await getVersion(db, c.get('workspaceId'), c.req.param('id'), wholeNumber(c.req.param('version'), 'version', { min: 1 }))));

  return app;
}
