import type { RunPath } from '@waymark/shared';
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { progress, steps } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { findCustomer } from './find-customer.ts';
import { listRuns } from './list-runs.ts';
import { labelOf, nodeLabels } from './node-labels.ts';

/** The most steps a path shows: a run that loops through waits for months stays readable. */
const stepsShown = 500;

/** One run of a customer and the path it took: every step with its node in words, branch, reason code and sentence. */
export async function runPath(db: Db, workspaceId: string, customerId: string, runId: string): Promise<RunPath> {
  await findCustomer(db, workspaceId, customerId);
  const [run] = await listRuns(db, customerId, eq(progress.id, runId));
  if (!run) throw new ApiError(404, 'run-not-found', `Customer "${customerId}" has no run "${runId}".`);
  const rows = await db
    .select({
      id: steps.id,
      nodeId: steps.nodeId,
      journeyId: steps.journeyId,
      version: steps.version,
      handle: steps.handle,
      reason: steps.reason,
      detail: steps.detail,
      at: sql<string>`to_json(${steps.at}) #>> '{}'`,
    })
    .from(steps)
    .where(eq(steps.progressId, runId))
    .orderBy(asc(steps.id))
    .limit(stepsShown + 1);
  const labels = await nodeLabels(db, [{ journeyId: run.journeyId, version: run.version }]);
  return {
    run,
    truncated: rows.length > stepsShown,
    steps: rows.slice(0, stepsShown).map(({ journeyId, version, ...step }) => {
      const node = labelOf(labels, journeyId, version, step.nodeId);
      return { ...step, at: new Date(step.at).toISOString(), nodeType: node?.type ?? null, nodeLabel: node?.label ?? step.nodeId };
    }),
  };
}
