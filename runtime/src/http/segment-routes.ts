import { zValidator } from '@hono/zod-validator';
import { SegmentEstimateRequest, SegmentInput, SegmentMembersQuery, UpdateSegmentRequest } from '@waymark/shared';
import { Hono } from 'hono';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/database.ts';
import { actorOf } from '../services/auth/principal.ts';
import { segmentMembersCsv } from '../services/segments/segment-members-csv.ts';
import { createSegment, deleteSegment, estimateSegment, getSegment, listSegments, segmentMembers, updateSegment } from '../services/segments/segment-service.ts';
import { invalidRequest } from './invalid-request.ts';
import { type AuthEnv, needs } from './management-auth.ts';

/** `/api/workspaces/:workspaceId/segments`: named audiences with live membership. */
export function segmentRoutes(db: Db, boss: PgBoss, now: () => number) {
  const app = new Hono<AuthEnv>();
  app.get('/', async (c) => c.json(await listSegments(db, c.get('workspaceId'))));
  app.post('/', needs('editor'), zValidator('json', SegmentInput, invalidRequest), async (c) =>
    c.json(await createSegment(db, boss, now(), c.get('workspaceId'), c.req.valid('json'), actorOf(c.get('principal'))), 201),
  );
  // Before /:id: how many customers rules would match now, while the editor changes them.
  app.post('/estimate', zValidator('json', SegmentEstimateRequest, invalidRequest), async (c) => c.json(await estimateSegment(db, now(), c.get('workspaceId'), c.req.valid('json').rules)));
  app.get('/:id', async (c) => c.json(await getSegment(db, c.get('workspaceId'), c.req.param('id'))));
  app.put('/:id', needs('editor'), zValidator('json', UpdateSegmentRequest, invalidRequest), async (c) =>
    c.json(await updateSegment(db, boss, now(), c.get('workspaceId'), c.req.param('id'), c.req.valid('json'), actorOf(c.get('principal')))),
  );
  app.delete('/:id', needs('editor'), async (c) => {
    await deleteSegment(db, c.get('workspaceId'), c.req.param('id'), actorOf(c.get('principal')));
    return c.body(null, 204);
  });
  app.get('/:id/members', zValidator('query', SegmentMembersQuery, invalidRequest), async (c) => c.json(await segmentMembers(db, c.get('workspaceId'), c.req.param('id'), c.req.valid('query'))));
  // Every member as a CSV file, streamed; the file is named after the segment.
  app.get('/:id/members.csv', async (c) => {
    const { fileName, stream } = await segmentMembersCsv(db, c.get('workspaceId'), c.req.param('id'));
    const ascii = fileName.replace(/[^\w .()-]+/g, '_').trim() || 'segment';
    return c.body(stream, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${ascii}.csv"; filename*=UTF-8''${encodeURIComponent(`${fileName}.csv`)}`,
      'cache-control': 'no-store',
    });
  });
  return app;
}
