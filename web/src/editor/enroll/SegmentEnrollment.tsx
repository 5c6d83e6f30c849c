import type { SegmentSummary } from '@waymark/shared';
import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { markStatsStale } from '../stats/use-stats-poll.ts';
import { customerCount } from '../../components/words.ts';

const count = new Intl.NumberFormat('en');

/** An audience run as `…/audience-runs` lists it: how far the background enrollment has got. */
interface AudienceRun {
  id: string;
  status: 'scheduled' | 'scanning' | 'waiting-local-time' | 'done' | 'cancelled';
  total: number | null;
  scanned: number;
  enrolled: number;
}

/** The workspace's segments to choose one from, with how many are in each now; those still being worked out cannot be chosen yet. */
export function SegmentPicker({ workspaceId, onNext, onCancel }: { workspaceId: string; onNext(segment: SegmentSummary): void; onCancel(): void }) {
  const [segments, setSegments] = useState<SegmentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    api<SegmentSummary[]>('GET', `/api/workspaces/${workspaceId}/segments`).then(setSegments, (e: Error) => setError(e.message));
  }, [workspaceId]);
  const segment = segments?.find((s) => s.id === chosen);
  return (
    <div role="tabpanel" aria-label="From a segment">
      <ErrorAlert message={error} />
      {segments && segments.length === 0 && <p className="wm-muted">No segments yet: create one on the Segments page, then come back to add its members.</p>}
      {segments && segments.length > 0 && <p className="wm-muted">Everyone in the segment you choose enters, as it stands when you confirm.</p>}
      {segments && segments.length > 0 && (
        <div className="wm-enroll-segments" role="radiogroup" aria-label="Segment">
          {segments.map((s) => (
            <label key={s.id} className={s.status !== 'ready' ? 'wm-enroll-segment is-disabled' : 'wm-enroll-segment'}>
              <input type="radio" name="segment" value={s.id} checked={chosen === s.id} disabled={s.status !== 'ready'} onChange={() => setChosen(s.id)} />
              <span className="wm-enroll-name">{s.name}</span>
              <span className="wm-muted">{s.status === 'ready' ? customerCount(s.members) : 'being worked out…'}</span>
            </label>
          ))}
        </div>
      )}
      <div className="wm-dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="wm-primary" disabled={!segment?.members} onClick={() => segment && onNext(segment)}>
          Continue
        </button>
      </div>
    </div>
  );
}

type Phase = { kind: 'confirm' } | { kind: 'running'; run: AudienceRun } | { kind: 'failed'; message: string };

/**
 * Confirms how many will enter, starts the background enrollment of the segment's members, and
 * follows it to the end: customers added of those in the segment, then who entered and how many
 * were skipped by the journey's re-entry rules.
 */
export function SegmentEnrollment({
  workspaceId,
  journeyId,
  journeyName,
  segment,
  onBack,
  onClose,
}: {
  workspaceId: string;
  journeyId: string;
  journeyName: string;
  segment: SegmentSummary;
  onBack(): void;
  onClose(): void;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: 'confirm' });
  const runId = phase.kind === 'running' ? phase.run.id : null;
  const finished = phase.kind === 'running' && (phase.run.status === 'done' || phase.run.status === 'cancelled');
  useEffect(() => {
    if (!runId || finished) return;
    const timer = setInterval(() => {
      api<AudienceRun[]>('GET', `/api/workspaces/${workspaceId}/journeys/${journeyId}/audience-runs`)
        .then((runs) => {
          const run = runs.find((r) => r.id === runId);
          if (!run) return;
          setPhase({ kind: 'running', run });
          if (run.status === 'done') markStatsStale();
        })
        .catch(() => {});
    }, 1_000);
    return () => clearInterval(timer);
  }, [workspaceId, journeyId, runId, finished]);

  const start = async () => {
    try {
      const run = await api<AudienceRun>('POST', `/api/workspaces/${workspaceId}/journeys/${journeyId}/enrollments/segment`, { segmentId: segment.id });
      setPhase({ kind: 'running', run });
    } catch (error) {
      setPhase({ kind: 'failed', message: (error as Error).message });
    }
  };

  if (phase.kind === 'confirm') {
    return (
      <>
        <p>
          The <strong>{customerCount(segment.members)}</strong> in “{segment.name}” will enter “{journeyName}” now, and get its first steps at once. Anyone already in it, or not allowed back by its
          re-entry setting, is skipped and counted afterwards.
        </p>
        <div className="wm-dialog-actions">
          <button type="button" onClick={onBack}>
            Back
          </button>
          <button type="button" className="wm-primary" onClick={() => void start()}>
            Add {customerCount(segment.members)}
          </button>
        </div>
      </>
    );
  }
  if (phase.kind === 'failed') {
    return (
      <>
        <ErrorAlert message={phase.message} />
        <div className="wm-dialog-actions">
          <button type="button" onClick={onBack}>
            Back
          </button>
        </div>
      </>
    );
  }
  const { run } = phase;
  const total = run.total ?? segment.members;
  if (run.status === 'done' || run.status === 'cancelled') {
    const skipped = run.scanned - run.enrolled;
    return (
      <>
        {run.status === 'cancelled' && <ErrorAlert message={`Adding stopped: “${journeyName}” was paused or changed. Customers already added stay in it.`} />}
        <p role="status">
          <strong>{customerCount(run.enrolled)}</strong> of “{segment.name}” entered “{journeyName}”.
          {skipped > 0 && ` ${customerCount(skipped)} did not: already in the journey, or not allowed back by its re-entry setting (each is on their customer page).`}
        </p>
        <div className="wm-dialog-actions">
          <button type="button" className="wm-primary" onClick={onClose}>
            Done
          </button>
        </div>
      </>
    );
  }
  return (
    <div role="status">
      <p>
        Adding “{segment.name}”… {count.format(run.scanned)} of {count.format(total)}
      </p>
      <progress max={total} value={run.scanned} aria-label="Customers added" />
      <p className="wm-muted">This goes on in the background: you can close this window, and the customers keep being added.</p>
      <div className="wm-dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
