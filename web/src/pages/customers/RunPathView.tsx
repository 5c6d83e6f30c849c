import type { RunPath, RunStep } from '@waymark/shared';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fetchRunPath } from './customer-api.ts';
import { SkeletonLines } from '../../components/Skeleton.tsx';
import { Time } from './Time.tsx';
import { readableDetail, reasonWords } from '../../components/words.ts';

/** Branch names a person reads on the canvas edge. */
const branchWords: Record<string, string> = { yes: 'Yes branch', no: 'No branch', event: 'event branch', timeout: 'timeout branch' };

/** Whether the sentence already says the reason ("entered on signed_up" after "Entered"). */
const repeats = (step: RunStep) => step.detail.toLowerCase().startsWith(reasonWords(step.reason).toLowerCase());
/** The reason in words, or the sentence itself when it starts with them ("Entered on signed_up"). */
const outcome = (step: RunStep) => (repeats(step) ? readableDetail(step.detail).replace(/^./, (c) => c.toUpperCase()) : reasonWords(step.reason));

/** The path one run took: each step in words, what happened and why, oldest first. */
export function RunPathView({ workspaceId, customerId, runId }: { workspaceId: string; customerId: string; runId: string }) {
  const [path, setPath] = useState<RunPath | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetchRunPath(workspaceId, customerId, runId).then(setPath, (e: Error) => setError(e.message));
  }, [workspaceId, customerId, runId]);
  if (error) return <ErrorAlert message={error} />;
  if (!path) return <SkeletonLines lines={4} label="Loading the path" />;
  if (!path.steps.length) return <p className="wm-muted">No steps recorded yet.</p>;
  return (
    <>
      <ol className="wm-path" aria-label={`Path through ${path.run.journeyName}`}>
        {path.steps.map((step) => (
          <li key={step.id} className={step.reason.startsWith('skipped:') || step.reason === 'delivery-failed' ? 'is-warning' : undefined}>
            <span className="wm-path-time">
              <Time at={step.at} />
            </span>
            <span className="wm-path-step">
              <strong>{step.nodeLabel}</strong>
              <span className="wm-path-outcome">
                {outcome(step)}
                {step.handle && branchWords[step.handle] && !['rules-matched', 'rules-not-matched'].includes(step.reason) ? ` → ${branchWords[step.handle]}` : ''}
              </span>
              {step.detail && !repeats(step) && <span className="wm-path-why">{readableDetail(step.detail)}</span>}
            </span>
          </li>
        ))}
      </ol>
      {path.truncated && <p className="wm-muted">Showing the first {path.steps.length} steps.</p>}
    </>
  );
}
