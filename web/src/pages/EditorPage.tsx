import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { type JourneyDetail, type JourneyDocumentInput, type NodeType, reviewJourney, type WorkspaceSummary } from '@waymark/shared';
import { api } from '../api/client.ts';
import { can } from '../app/session.ts';
import { navigateTo } from '../app/use-route.ts';
import { Canvas } from '../editor/Canvas.tsx';
import { CatalogContext, type EditorCatalog } from '../editor/catalog-context.ts';
import { EditorToolbar } from '../editor/EditorToolbar.tsx';
import { Inspector } from '../editor/inspector/Inspector.tsx';
import { Palette } from '../editor/Palette.tsx';
import { ProblemsPanel } from '../editor/ProblemsPanel.tsx';
import { SendExtras } from '../editor/SendExtras.tsx';
import { EditorContext, useEditor, useEditorStore } from '../editor/store/editor-context.ts';
import { createEditorStore, type EditorActions, type EditorState } from '../editor/store/editor-store.ts';
import { PreviewPanel, type ReplayTarget } from '../editor/preview/PreviewPanel.tsx';
import { PreviewStoreContext } from '../editor/preview/preview-context.ts';
import { createPreviewStore } from '../editor/preview/preview-store.ts';
import { type SideTab, SideTabs } from '../editor/SideTabs.tsx';
import { StatsPanel } from '../editor/stats/StatsPanel.tsx';
import { StatsStoreContext, useStats, useStatsStore } from '../editor/stats/stats-context.ts';
import { readFilter } from '../editor/stats/stats-filter.ts';
import { createStatsStore, type StatsSnapshot } from '../editor/stats/stats-store.ts';
import { useFilterInAddress } from '../editor/stats/use-filter-in-address.ts';
import { useStatsPoll, useWorkspaceZone } from '../editor/stats/use-stats-poll.ts';
import { WhoIsHereDrawer } from '../editor/stats/WhoIsHereDrawer.tsx';
import { nodeName } from '../editor/nodes/node-name.ts';
import { useAutosave } from '../editor/use-autosave.ts';
import { useEditorKeys } from '../editor/use-editor-keys.ts';
import { nodeSize } from '../editor/store/node-size.ts';

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
  const preview = useMemo(() => createPreviewStore(), []);
  // The numbers are on by default for a journey customers go through; an old version counts itself.
  const stats = useMemo(() => {
    const filter = readFilter(location.search);
    const own = version !== undefined && !new URLSearchParams(location.search).has('statsVersion');
    return createStatsStore({ enabled: journey.status === 'live' || journey.status === 'paused', filter: own ? { ...filter, version: String(version) } : filter });
  }, [journey.status, version]);
  useWorkspaceZone(stats, workspace.id);
  useFilterInAddress(stats);
  useAutosave(store, workspace.id);
  useEditorKeys(store);
  return (
    <EditorContext.Provider value={store}>
      <PreviewStoreContext value={preview}>
        <StatsStoreContext value={stats}>
          <ReactFlowProvider>
            {version !== undefined && (
              <p className="wm-banner" role="status">
                You are looking at version {version} as it was published. Nothing here can be changed.{' '}
                <a href={`/journeys/${journey.id}`} onClick={navigateTo(`/journeys/${journey.id}`)}>
                  Back to the draft
                </a>
              </p>
            )}
            <EditorLayout journey={journey} workspace={workspace} version={version} />
          </ReactFlowProvider>
        </StatsStoreContext>
      </PreviewStoreContext>
    </EditorContext.Provider>
  );
}

const selectLayout = (s: EditorState & EditorActions) => ({
  version: s.version,
  nodes: s.nodes,
  readOnly: s.readOnly,
  name: s.meta.name,
  selected: s.nodes.filter((n) => n.selected),
  trigger: s.nodes.find((n) => n.type === 'trigger')?.data,
});

type Catalog = EditorCatalog;

const selectStatsLayout = (s: StatsSnapshot) => ({ statsOn: s.enabled, who: s.who, filter: s.filter, zone: s.zone });

/** Event properties a template can use: those the trigger event has carried, and those it filters on. */
function triggerProperties(trigger: Record<string, unknown> | undefined, catalog: Catalog | null): string[] {
  const entry = trigger?.entry as { event?: string; filter?: { path?: string }[] } | undefined;
  const seen = (entry?.event && catalog?.events[entry.event]?.properties) || [];
  return [...new Set([...seen, ...(entry?.filter ?? []).map((f) => f.path ?? '').filter(Boolean)])];
}

/** `?replay=<runId>&customer=<customerId>` on a version's page: a real run to replay on its canvas. */
function replayTarget(version: number | undefined): ReplayTarget | null {
  const query = new URLSearchParams(location.search);
  const runId = query.get('replay');
  const customerId = query.get('customer');
  return version !== undefined && runId && customerId ? { runId, customerId } : null;
}

