import { useEffect } from 'react';
import type { WorkspaceSummary } from '@waymark/shared';
import { usePreviewStore } from './preview-context.ts';
import { LivePreview } from './LivePreview.tsx';
import { ReplayView } from './ReplayView.tsx';

export interface ReplayTarget {
  customerId: string;
  runId: string;
}

/**
 * The Preview tab: the journey on the canvas played for a test customer and a story, or (replay)
 * a real run told the same way. While it is open the canvas draws the path; closing it clears that.
 */
export function PreviewPanel({ workspace, journeyId, version, replay }: { workspace: WorkspaceSummary; journeyId: string; version?: number; replay: ReplayTarget | null }) {
  const preview = usePreviewStore();
  useEffect(() => {
    preview.getState().setActive(true);
    return () => preview.getState().setActive(false);
  }, [preview]);
  return (
    <div className="wm-preview">{replay ? <ReplayView workspace={workspace} target={replay} version={version} /> : <LivePreview workspace={workspace} journeyId={journeyId} version={version} />}</div>
  );
}
