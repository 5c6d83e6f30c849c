import { zValidator } from '@hono/zod-validator';
import { PreviewRequest } from '@waymark/shared';
import { Hono } from 'hono';
import type { Db } from '../db/database.ts';
import { getJourney } from '../services/journeys/journey-service.ts';
import type { PreviewError } from '../services/preview/preview-error.ts';
import type { PreviewRunner } from '../services/preview/preview-runner.ts';
import { previewSubject, type SubjectRef } from '../services/preview/preview-subject.ts';
import { runPreview } from '../services/preview/run-preview.ts';
import { ApiError, unavailable } from './api-error.ts';
import { invalidRequest } from './invalid-request.ts';
import type { AuthEnv } from './management-auth.ts';

/**
 * `/api/workspaces/:workspaceId/journeys/:id/preview` and `…/preview-context`: a journey played for
 * a customer and a story on the server, or what the browser needs to play it itself. Any member may
 * preview (viewers too): nothing is written and nothing is sent.
 */
export function previewRoutes(db: Db, now: () => number, runner: PreviewRunner) {
  const app = new Hono<AuthEnv>();
  app.post('/:id/preview', zValidator('json', PreviewRequest, invalidRequest), async (c) => c.json(await runPreview(db, runner, c.get('workspaceId'), c.req.param('id'), c.req.valid('json'), now())));
  app.get('/:id/preview-context', async (c) => {
    const journey = await getJourney(db, c.get('workspaceId'), c.req.param('id'));
    return c.json(await previewSubject(db, c.get('workspaceId'), journey, subjectOf(c.req.query('customerId'), c.req.query('testCustomerId')), now()));
  });
  return app;
}

/** `?customerId=` (a real customer), `?testCustomerId=` (a saved one), or neither (an empty profile). */
function subjectOf(customerId: string | undefined, testCustomerId: string | undefined): SubjectRef {
  if (customerId !== undefined && testCustomerId !== undefined) {
    throw new ApiError(400, 'invalid-request', '"testCustomerId": give a customerId or a testCustomerId, not both.', { field: 'testCustomerId' });
  }
  for (const [field, value] of [
    ['customerId', customerId],
    ['testCustomerId', testCustomerId],
  ] as const) {
    if (value === '') throw new ApiError(400, 'invalid-request', `"${field}": give the id, or leave the parameter out.`, { field });
  }
  if (customerId !== undefined) return { customerId };
  return testCustomerId !== undefined ? { testCustomerId } : {};
}

const statusOf = { 'not-found': 404, invalid: 400, 'journey-invalid': 422, conflict: 409, 'too-expensive': 422 } as const;

/** The answer to a preview, test-customer or replay error: its status by kind, busy as 503 with Retry-After. */
export function previewApiError(error: PreviewError): ApiError {
  if (error.kind === 'busy') return unavailable(error.message, 2);
  return new ApiError(statusOf[error.kind], error.code, error.message, error.details);
}
