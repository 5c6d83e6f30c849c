import type { Edge, Node } from '@xyflow/react';
import type { JourneyDocumentInput, NodeType } from '@waymark/shared';

/** A canvas node: the document node's id, type, position and data, plus React Flow's own fields. */
export type CanvasNode = Node<Record<string, unknown>, NodeType>;
export type CanvasEdge = Edge;

type DocumentNode = NonNullable<JourneyDocumentInput['graph']>['nodes'][number];
type DocumentEdge = NonNullable<JourneyDocumentInput['graph']>['edges'][number];

/** The document's graph as canvas nodes and edges (the shapes coincide; React Flow adds state). */
export function toCanvas(document: JourneyDocumentInput): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const graph = document.graph ?? { nodes: [], edges: [] };
  return {
    nodes: graph.nodes.map((n) => ({ id: n.id, type: n.type as NodeType, position: n.position, data: (n.data ?? {}) as Record<string, unknown> })),
    edges: graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? 'next' })),
  };
}

/** The document as saved: canvas state (selection, measurements) stripped. */
export function toDocument(meta: Omit<JourneyDocumentInput, 'graph'>, nodes: CanvasNode[], edges: CanvasEdge[]): JourneyDocumentInput {
  return {
    ...meta,
    graph: {
      nodes: nodes.map((n) => ({ id: n.id, type: n.type!, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) }, data: n.data }) as DocumentNode),
      edges: edges.map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle ?? 'next', target: e.target }) as DocumentEdge),
    },
  };
}
