import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react';
import { createStore } from 'zustand/vanilla';
import { validateJourney, type CompileError, type JourneyDocumentInput, type NodeType } from '@waymark/shared';
import { edgeLabel, toCanvas, toDocument, type CanvasEdge, type CanvasNode } from './journey-graph.ts';
import { freshNodeId, initialData } from './new-node.ts';

type Meta = Omit<JourneyDocumentInput, 'graph'>;
interface Snapshot {
  meta: Meta;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}
export type SaveState = { state: 'saved' | 'unsaved' | 'saving' } | { state: 'conflict' | 'error'; message: string };

export interface EditorState {
  journeyId: string;
  meta: Meta;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  /** `validateJourney` of the current document, refreshed on every change. */
  problems: CompileError[];
  /** The server revision this draft is based on; a save at an older one is a conflict. */
  revision: number;
  /** Bumped by every change to the document, so autosave knows there is something to save. */
  version: number;
  save: SaveState;
  readOnly: boolean;
  past: Snapshot[];
  future: Snapshot[];
  clipboard: Snapshot | null;
}

export interface EditorActions {
  onNodesChange(changes: NodeChange<CanvasNode>[]): void;
  onEdgesChange(changes: EdgeChange<CanvasEdge>[]): void;
  onConnect(connection: Connection): void;
  /** Adds a node; with `after`, also connects it from that node's handle (the "+" on a handle). */
  addNode(type: NodeType, position: XYPosition, after?: { source: string; sourceHandle: string }): string;
  updateNodeData(id: string, data: Record<string, unknown>): void;
  updateMeta(meta: Partial<Meta>): void;
  selectOnly(id: string | null): void;
  deleteSelection(): void;
  copySelection(): void;
  paste(): void;
  duplicateSelection(): void;
  moveNodes(positions: Record<string, XYPosition>): void;
  undo(): void;
  redo(): void;
  document(): JourneyDocumentInput;
  setSave(save: SaveState, revision?: number): void;
}

export type EditorStore = ReturnType<typeof createEditorStore>;

const historyLimit = 100;

