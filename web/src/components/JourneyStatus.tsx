import type { JourneySummary } from '@waymark/shared';

const label: Record<JourneySummary['status'], string> = { draft: 'Draft', live: 'Live', paused: 'Paused', archived: 'Archived' };

/** A journey's state in words: draft, live, paused or archived, and whether the draft has unpublished changes. */
export function JourneyStatus({ status, unpublishedChanges }: { status: JourneySummary['status']; unpublishedChanges: boolean }) {
  return (
    <span className="wm-status-group">
      <span className={`wm-status is-${status}`}>{label[status]}</span>
      {unpublishedChanges && status !== 'draft' && (
        <span className="wm-status is-unpublished" title="The draft was changed since the last publish; customers still get the published version.">
          Unpublished changes
        </span>
      )}
    </span>
  );
}
