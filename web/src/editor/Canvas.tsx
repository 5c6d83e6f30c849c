import { Background, Controls, MiniMap, ReactFlow, useReactFlow, type ReactFlowInstance } from '@xyflow/react';
import { useState, type DragEvent } from 'react';
import { nodeTypes, type NodeType } from '@waymark/shared';
import { canvasNodeTypes } from './nodes/node-types.ts';
import { useEditor } from './store/editor-context.ts';
import type { EditorActions, EditorState } from './store/editor-store.ts';
import type { CanvasEdge, CanvasNode } from './store/journey-graph.ts';
import { nodeLook } from './nodes/node-look.ts';

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

/** The React Flow canvas: nodes dropped from the palette, connected by their handles, snapped to a 20 px grid. */
export function Canvas({ onInit }: { onInit?: (flow: ReactFlowInstance<CanvasNode, CanvasEdge>) => void }) {
  const { nodes, edges, readOnly, onNodesChange, onEdgesChange, onConnect, addNode } = useEditor(selectCanvas);
  const flow = useReactFlow<CanvasNode, CanvasEdge>();
  // Fit an existing journey once on open; an empty one keeps zoom 1 so the first drops stay put.
  const [fitOnOpen] = useState(() => nodes.length > 0);

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
    addNode(type, { x: position.x - 110, y: position.y - 30 });
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop target of palette drags; the palette also inserts with Enter
    <div className="wm-canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      {nodes.length === 0 && <p className="wm-canvas-empty">{readOnly ? 'This journey is empty.' : 'Drag a Trigger from the palette to start: it decides who enters.'}</p>}
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={canvasNodeTypes}
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
        fitView={fitOnOpen}
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.1}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable nodeColor={(n) => nodeLook[n.type as NodeType]?.color ?? '#888'} />
        <Controls />
      </ReactFlow>
    </div>
  );
}
