import { LoaderCircle } from 'lucide-react';
import { customerTimeZone, type WorkspaceSummary } from '@waymark/shared';
import { can } from '../../app/session.ts';
import { SkeletonLines } from '../../components/Skeleton.tsx';
import { useCatalog } from '../catalog-context.ts';
import { useEditor } from '../store/editor-context.ts';
import type { EditorActions, EditorState } from '../store/editor-store.ts';
import { CustomerSection } from './CustomerSection.tsx';
import { previewProfile } from './preview-draft.ts';
import { PreviewTimeline } from './PreviewTimeline.tsx';
import { Scrubber } from './Scrubber.tsx';
import { selectNodeNames } from './select-names.ts';
import { StoryEditor } from './StoryEditor.tsx';
import { type PreviewRun, usePreviewRun } from './use-preview-run.ts';
import { usePreviewDraft } from './use-preview-draft.ts';
import { usePreviewSubject } from './use-preview-subject.ts';

const selectJourney = (s: EditorState & EditorActions) => {
  const trigger = s.nodes.find((n) => n.type === 'trigger')?.data as { entry?: { kind?: string; event?: string; change?: string } } | undefined;
  return {
    zone: (s.meta.settings as { timeZone?: string } | undefined)?.timeZone ?? 'UTC',
    triggerEvent:
      !trigger?.entry || trigger.entry.kind === 'event'
        ? (trigger?.entry?.event ?? '')
        : trigger.entry.kind === 'segment-change'
          ? trigger.entry.change === 'exited'
            ? 'Segment Exited'
            : 'Segment Entered'
          : null,
    sendIds: s.nodes
      .filter((n) => n.type === 'send')
      .map((n) => n.id)
      .join('\u0000'),
  };
};

/** Focuses the problems panel under the canvas. */
function showProblems() {
  const panel = document.querySelector<HTMLElement>('.wm-problems');
  panel?.scrollIntoView({ block: 'nearest' });
  (panel?.querySelector<HTMLElement>('button') ?? panel)?.focus();
}

/**
 * The preview of the journey as it is on the canvas (or the published version open): a customer,
 * a story, and what would happen, played in the browser again as either changes.
 */
export function LivePreview({ workspace, journeyId, version }: { workspace: WorkspaceSummary; journeyId: string; version?: number }) {
  const { zone: journeyZone, triggerEvent, sendIds } = useEditor(selectJourney);
  const names = useEditor(selectNodeNames);
  const catalog = useCatalog();
  const [draft, update] = usePreviewDraft(journeyId, journeyZone);
  const subject = usePreviewSubject(workspace.id, journeyId, draft.customer);
  const { run, slow } = usePreviewRun(draft, subject.context);
  const zone = customerTimeZone(previewProfile(draft.customer), journeyZone);
  const sends = sendIds ? sendIds.split('\u0000').map((id) => ({ id, name: names[id] ?? id })) : [];
  const nameOf = (id: string) => names[id] ?? 'a deleted step';
  const things = draft.story.items.length;

  return (
    <>
      <p className="wm-pv-intro">
        {version === undefined ? 'The draft as it is on the canvas, unsaved changes included.' : `Version ${version} as it was published.`} Nothing is sent and nothing is saved to the customer.
      </p>
      <details className="wm-pv-section" open>
        <summary className="wm-pv-title">Customer · {draft.customer.name || 'unnamed'}</summary>
        <CustomerSection
          workspace={workspace}
          journeyId={journeyId}
          customer={draft.customer}
          onCustomer={(customer) => update({ customer })}
          context={subject.context}
          contextError={subject.error}
          overrides={draft.overrides}
          onOverrides={(overrides) => update({ overrides })}
          zone={zone}
          traitNames={catalog?.traits ?? []}
        />
      </details>
      <details className="wm-pv-section" open>
        <summary className="wm-pv-title">Story · {things === 0 ? 'enters, then nothing else' : `enters, then ${things} thing${things === 1 ? '' : 's'} happen${things === 1 ? 's' : ''}`}</summary>
        <StoryEditor story={draft.story} onChange={(story) => update({ story })} triggerEvent={triggerEvent} zone={zone} catalog={catalog} sends={sends} nameOf={nameOf} />
      </details>
      <section className="wm-pv-section" aria-labelledby="pv-result-title">
        <h3 id="pv-result-title" className="wm-pv-title">
          What happens
          {slow && (
            <span className="wm-pv-busy" role="status">
              <LoaderCircle aria-hidden size={14} className="wm-spin" /> Updating…
            </span>
          )}
        </h3>
        <RunResult run={run} workspace={workspace} />
      </section>
      {run.state === 'done' && <Scrubber />}
    </>
  );
}

function RunResult({ run, workspace }: { run: PreviewRun; workspace: WorkspaceSummary }) {
  if (run.state === 'waiting') return <SkeletonLines lines={5} label="Playing the story" />;
  if (run.state === 'invalid') {
    const errors = run.problems.filter((p) => p.severity !== 'warning');
    return (
      <div className="wm-pv-blocked" role="status">
        <p>
          <strong>Fix the problems first.</strong> {errors.length} problem{errors.length === 1 ? '' : 's'} stop{errors.length === 1 ? 's' : ''} this journey from running, so there is nothing to
          preview yet.
        </p>
        <ul>
          {errors.slice(0, 3).map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
        <button type="button" className="wm-pv-link" onClick={showProblems}>
          Show the problems list
        </button>
      </div>
    );
  }
  if (run.state === 'story')
    return (
      <div className="wm-pv-blocked" role="status">
        <p>
          <strong>The story has something to fix.</strong>
        </p>
        <ul>
          {run.errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      </div>
    );
  return <PreviewTimeline zone={run.zone} entryAt={run.entryAt} workspaceId={workspace.id} canSend={can(workspace, 'editor')} />;
}
