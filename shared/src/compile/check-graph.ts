import type { CompileError } from './compile-error.ts';

/** The part of a node the graph checks need; `handles` is unknown when the node's data is invalid. */
export interface GraphNode {
  id: string;
  type: string;
  handles?: { id: string; required: boolean }[];
  /** Whether passing this node always takes time (a wait that can never be already due). */
  pauses?: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
}

/**
 * Structural checks over nodes and edges: dangling and unknown handles, edges to missing nodes,
 * reachability from the trigger, and cycles that could loop without passing a wait.
 */
export function checkGraph(nodes: GraphNode[], edges: GraphEdge[]): CompileError[] {
  const errors: CompileError[] = [];
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const outgoing = new Map<string, GraphEdge[]>();
  const handleTaken = new Set<string>();
  const edgeIds = new Set<string>();

  for (const edge of edges) {
    if (edgeIds.has(edge.id)) {
      errors.push({ code: 'duplicate-edge-id', edgeId: edge.id, message: `Two edges share the id "${edge.id}".` });
    }
    edgeIds.add(edge.id);
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) {
      const missing = !source ? edge.source : edge.target;
      errors.push({ code: 'missing-node', edgeId: edge.id, message: `Edge "${edge.id}" connects to "${missing}", which is not in the journey.` });
      continue;
    }
    if (target.type === 'trigger') {
      errors.push({ code: 'edge-into-trigger', edgeId: edge.id, nodeId: target.id, message: 'Nothing can lead into the trigger; customers enter there.' });
      continue;
    }
    if (source.handles && !source.handles.some((h) => h.id === edge.sourceHandle)) {
      errors.push({
        code: 'unknown-handle',
        edgeId: edge.id,
        nodeId: source.id,
        message: `Node "${source.id}" has no "${edge.sourceHandle}" branch${source.handles.length ? ` (it has ${source.handles.map((h) => h.id).join(', ')})` : ''}.`,
      });
      continue;
    }
    const handleKey = `${edge.source}\u0000${edge.sourceHandle}`;
    if (handleTaken.has(handleKey)) {
      errors.push({
        code: 'duplicate-handle-edge',
        edgeId: edge.id,
        nodeId: source.id,
        message: `The "${edge.sourceHandle}" branch of "${source.id}" already has an edge; a branch leads to one node.`,
      });
      continue;
    }
    handleTaken.add(handleKey);
    const list = outgoing.get(edge.source) ?? [];
    list.push(edge);
    outgoing.set(edge.source, list);
  }

  for (const node of nodes) {
    for (const handle of node.handles ?? []) {
      if (handle.required && !handleTaken.has(`${node.id}\u0000${handle.id}`)) {
        errors.push({ code: 'dangling-handle', nodeId: node.id, field: handle.id, message: `Connect the "${handle.id}" branch of "${node.id}" to a next step.` });
      }
    }
  }

  const triggers = nodes.filter((node) => node.type === 'trigger');
  if (triggers.length === 1) {
    const reached = reachableFrom(triggers[0]!.id, outgoing);
    for (const node of nodes) {
      if (!reached.has(node.id)) {
        errors.push({ code: 'unreachable-node', nodeId: node.id, message: `No path from the trigger reaches "${node.id}".` });
      }
    }
  }
  errors.push(...instantCycles(nodes, outgoing, byId));
  return errors;
}

function reachableFrom(start: string, outgoing: Map<string, GraphEdge[]>): Set<string> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length) {
    for (const edge of outgoing.get(stack.pop()!) ?? []) {
      if (!seen.has(edge.target)) {
        seen.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  return seen;
}

/** Cycles among nodes that do not wait (Tarjan's strongly connected components, iterative). */
function instantCycles(nodes: GraphNode[], outgoing: Map<string, GraphEdge[]>, byId: Map<string, GraphNode>): CompileError[] {
  const instant = (id: string) => {
    const node = byId.get(id);
    return node !== undefined && !node.pauses;
  };
  const next = (id: string) => (outgoing.get(id) ?? []).map((e) => e.target).filter(instant);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const errors: CompileError[] = [];
  let counter = 0;

  for (const root of nodes) {
    if (!instant(root.id) || index.has(root.id)) continue;
    const work: { id: string; children: string[]; i: number }[] = [];
    const open = (id: string) => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
      work.push({ id, children: next(id), i: 0 });
    };
    open(root.id);
    while (work.length) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.children.length) {
        const child = frame.children[frame.i++]!;
        if (!index.has(child)) open(child);
        else if (onStack.has(child)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(child)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      const selfLoop = component.length === 1 && next(frame.id).includes(frame.id);
      if (component.length > 1 || selfLoop) {
        const path = component.reverse().join(' → ');
        errors.push({
          code: 'cycle-without-wait',
          nodeId: frame.id,
          message: `The loop ${path} has no wait that always takes time, so a customer could go round it forever. Add a duration or time-of-day wait inside it (a date wait may already be due).`,
        });
      }
    }
  }
  return errors;
}
