import { Redo2, Undo2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { CompileError, JourneyDetail, JourneyDocumentInput, WorkspaceSummary } from '@waymark/shared';
import { api, type ApiFailure } from '../api/client.ts';
import { can } from '../app/session.ts';
import { navigate, navigateTo } from '../app/use-route.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { JourneyStatus } from '../components/JourneyStatus.tsx';
import { diffDocuments, type DocumentDiff } from './diff-documents.ts';
import { useFitJourney } from './canvas/use-fit-journey.ts';
import { layoutJourney } from './layout-journey.ts';
import { saveDraft } from './use-autosave.ts';
import { SettingsDialog } from './SettingsDialog.tsx';
import { AddCustomersDialog } from './enroll/AddCustomersDialog.tsx';
import { StatsToggle } from './stats/StatsToggle.tsx';
import { readFilter, writeFilter } from './stats/stats-filter.ts';
import { VersionsMenu } from './VersionsMenu.tsx';
import { useEditor, useEditorStore } from './store/editor-context.ts';
import type { EditorActions, EditorState, SaveState } from './store/editor-store.ts';
import { customerCount } from '../components/words.ts';

const saveText = (save: SaveState) =>
  save.state === 'saved' ? 'All changes saved' : save.state === 'saving' ? 'Saving…' : save.state === 'unsaved' ? 'Unsaved changes' : 'message' in save ? save.message : '';

const selectBar = (s: EditorState & EditorActions) => ({
  name: s.meta.name,
  save: s.save,
  canUndo: s.past.length > 0,
  canRedo: s.future.length > 0,
  readOnly: s.readOnly,
  problems: s.problems.length,
  // Journeys that start "by API or by hand" take customers from the toolbar once live.
  byEnrollment: (s.nodes.find((n) => n.type === 'trigger')?.data as { entry?: { kind?: string } } | undefined)?.entry?.kind === 'api',
});

type Publishing = { phase: 'review'; diff: DocumentDiff } | { phase: 'failed'; problems: CompileError[]; message: string } | { phase: 'done'; version: number } | null;

/**
 * Name, state (draft, live, paused, unpublished changes), save state, undo/redo, auto-layout,
 * pausing and resuming with a confirmation that says how many customers it affects, and
 * publishing with a summary of what changes. Viewing an old version: only "restore as draft".
 */
export function EditorToolbar({
  journey,
  workspace,
  version,
  onStatus,
}: {
  journey: JourneyDetail;
  workspace: WorkspaceSummary;
  version?: number;
  onStatus?: (status: JourneyDetail['status']) => void;
}) {
  const { name, save, canUndo, canRedo, readOnly, problems, byEnrollment } = useEditor(selectBar);
  const [adding, setAdding] = useState(false);
  const store = useEditorStore();
  const fit = useFitJourney();
  const [status, setStatusState] = useState(journey.status);
  const setStatus = (next: JourneyDetail['status']) => {
    setStatusState(next);
    onStatus?.(next);
  };
  const [liveVersion, setLiveVersion] = useState(journey.liveVersion);
  const [unpublished, setUnpublished] = useState(journey.unpublishedChanges);
  const [confirming, setConfirming] = useState<{ to: 'pause' | 'resume'; inJourney: number } | null>(null);
  const viewingVersion = version !== undefined;
  // A save after the last publish means what runs is not what is on screen.
  useEffect(() => {
    if (save.state === 'saved' && liveVersion !== null && store.getState().version > 0) setUnpublished(true);
  }, [save.state, liveVersion, store]);
  const [publishing, setPublishing] = useState<Publishing>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const base = `/api/workspaces/${workspace.id}/journeys/${journey.id}`;

  const layout = async () => {
    const { nodes, edges, moveNodes } = store.getState();
    moveNodes(await layoutJourney(nodes, edges));
    requestAnimationFrame(() => void fit({ duration: 300 }));
  };
  const review = async () => {
    const live = liveVersion ? (await api<{ document: JourneyDocumentInput }>('GET', `${base}/versions/${liveVersion}`)).document : null;
    setPublishing({ phase: 'review', diff: diffDocuments(live, store.getState().document()) });
  };
  const publish = async () => {
    try {
      // Publish what is on screen: save first if autosave has not yet.
      if (store.getState().save.state !== 'saved') await saveDraft(store, workspace.id);
      const { version } = await api<{ version: number }>('POST', `${base}/publish`);
      if (status !== 'paused') setStatus('live');
      setLiveVersion(version);
      setUnpublished(false);
      setPublishing({ phase: 'done', version });
    } catch (e) {
      const failure = e as ApiFailure;
      setPublishing({ phase: 'failed', message: failure.message, problems: failure.code === 'journey-invalid' ? (failure.details as CompileError[]) : [] });
    }
  };
  const ask = async (to: 'pause' | 'resume') => {
    const detail = await api<JourneyDetail>('GET', base);
    setConfirming({ to, inJourney: detail.activeCustomers });
  };
  const setLive = async (to: 'pause' | 'resume') => {
    setConfirming(null);
    const result = await api<{ status: JourneyDetail['status'] }>('POST', `${base}/${to}`);
    setStatus(result.status);
  };
  const restore = async () => {
    if (version === undefined) return;
    await api('POST', `${base}/versions/${version}/restore`);
    navigate(`/journeys/${journey.id}`);
  };
  const afterPause = (store.getState().meta.settings as { afterPause?: string } | undefined)?.afterPause ?? 'send-missed';

  return (
    <div className="wm-toolbar">
      <a href="/" onClick={navigateTo('/')} aria-label="Back to journeys">
        ←
      </a>
      <input className="wm-name" aria-label="Journey name" value={name} readOnly={readOnly} onChange={(e) => store.getState().updateMeta({ name: e.target.value })} />
      {viewingVersion ? <span className="wm-status is-version">Version {version} · read-only</span> : <JourneyStatus status={status} unpublishedChanges={unpublished} />}
      {!viewingVersion && (
        <span className={`wm-save is-${save.state}`} role="status" data-testid="save-state">
          {saveText(save)}
        </span>
      )}
      {save.state === 'conflict' && (
        <button type="button" onClick={() => location.reload()}>
          Reload
        </button>
      )}
      <span className="wm-spacer" />
      {!readOnly && (
        <>
          <button type="button" className="wm-icon-button" onClick={() => store.getState().undo()} disabled={!canUndo} aria-keyshortcuts="Control+Z" aria-label="Undo" title="Undo (Ctrl+Z)">
            <Undo2 size={16} aria-hidden />
          </button>
          <button
            type="button"
            className="wm-icon-button"
            onClick={() => store.getState().redo()}
            disabled={!canRedo}
            aria-keyshortcuts="Control+Shift+Z"
            aria-label="Redo"
            title="Redo (Ctrl+Shift+Z)"
          >
            <Redo2 size={16} aria-hidden />
          </button>
          <button type="button" onClick={() => void layout()}>
            Auto-layout
          </button>
        </>
      )}
      <button type="button" onClick={() => setSettingsOpen(!settingsOpen)} aria-expanded={settingsOpen}>
        Settings
      </button>
      {liveVersion !== null && (
        <>
          <StatsToggle />
          <a
            className="wm-button-like"
            href={`/journeys/${journey.id}/report`}
            onClick={(event) => {
              event.preventDefault();
              // The report opens on the Stats tab's filter, as it is when clicked.
              navigate(`/journeys/${journey.id}/report${writeFilter('', readFilter(location.search))}`);
            }}
          >
            Report
          </a>
        </>
      )}
      <VersionsMenu key={liveVersion ?? 0} journeyId={journey.id} liveVersion={liveVersion} workspace={workspace} />
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
      {viewingVersion && can(workspace, 'editor') && (
        <button type="button" className="wm-primary" onClick={() => void restore()}>
          Restore as draft
        </button>
      )}
      {!viewingVersion && can(workspace, 'publisher') && (
        <>
          {byEnrollment && liveVersion !== null && status !== 'archived' && (
            <button type="button" onClick={() => setAdding(true)}>
              Add customers
            </button>
          )}
          {status === 'live' && (
            <button type="button" onClick={() => void ask('pause')}>
              Pause
            </button>
          )}
          {status === 'paused' && (
            <button type="button" onClick={() => void ask('resume')}>
              Resume
            </button>
          )}
          <button type="button" className="wm-primary" onClick={() => void review()} disabled={save.state === 'conflict'}>
            Publish{problems ? ` (${problems} problem${problems > 1 ? 's' : ''})` : ''}
          </button>
        </>
      )}
      {adding && <AddCustomersDialog workspaceId={workspace.id} journeyId={journey.id} journeyName={name} onClose={() => setAdding(false)} />}
      {confirming && (
        <ConfirmDialog
          title={confirming.to === 'pause' ? `Pause “${name}”?` : `Resume “${name}”?`}
          confirmLabel={confirming.to === 'pause' ? 'Pause' : 'Resume'}
          danger={confirming.to === 'pause'}
          onCancel={() => setConfirming(null)}
          onConfirm={() => void setLive(confirming.to)}
        >
          {confirming.to === 'pause' ? (
            <p>
              {customerCount(confirming.inJourney)} {confirming.inJourney === 1 ? 'is' : 'are'} in it. Until you resume, nobody enters, no messages are sent and every customer stays where they are,
              even when their wait ends.
            </p>
          ) : (
            <p>
              {customerCount(confirming.inJourney)} {confirming.inJourney === 1 ? 'is' : 'are'} in it. New customers enter again, and those whose wait ended during the pause move on now{' '}
              {afterPause === 'skip-missed' ? 'without the messages they missed (the journey skips what came due while paused).' : 'and get the messages they missed.'}
            </p>
          )}
        </ConfirmDialog>
      )}
      {publishing && (
        <div className="wm-dialog" role="dialog" aria-modal="true" aria-labelledby="publish-title">
          <h2 id="publish-title">{publishing.phase === 'done' ? `Published version ${publishing.version}` : publishing.phase === 'failed' ? 'Not published' : 'Publish this journey?'}</h2>
          {publishing.phase === 'review' && <PublishSummary diff={publishing.diff} problems={problems} firstVersion={!liveVersion} />}
          {publishing.phase === 'failed' && (
            <>
              <p role="alert">{publishing.message}</p>
              <ul>
                {publishing.problems.map((p, i) => (
                  <li key={i}>
                    {p.nodeId ? <code>{p.nodeId}</code> : null} {p.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          {publishing.phase === 'done' && (
            <p>
              {status === 'paused'
                ? `Version ${publishing.version} is published, and the journey is still paused: resume it when you are ready. `
                : `New customers enter version ${publishing.version}. `}
              Customers already in the journey stay on the version they entered.
            </p>
          )}
          <div className="wm-dialog-actions">
            {publishing.phase === 'review' && (
              <button type="button" className="wm-primary" onClick={() => void publish()}>
                Publish
              </button>
            )}
            <button type="button" onClick={() => setPublishing(null)}>
              {publishing.phase === 'review' ? 'Cancel' : 'Close'}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function PublishSummary({ diff, problems, firstVersion }: { diff: DocumentDiff; problems: number; firstVersion: boolean }) {
  const list = (label: string, ids: string[]) =>
    ids.length > 0 && (
      <li>
        {label}:{' '}
        {ids.map((id) => (
          <code key={id}>{id}</code>
        ))}
      </li>
    );
  return (
    <>
      {problems > 0 && (
        <p role="alert">
          The journey has {problems} problem{problems > 1 ? 's' : ''}; publishing will list them. Fix them first from the problems panel.
        </p>
      )}
      <p>{firstVersion ? 'This is the first version: the journey goes live and starts taking customers.' : 'Compared with the live version:'}</p>
      {!firstVersion && (
        <ul>
          {list('Added', diff.added)}
          {list('Removed', diff.removed)}
          {list('Edited', diff.changed)}
          {diff.edgesChanged && <li>Connections changed</li>}
          {diff.settingsChanged && <li>Settings changed</li>}
          {!diff.added.length && !diff.removed.length && !diff.changed.length && !diff.edgesChanged && !diff.settingsChanged && <li>No changes</li>}
        </ul>
      )}
    </>
  );
}
