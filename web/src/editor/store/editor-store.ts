import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react';
import { createStore } from 'zustand/vanilla';
import { validateJourney, type CompileError, type JourneyDocumentInput, type NodeType } from '@waymark/shared';
import { flowOrder } from './flow-order.ts';
import { type After, edgeId, insertAfter } from './insert-after.ts';
import { toCanvas, toDocument, type CanvasEdge, type CanvasNode } from './journey-graph.ts';
import { freshNodeId, initialData } from './new-node.ts';
import { firstFreeHandle, handleIds } from './node-handles.ts';

type Meta = Omit<JourneyDocumentInput, 'graph'>;
interface Snapshot {
  meta: Meta;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  /** The nodes selected when the snapshot was taken: undo and redo bring the selection back with the document. */
  selection?: string[];
}
/** A canvas menu open on a node: "+" (insert after one of its handles) or "connect" (wire one of its handles to another node). */
export interface CanvasMenu {
  kind: 'insert' | 'connect';
  nodeId: string;
  handle: string;
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
  menu: CanvasMenu | null;
}

export interface EditorActions {
  onNodesChange(changes: NodeChange<CanvasNode>[]): void;
  onEdgesChange(changes: EdgeChange<CanvasEdge>[]): void;
  onConnect(connection: Connection): void;
  /**
   * Adds a node; with `after`, also connects it from that node's handle (the "+" on a handle),
   * splicing it in when the handle already leads somewhere. Without `position` it goes below `after`.
   */
  addNode(type: NodeType, position?: XYPosition, after?: After): string;
  /** Adds a node after the one selected node (its first free handle, else its first), or at `fallback` when none is selected. */
  insertNode(type: NodeType, fallback: XYPosition): string;
  updateNodeData(id: string, data: Record<string, unknown>): void;
  updateMeta(meta: Partial<Meta>): void;
  selectOnly(id: string | null): void;
  /** Selects the next (1) or previous (-1) node in the order a customer meets them; returns its id. */
  selectAdjacent(step: 1 | -1): string | null;
  selectAll(): void;
  /** Moves the selected nodes by a distance, as one undo step. */
  nudgeSelection(dx: number, dy: number): void;
  openMenu(menu: CanvasMenu | null): void;
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
    const snapshot = (): Snapshot => ({
      meta: get().meta,
      nodes: get().nodes.map(clean),
      edges: get().edges.map((e) => ({ ...e, selected: false })),
      selection: get()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    });
    /** Applies a change to the document: records undo history, revalidates, marks unsaved. */
    const change = (next: Partial<Snapshot>, { record = true } = {}) => {
      if (get().readOnly) return;
      const state = get();
      const past = record ? [...state.past, snapshot()].slice(-historyLimit) : state.past;
      const merged = { meta: next.meta ?? state.meta, nodes: next.nodes ?? state.nodes, edges: next.edges ?? state.edges };
      // A change closes any canvas menu: the node it was open on may be gone.
      set({ ...merged, past, future: record ? [] : state.future, problems: validate(merged), version: state.version + 1, save: { state: 'unsaved' }, menu: null });
    };
    const restore = (to: Snapshot, from: 'past' | 'future') => {
      const state = get();
      const current = snapshot();
      const chosen = new Set(to.selection ?? []);
      set({
        meta: to.meta,
        nodes: to.nodes.map((n) => ({ ...n, selected: chosen.has(n.id) })),
        edges: to.edges,
        menu: null,
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
      menu: null,

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
        if (connection.source === connection.target) return;
        const handle = connection.sourceHandle ?? 'next';
        // One edge per handle: connecting a handle again replaces its edge.
        const others = get().edges.filter((e) => !(e.source === connection.source && (e.sourceHandle ?? 'next') === handle));
        change({ edges: addEdge({ ...connection, id: edgeId(connection.source, handle, connection.target), sourceHandle: handle }, others) });
      },
      addNode(type, position, after) {
        const { nodes, edges } = get();
        const id = freshNodeId(
          type,
          nodes.map((n) => n.id),
        );
        const node = { id, type, data: initialData(type) };
        if (after && nodes.some((n) => n.id === after.source)) change(insertAfter({ nodes, edges }, node, after, position));
        else change({ nodes: [...nodes.map((n) => ({ ...n, selected: false })), { ...node, position: position ?? { x: 0, y: 0 }, selected: true }] });
        return id;
      },
      insertNode(type, fallback) {
        const chosen = selected();
        const source = chosen.length === 1 ? chosen[0]! : null;
        const handle = source && (firstFreeHandle(source, get().edges) ?? handleIds(source)[0]);
        return source && handle ? get().addNode(type, undefined, { source: source.id, sourceHandle: handle }) : get().addNode(type, fallback);
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
      selectAdjacent(step) {
        const order = flowOrder(get().nodes, get().edges);
        if (!order.length) return null;
        const current = order.indexOf(selected().at(-1)?.id ?? '');
        const next = current < 0 ? (step > 0 ? order[0]! : order.at(-1)!) : order[(current + step + order.length) % order.length]!;
        get().selectOnly(next);
        return next;
      },
      selectAll() {
        set({ nodes: get().nodes.map((n) => ({ ...n, selected: true })) });
      },
      nudgeSelection(dx, dy) {
        const moved = Object.fromEntries(selected().map((n) => [n.id, { x: n.position.x + dx, y: n.position.y + dy }]));
        if (Object.keys(moved).length) get().moveNodes(moved);
      },
      openMenu(menu) {
        set({ menu });
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
          id: edgeId(renamed.get(e.source)!, e.sourceHandle ?? 'next', renamed.get(e.target)!),
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