/** One store per open editor (provided by context): the document on the canvas and what to do with it. */
export function createEditorStore(init: { journeyId: string; document: JourneyDocumentInput; revision: number; readOnly?: boolean }) {
  const { graph: _graph, ...meta } = init.document;
  const canvas = toCanvas(init.document);
  return createStore<EditorState & EditorActions>()((set, get) => {
    const snapshot = (): Snapshot => ({ meta: get().meta, nodes: get().nodes.map(clean), edges: get().edges.map((e) => ({ ...e, selected: false })) });
    /** Applies a change to the document: records undo history, revalidates, marks unsaved. */
    const change = (next: Partial<Snapshot>, { record = true } = {}) => {
      if (get().readOnly) return;
      const state = get();
      const past = record ? [...state.past, snapshot()].slice(-historyLimit) : state.past;
      const merged = { meta: next.meta ?? state.meta, nodes: next.nodes ?? state.nodes, edges: next.edges ?? state.edges };
      set({ ...merged, past, future: record ? [] : state.future, problems: validate(merged), version: state.version + 1, save: { state: 'unsaved' } });
    };
    const restore = (to: Snapshot, from: 'past' | 'future') => {
      const state = get();
      const current = snapshot();
      set({
        ...to,
        past: from === 'past' ? state.past.slice(0, -1) : [...state.past, current],
        future: from === 'future' ? state.future.slice(0, -1) : [...state.future, current],
        problems: validate(to),
        version: state.version + 1,
        save: { state: 'unsaved' },
      });
    };
    const selected = () => get().nodes.filter((n) => n.selected);

    return {
      journeyId: init.journeyId,
      meta,
      nodes: canvas.nodes,
      edges: canvas.edges,
      problems: validate({ meta, ...canvas }),
      revision: init.revision,
      version: 0,
      save: { state: 'saved' },
      readOnly: init.readOnly ?? false,
      past: [],
      future: [],
      clipboard: null,

      onNodesChange(changes) {
        const structural = changes.some((c) => c.type === 'remove' || c.type === 'add' || (c.type === 'position' && !c.dragging));
        const nodes = applyNodeChanges(get().readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes, get().nodes);
        if (!structural) return set({ nodes });
        // A drag is one undo step: history is recorded when it ends, from the position it started at.
        change({ nodes });
      },
      onEdgesChange(changes) {
        const edges = applyEdgeChanges(changes, get().edges);
        if (changes.some((c) => c.type === 'remove')) change({ edges });
        else set({ edges });
      },
      onConnect(connection) {
        const handle = connection.sourceHandle ?? 'next';
        // One edge per handle: connecting a handle again replaces its edge.
        const others = get().edges.filter((e) => !(e.source === connection.source && (e.sourceHandle ?? 'next') === handle));
        const id = `${connection.source}-${handle}-${connection.target}`;
        change({ edges: addEdge({ ...connection, id, sourceHandle: handle, label: edgeLabel(handle) }, others) });
      },
      addNode(type, position, after) {
        const id = freshNodeId(
          type,
          get().nodes.map((n) => n.id),
        );
        const node: CanvasNode = { id, type, position, data: initialData(type), selected: true };
        const nodes = [...get().nodes.map((n) => ({ ...n, selected: false })), node];
        const edges = after
          ? [
              ...get().edges.filter((e) => !(e.source === after.source && (e.sourceHandle ?? 'next') === after.sourceHandle)),
              { id: `${after.source}-${after.sourceHandle}-${id}`, source: after.source, sourceHandle: after.sourceHandle, target: id, label: edgeLabel(after.sourceHandle) },
            ]
          : get().edges;
        change({ nodes, edges });
        return id;
      },
      updateNodeData(id, data) {
        change({ nodes: get().nodes.map((n) => (n.id === id ? { ...n, data } : n)) });
      },
      updateMeta(patch) {
        change({ meta: { ...get().meta, ...patch } });
      },
      selectOnly(id) {
        set({ nodes: get().nodes.map((n) => ({ ...n, selected: n.id === id })), edges: get().edges.map((e) => ({ ...e, selected: false })) });
      },
      deleteSelection() {
        const gone = new Set(selected().map((n) => n.id));
        const edges = get().edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
        if (!gone.size && edges.length === get().edges.length) return;
        change({ nodes: get().nodes.filter((n) => !gone.has(n.id)), edges });
      },
      copySelection() {
        const nodes = selected().map(clean);
        const ids = new Set(nodes.map((n) => n.id));
        if (nodes.length) set({ clipboard: { meta: get().meta, nodes, edges: get().edges.filter((e) => ids.has(e.source) && ids.has(e.target)) } });
      },
      paste() {
        const clip = get().clipboard;
        if (!clip) return;
        const taken = get().nodes.map((n) => n.id);
        const renamed = new Map<string, string>();
        for (const node of clip.nodes) {
          const id = freshNodeId(node.type!, [...taken, ...renamed.values()]);
          renamed.set(node.id, id);
        }
        const nodes = clip.nodes.map((n) => ({ ...n, id: renamed.get(n.id)!, position: { x: n.position.x + 40, y: n.position.y + 40 }, selected: true }));
        const edges = clip.edges.map((e) => ({
          ...e,
          id: `${renamed.get(e.source)}-${e.sourceHandle ?? 'next'}-${renamed.get(e.target)}`,
          source: renamed.get(e.source)!,
          target: renamed.get(e.target)!,
        }));
        change({ nodes: [...get().nodes.map((n) => ({ ...n, selected: false })), ...nodes], edges: [...get().edges, ...edges] });
        // Pasting twice steps further down and to the right.
        set({ clipboard: { ...clip, nodes: clip.nodes.map((n) => ({ ...n, position: { x: n.position.x + 40, y: n.position.y + 40 } })) } });
      },
      duplicateSelection() {
        const keep = get().clipboard;
        get().copySelection();
        get().paste();
        set({ clipboard: keep });
      },
      moveNodes(positions) {
        change({ nodes: get().nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id]! } : n)) });
      },
      undo() {
        const to = get().past.at(-1);
        if (to && !get().readOnly) restore(to, 'past');
      },
      redo() {
        const to = get().future.at(-1);
        if (to && !get().readOnly) restore(to, 'future');
      },
      document() {
        return toDocument(get().meta, get().nodes, get().edges);
      },
      setSave(save, revision) {
        set({ save, ...(revision === undefined ? {} : { revision }) });
      },
    };
  });
}

function clean(node: CanvasNode): CanvasNode {
  return { id: node.id, type: node.type, position: node.position, data: node.data, ...(node.measured ? { measured: node.measured } : {}) };
}

function validate({ meta, nodes, edges }: Snapshot): CompileError[] {
  return validateJourney(toDocument(meta, nodes, edges));
}