function EditorLayout({ journey, workspace, version }: { journey: JourneyDetail; workspace: WorkspaceSummary; version: number | undefined }) {
  const [status, setStatus] = useState(journey.status);
  const [replay] = useState(() => replayTarget(version));
  const [tab, setTab] = useState<SideTab>(replay ? 'preview' : 'step');
  const { version: changes, nodes, readOnly, name, selected, trigger } = useEditor(selectLayout);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  useEffect(() => {
    Promise.all([
      api<Catalog>('GET', `/api/workspaces/${workspace.id}/customers/catalog`),
      api<{ id: string; name: string }[]>('GET', `/api/workspaces/${workspace.id}/segments`).catch(() => []),
    ]).then(
      ([seen, segments]) => setCatalog({ ...seen, segments: segments.map(({ id, name }) => ({ id, name })) }),
      () => setCatalog(null),
    );
  }, [workspace.id]);
  const eventProperties = triggerProperties(trigger, catalog);
  const store = useEditorStore();
  // Errors and the warnings that need the workspace's data (missing defaults, names never seen), as you edit.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `changes` is the document's version: it moves with every edit
  const problems = useMemo(() => reviewJourney(store.getState().document(), catalog ?? undefined), [changes, catalog, store]);
  const flow = useReactFlow();
  const node = selected.length === 1 ? selected[0]! : null;
  const statsStore = useStatsStore();
  const { statsOn, who, filter, zone } = useStats(selectStatsLayout);
  useStatsPoll(statsStore, workspace.id, journey.id, statsOn || tab === 'stats');
  const whoNode = who ? nodes.find((n) => n.id === who.nodeId) : undefined;
  // Stable: the drawer takes focus again whenever its onClose changes.
  const closeWho = useCallback(() => statsStore.getState().closeWho(), [statsStore]);

  const show = (nodeId: string) => {
    store.getState().selectOnly(nodeId);
    const target = store.getState().nodes.find((n) => n.id === nodeId);
    if (target) void flow.setCenter(target.position.x + nodeSize.width / 2, target.position.y + nodeSize.height / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
  };
  const addAtCentre = (type: Parameters<EditorActions['addNode']>[0]) => {
    const { x, y, zoom } = flow.getViewport();
    const box = document.querySelector('.wm-canvas')?.getBoundingClientRect();
    store.getState().insertNode(type, { x: ((box?.width ?? 800) / 2 - x) / zoom - nodeSize.width / 2, y: ((box?.height ?? 600) / 2 - y) / zoom - nodeSize.height / 2 });
  };

  return (
    <CatalogContext value={catalog}>
      {status === 'paused' && version === undefined && (
        <p className="wm-paused-banner" role="status">
          This journey is paused: nobody enters, no messages are sent and every customer stays where they are until you resume.
        </p>
      )}
      <div className={`wm-editor${version !== undefined ? ' is-version' : ''}${tab !== 'step' ? ' has-preview' : ''}`}>
        <EditorToolbar journey={journey} workspace={workspace} version={version} onStatus={setStatus} />
        {version === undefined && <Palette onAdd={addAtCentre} disabled={readOnly} />}
        <Canvas />
        <div className="wm-side">
          <SideTabs tab={tab} onTab={setTab}>
            {tab === 'step' ? (
              <>
                <Inspector
                  node={node ? { id: node.id, type: node.type!, data: node.data } : null}
                  problems={problems.filter((p) => node && p.nodeId === node.id)}
                  readOnly={readOnly}
                  onChange={(data) => node && store.getState().updateNodeData(node.id, data as Record<string, unknown>)}
                  catalog={catalog}
                />
                {node?.type === 'send' && <SendExtras data={node.data} journeyName={name} eventProperties={eventProperties} traits={[...(catalog?.traits ?? [])]} />}
              </>
            ) : tab === 'preview' ? (
              <PreviewPanel workspace={workspace} journeyId={journey.id} version={version} replay={replay} />
            ) : (
              <StatsPanel node={node ? { id: node.id, type: node.type!, data: node.data } : null} />
            )}
          </SideTabs>
        </div>
        <ProblemsPanel problems={problems} nodes={nodes} onShow={show} published={version !== undefined} />
      </div>
      {who && whoNode && (
        <WhoIsHereDrawer
          workspaceId={workspace.id}
          journeyId={journey.id}
          nodeId={who.nodeId}
          name={nodeName(whoNode.type as NodeType, whoNode.data)}
          isSend={whoNode.type === 'send'}
          state={who.state}
          filter={filter}
          zone={zone}
          onClose={closeWho}
        />
      )}
    </CatalogContext>
  );
}
