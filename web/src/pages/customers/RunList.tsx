import type { RefusedEntry, RunSummary } from '@waymark/shared';
import { ChevronDown, ChevronRight, CircleOff, Play } from 'lucide-react';
import { useState } from 'react';
import { navigateTo } from '../../app/use-route.ts';
import { RunPathView } from './RunPathView.tsx';
import { Time } from './Time.tsx';
import { runStatusWords } from '../../components/words.ts';

/** Where a run is replayed: the version it ran on, read-only, with the Preview tab telling the run. */
export const replayPath = (run: RunSummary, customerId: string) =>
  `/journeys/${encodeURIComponent(run.journeyId)}/versions/${run.version}?${new URLSearchParams({ replay: run.id, customer: customerId })}`;

/** The customer's runs, newest first, each opening to its path and replayable on its canvas; then the entries journeys refused, with why. */
export function RunList({ workspaceId, customerId, runs, refusals }: { workspaceId: string; customerId: string; runs: RunSummary[]; refusals: RefusedEntry[] }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  if (!runs.length && !refusals.length) return <p className="wm-muted">Not in any journey yet.</p>;
  return (
    <>
      <ul className="wm-runs">
        {runs.map((run) => {
          const expanded = open.has(run.id);
          return (
            <li key={run.id} className={run.status === 'active' ? 'is-active' : undefined}>
              <button type="button" className="wm-run-toggle" aria-expanded={expanded} onClick={() => toggle(run.id)}>
                {expanded ? <ChevronDown aria-hidden="true" size={16} /> : <ChevronRight aria-hidden="true" size={16} />}
                <span className="wm-run-name">
                  <strong>{run.journeyName}</strong> <span className="wm-muted">version {run.version}</span>
                </span>
                <span className={`wm-run-status is-${run.status}`}>{runStatusWords(run.status, run.endReason)}</span>
              </button>
              <p className="wm-run-facts">
                {run.currentStep ? <>Now at {run.currentStep} · </> : null}
                Entered <Time at={run.enteredAt} />
                {run.endedAt ? (
                  <>
                    {' '}
                    · ended <Time at={run.endedAt} />
                  </>
                ) : null}
                {run.convertedAt ? (
                  <>
                    {' '}
                    · converted <Time at={run.convertedAt} />
                  </>
                ) : null}
                {' · '}
                <a className="wm-run-replay" href={replayPath(run, customerId)} onClick={navigateTo(replayPath(run, customerId))}>
                  <Play aria-hidden="true" size={14} /> Replay on canvas
                </a>
              </p>
              {expanded && <RunPathView workspaceId={workspaceId} customerId={customerId} runId={run.id} />}
            </li>
          );
        })}
      </ul>
      {refusals.length > 0 && (
        <ul className="wm-refusals" aria-label="Entries refused">
          {refusals.map((r) => (
            <li key={`${r.journeyId}:${r.reason}`}>
              <CircleOff aria-hidden="true" size={16} />
              <span>
                Not entered <strong>{r.journeyName}</strong>: {r.detail}
                <span className="wm-sub">
                  {r.count === 1 ? 'once' : `${r.count} times`} · last <Time at={r.lastAt} />
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
