import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { NodeCustomersQuery, SegmentComparisonQuery, StatsQuery } from '@waymark/shared';
import type { Db } from '../db/database.ts';
import { journeyReport } from '../services/analytics/journey-report.ts';
import { journeyStats } from '../services/analytics/journey-stats.ts';
import { nodeCustomers } from '../services/analytics/node-customers.ts';
import { compareSegments } from '../services/analytics/segment-comparison.ts';
import { invalidRequest } from './invalid-request.ts';
import type { AuthEnv } from './management-auth.ts';

/** `/api/workspaces/:ws/journeys/:id/{stats,report,report/segments,nodes/:nodeId/customers}`: the numbers, for any role. */
export function analyticsRoutes(db: Db) {
  const app = new Hono<AuthEnv>();
  app.get('/:id/stats', zValidator('query', StatsQuery, invalidRequest), async (c) => c.json(await journeyStats(db, c.get('workspaceId'), c.req.param('id'), c.req.valid('query'))));
  app.get('/:id/report', zValidator('query', StatsQuery, invalidRequest), async (c) => c.json(await journeyReport(db, c.get('workspaceId'), c.req.param('id'), c.req.valid('query'))));
  app.get('/:id/report/segments', zValidator('query', SegmentComparisonQuery, invalidRequest), async (c) =>
    c.json(await compareSegments(db, c.get('workspaceId'), c.req.param('id'), c.req.valid('query'))),
  );
  app.get('/:id/nodes/:nodeId/customers', zValidator('query', NodeCustomersQuery, invalidRequest), async (c) =>
    c.json(await nodeCustomers(db, c.get('workspaceId'), c.req.param('id'), c.req.param('nodeId'), c.req.valid('query'))),
  );
  return app;
}
