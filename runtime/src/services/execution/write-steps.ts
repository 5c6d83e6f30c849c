import type { Db, Tx } from '../../db/database.ts';
import { chunk, insertJson } from '../../db/bulk-sql.ts';
import type { StepRow } from './run-batch.ts';

/** Most steps in one `run_steps` row: the `steps` view numbers a row's steps within 256 ids. */
const perRow = 200;

/** Whether a step is a send's outcome, listed by "who was sent / skipped". */
const isSendOutcome = (reason: string) => reason === 'sent' || reason.startsWith('skipped:');

/**
 * Writes steps in the caller's transaction (every writer of steps comes here): one `run_steps` row per run holding its steps in
 * order (a run that enters, passes a condition, sends and exits in one batch is one row, not four),
 * and one `send_outcomes` row per send or skip.
 */
export async function writeSteps(tx: Tx | Db, steps: StepRow[]): Promise<void> {
  if (!steps.length) return;
  const byRun = Map.groupBy(steps, (step) => step.progressId);
  const rows = [...byRun.values()].flatMap((list) =>
    chunk(list, perRow).map((part) => ({
      workspaceId: part[0]!.workspaceId,
      progressId: part[0]!.progressId,
      journeyId: part[0]!.journeyId,
      version: part[0]!.version,
      transitions: part.map((s) => ({ node_id: s.nodeId, handle: s.handle, reason: s.reason, detail: s.detail, at: s.at })),
    })),
  );
  for (const part of chunk(rows, 5_000)) await tx.execute(insertJson('run_steps', part));
  const outcomes = steps
    .filter((s) => isSendOutcome(s.reason))
    .map((s) => ({ workspaceId: s.workspaceId, journeyId: s.journeyId, version: s.version, nodeId: s.nodeId, progressId: s.progressId, reason: s.reason, at: s.at }));
  for (const part of chunk(outcomes, 10_000)) await tx.execute(insertJson('send_outcomes', part));
}
