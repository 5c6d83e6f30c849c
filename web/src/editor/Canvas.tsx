import { Background, MiniMap, ReactFlow, type ReactFlowInstance, type ReactFlowState, useReactFlow, useStore } from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type NodeType, nodeTypes } from '@waymark/shared';
import { CanvasHeader } from './canvas/CanvasHeader.tsx';
import { ConnectMenu } from './canvas/ConnectMenu.tsx';
import { canvasEdgeTypes } from './canvas/edge-types.ts';
import { InsertMenu } from './canvas/InsertMenu.tsx';
import { minimapBox } from './canvas/minimap-corner.ts';
import { ShortcutsDialog } from './canvas/ShortcutsDialog.tsx';
import { UnzoomVariable } from './canvas/UnzoomVariable.tsx';
import { useCanvasKeys } from './canvas/use-canvas-keys.ts';
import { useFitJourney } from './canvas/use-fit-journey.ts';
import { useMinimapCorner } from './canvas/use-minimap-corner.ts';
import { useRevealNewNodes } from './canvas/use-reveal-new-nodes.ts';
import { nodeLook } from './nodes/node-look.ts';
import { canvasNodeTypes } from './nodes/node-types.ts';
import { useEditor } from './store/editor-context.ts';
import type { EditorActions, EditorState } from './store/editor-store.ts';
import type { CanvasEdge, CanvasNode } from './store/journey-graph.ts';
import { nodeSize } from './store/node-size.ts';

/** The drag-and-drop type a palette item carries: its node type. */
export const paletteMime = 'application/x-waymark-node';

const selectCanvas = (s: EditorState & EditorActions) => ({
  nodes: s.nodes,
  edges: s.edges,
  readOnly: s.readOnly,
  onNodesChange: s.onNodesChange,
  onEdgesChange: s.onEdgesChange,
  onConnect: s.onConnect,
  addNode: s.addNode,
});
const selectReady = (s: ReactFlowState) => s.width > 0 && s.height > 0 && s.panZoom !== null;
const minimapColor = (n: { type?: string }) => nodeLook[n.type as NodeType]?.color ?? '#64748b';

/**
 * The React Flow canvas: nodes dropped from the palette or added with "+", connected by their
 * handles, snapped to a 20 px grid; the goal above it, a minimap that keeps out of the way, and
 * every action on the keyboard (`?` lists them).
 */
export function Canvas({ onInit }: { onInit?: (flow: ReactFlowInstance<CanvasNode, CanvasEdge>) => void }) {
  const { nodes, edges, readOnly, onNodesChange, onEdgesChange, onConnect, addNode } = useEditor(selectCanvas);
  const flow = useReactFlow<CanvasNode, CanvasEdge>();
  const fit = useFitJourney();
  const wrapper = useRef<HTMLDivElement>(null);
  const [help, setHelp] = useState(false);
  const [mapShown, setMapShown] = useState(true);
  const corner = useMinimapCorner();
  const openHelp = useCallback(() => setHelp(true), []);
  useCanvasKeys({ onHelp: openHelp });
  useRevealNewNodes();
  // Fit an existing journey once on open; an empty one keeps zoom 1 so the first drops stay put.
  const [fitOnOpen] = useState(() => nodes.length > 0);
  const ready = useStore(selectReady);
  const fitted = useRef(false);
  useEffect(() => {
    if (!ready || fitted.current || !fitOnOpen) return;
    fitted.current = true;
    void fit({ duration: 0 });
  }, [ready, fitOnOpen, fit]);

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(paletteMime)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(paletteMime) as NodeType;
    if (!nodeTypes.includes(type) || readOnly) return;
    event.preventDefault();
    const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    addNode(type, { x: position.x - nodeSize.width / 2, y: position.y - nodeSize.height / 2 });
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop target of palette drags; the palette also inserts with Enter
    <div className="wm-canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas" ref={wrapper}>
      <CanvasHeader onFit={() => void fit()} onHelp={openHelp} mapShown={mapShown} mapRoom={corner !== null} onToggleMap={() => setMapShown(!mapShown)} />
      <div className="wm-canvas-flow">
        {nodes.length === 0 && (
          <p className="wm-canvas-empty">{readOnly ? 'This journey is empty.' : 'Drag a Trigger from the palette, or focus it and press Enter, to start: it decides who enters.'}</p>
        )}
        <svg className="wm-canvas-defs" aria-hidden>
          <defs>
            {/* In canvas units, not stroke widths: a connection drawn thick by its volume keeps the same arrow. */}
            <marker id="wm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="14" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#64748b" />
            </marker>
          </defs>
        </svg>
        <ReactFlow<CanvasNode, CanvasEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={canvasNodeTypes}
          edgeTypes={canvasEdgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onInit={onInit}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          deleteKeyCode={null}
          multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
          snapToGrid
          snapGrid={[20, 20]}
          minZoom={0.25}
          maxZoom={2}
          connectionRadius={28}
          onlyRenderVisibleElements
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={20} />
          {mapShown && corner && (
            <MiniMap position={corner} pannable zoomable ariaLabel="Minimap of the journey" nodeColor={minimapColor} style={{ width: minimapBox.width, height: minimapBox.height }} />
          )}
          <UnzoomVariable target={wrapper} />
        </ReactFlow>
      </div>
      <InsertMenu />
      <ConnectMenu />
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </div>
  );
}
