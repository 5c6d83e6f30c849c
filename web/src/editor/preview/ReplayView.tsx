import { useEffect, useState } from 'react';
import type { RunReplay, WorkspaceSummary } from '@waymark/shared';
import { navigateTo } from '../../app/use-route.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SkeletonLines } from '../../components/Skeleton.tsx';
import type { ReplayTarget } from './PreviewPanel.tsx';
import { fetchReplay } from './preview-api.ts';
import { usePreviewStore } from './preview-context.ts';
import { PreviewTimeline } from './PreviewTimeline.tsx';
import { Scrubber } from './Scrubber.tsx';
import { zonedDay } from './zoned-format.ts';

/** A real run told as the preview tells one, on the canvas of the version it ran on: "Replaying Ada's run of version 3, Nov 25". */
export function ReplayView({ workspace, target, version }: { workspace: WorkspaceSummary; target: ReplayTarget; version?: number }) {
  const [replay, setReplay] = useState<RunReplay | null>(null);
  const [error, setError] = useState<string | null>(null);
  const preview = usePreviewStore();
  useEffect(() => {
    let live = true;
    fetchReplay(workspace.id, target.customerId, target.runId).then(
      (answer) => {
        if (!live) return;
        setReplay(answer);
        preview.getState().show(answer.result);
      },
      (e: Error) => live && setError(`This run cannot be replayed: ${e.message}`),
    );
    return () => {
      live = false;
      preview.getState().show(null);
    };
  }, [workspace.id, target.customerId, target.runId, preview]);
  const back = `/customers/${encodeURIComponent(target.customerId)}`;
  if (error) return <ErrorAlert message={error} />;
  if (!replay) return <SkeletonLines lines={6} label="Loading the run" />;
  const { result } = replay;
  const possessive = replay.customerName.endsWith('s') ? `${replay.customerName}’` : `${replay.customerName}’s`;
  return (
    <>
      <section className="wm-pv-section wm-pv-replay" aria-labelledby="pv-replay-title">
        <h3 id="pv-replay-title" className="wm-pv-title wm-pv-replay-title">
          Replaying {possessive} run of version {replay.version}, {zonedDay(Date.parse(result.entry.at), result.zone)}
        </h3>
        <p className="wm-pv-hint">
          What really happened, step by step, with times in the customer’s zone ({result.zone}).{' '}
          {version !== undefined && version !== replay.version && `This page shows version ${version}; the run was on version ${replay.version}. `}
          <a href={back} onClick={navigateTo(back)}>
            Back to {replay.customerName}
          </a>
        </p>
        <PreviewTimeline zone={result.zone} entryAt={Date.parse(result.entry.at)} workspaceId={workspace.id} canSend={false} />
      </section>
      <Scrubber />
    </>
  );
}
