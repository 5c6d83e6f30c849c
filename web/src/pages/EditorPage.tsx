import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import type { JourneyDetail, JourneyDocumentInput, WorkspaceSummary } from '@waymark/shared';
import { api } from '../api/client.ts';
import { can } from '../app/session.ts';
import { navigateTo } from '../app/use-route.ts';
import { Canvas } from '../editor/Canvas.tsx';
import { EditorToolbar } from '../editor/EditorToolbar.tsx';
import { Inspector } from '../editor/inspector/Inspector.tsx';
import { Palette } from '../editor/Palette.tsx';
import { ProblemsPanel } from '../editor/ProblemsPanel.tsx';
import { SendExtras } from '../editor/SendExtras.tsx';
import { EditorContext, useEditor, useEditorStore } from '../editor/store/editor-context.ts';
import { createEditorStore, type EditorActions, type EditorState } from '../editor/store/editor-store.ts';
import { useAutosave } from '../editor/use-autosave.ts';
import { useEditorKeys } from '../editor/use-editor-keys.ts';

/** Loads a journey and opens its draft in its own editor store, or a published version read-only. */
export function EditorPage({ journeyId, workspace, version }: { journeyId: string; workspace: WorkspaceSummary; version?: number }) {
  const [journey, setJourney] = useState<JourneyDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const base = `/api/workspaces/${workspace.id}/journeys/${journeyId}`;
    const load = async () => {
      const detail = await api<JourneyDetail>('GET', base);
      if (version === undefined) return detail;
      const published = await api<{ document: unknown }>('GET', `${base}/versions/${version}`);
      return { ...detail, draft: published.document };
    };
    load().then(setJourney, (e: Error) => setError(e.message));
  }, [journeyId, workspace.id, version]);
  if (error)
    return (
      <p role="alert" className="wm-error">
        {error}
      </p>
    );
  if (!journey) return <p className="wm-loading">Opening the journey…</p>;
  return <OpenEditor journey={journey} workspace={workspace} version={version} />;
}

function OpenEditor({ journey, workspace, version }: { journey: JourneyDetail; workspace: WorkspaceSummary; version: number | undefined }) {
  const store = useMemo(
    () => createEditorStore({ journeyId: journey.id, document: journey.draft as JourneyDocumentInput, revision: journey.revision, readOnly: version !== undefined || !can(workspace, 'editor') }),
    [journey, workspace, version],
  );
  useAutosave(store, workspace.id);
  useEditorKeys(store);
  return (
    <EditorContext.Provider value={store}>
      <ReactFlowProvider>
        {version !== undefined && (
          <p className="wm-banner" role="status">
            Version {version}, read-only.{' '}
            <a href={`/journeys/${journey.id}`} onClick={navigateTo(`/journeys/${journey.id}`)}>
              Back to the draft
            </a>
          </p>
        )}
        <EditorLayout journey={journey} workspace={workspace} />
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}

const selectLayout = (s: EditorState & EditorActions) => ({
  problems: s.problems,
  readOnly: s.readOnly,
  name: s.meta.name,
  selected: s.nodes.filter((n) => n.selected),
  trigger: s.nodes.find((n) => n.type === 'trigger')?.data,
});

interface Catalog {
  traits: string[];
  events: Record<string, { properties: string[] }>;
}

/** Event properties a template can use: those the trigger event has carried, and those it filters on. */
function triggerProperties(trigger: Record<string, unknown> | undefined, catalog: Catalog | null): string[] {
  const entry = trigger?.entry as { event?: string; filter?: { path?: string }[] } | undefined;
  const seen = (entry?.event && catalog?.events[entry.event]?.properties) || [];
  return [...new Set([...seen, ...(entry?.filter ?? []).map((f) => f.path ?? '').filter(Boolean)])];
}

function EditorLayout({ journey, workspace }: { journey: JourneyDetail; workspace: WorkspaceSummary }) {
  const { problems, readOnly, name, selected, trigger } = useEditor(selectLayout);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  useEffect(() => {
    api<Catalog>('GET', `/api/workspaces/${workspace.id}/customers/catalog`).then(setCatalog, () => setCatalog(null));
  }, [workspace.id]);
  const eventProperties = triggerProperties(trigger, catalog);
  const store = useEditorStore();
  const flow = useReactFlow();
  const node = selected.length === 1 ? selected[0]! : null;

  const show = (nodeId: string) => {
    store.getState().selectOnly(nodeId);
    const target = store.getState().nodes.find((n) => n.id === nodeId);
    if (target) void flow.setCenter(target.position.x + 110, target.position.y + 45, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
  };
  const addAtCentre = (type: Parameters<EditorActions['addNode']>[0]) => {
    const { x, y, zoom } = flow.getViewport();
    const box = document.querySelector('.wm-canvas')?.getBoundingClientRect();
    store.getState().addNode(type, { x: ((box?.width ?? 800) / 2 - x) / zoom - 110, y: ((box?.height ?? 600) / 2 - y) / zoom - 45 });
  };

  return (
    <div className="wm-editor">
      <EditorToolbar journey={journey} workspace={workspace} />
      <Palette onAdd={addAtCentre} disabled={readOnly} />
      <Canvas />
      <div className="wm-side">
        <Inspector
          node={node ? { id: node.id, type: node.type!, data: node.data } : null}
          problems={problems.filter((p) => node && p.nodeId === node.id)}
          readOnly={readOnly}
          onChange={(data) => node && store.getState().updateNodeData(node.id, data as Record<string, unknown>)}
        />
        {node?.type === 'send' && <SendExtras data={node.data} journeyName={name} eventProperties={eventProperties} traits={catalog?.traits ?? []} />}
      </div>
      <ProblemsPanel problems={problems} onShow={show} />
    </div>
  );
}
