import { z } from 'zod';
import { JourneyDocument, JourneySettings, currentSchemaVersion, nodeHandles, nodeSchemas, type JourneyNode, type NodeType } from '../graph/index.ts';
import { isValidTimeZone } from '../time/index.ts';
import { templateFields, templateSyntaxError } from '../template/index.ts';
import type { Catalog } from './catalog.ts';
import { checkGraph, type GraphEdge, type GraphNode } from './check-graph.ts';
import type { CompileError } from './compile-error.ts';
import { nodeReferences, settingsReferences, type Reference } from './references.ts';

/** The document's outline, loose enough that one bad node does not hide the rest. */
const DocumentOutline = z.object({
  schemaVersion: z.literal(currentSchemaVersion),
  id: z.string().min(1),
  name: JourneyDocument.shape.name,
  settings: z.unknown().optional(),
  graph: z.object({
    nodes: z.array(z.looseObject({ id: z.string().min(1), type: z.string(), data: z.unknown() })),
    edges: z.array(z.looseObject({ id: z.string().min(1), source: z.string(), sourceHandle: z.string().nullish(), target: z.string() })),
  }),
});

const fieldOf = (path: PropertyKey[]) => path.map(String).join('.');

/**
 * Every problem with a journey document, each with a stable code and the node, edge or field it
 * is about. An empty list means `compileJourney` will succeed. Accepts anything (the canvas may
 * hold half-typed data); pass a catalog to flag traits and events the workspace has never seen.
 */
export function validateJourney(input: unknown, catalog?: Catalog): CompileError[] {
  return inspectJourney(input, catalog).errors;
}

/** Validates and, when there is no error, also returns the parsed document (defaults filled in). */
export function inspectJourney(input: unknown, catalog?: Catalog): { errors: CompileError[]; document?: JourneyDocument } {
  const outline = DocumentOutline.safeParse(input);
  if (!outline.success) {
    const errors = outline.error.issues.map((issue): CompileError => ({ code: 'invalid-document', field: fieldOf(issue.path), message: issue.message }));
    return { errors };
  }
  const errors: CompileError[] = [];
  const settings = JourneySettings.safeParse(outline.data.settings ?? {});
  if (!settings.success) {
    for (const issue of settings.error.issues) {
      errors.push({ code: 'invalid-settings', field: `settings.${fieldOf(issue.path)}`, message: issue.message });
    }
  }

  const nodes: JourneyNode[] = [];
  const graphNodes: GraphNode[] = [];
  const ids = new Set<string>();
  for (const raw of outline.data.graph.nodes) {
    if (ids.has(raw.id)) errors.push({ code: 'duplicate-node-id', nodeId: raw.id, message: `Two nodes share the id "${raw.id}".` });
    ids.add(raw.id);
    const schema = nodeSchemas[raw.type as NodeType];
    if (!schema) {
      errors.push({ code: 'unknown-node-type', nodeId: raw.id, field: 'type', message: `"${raw.type}" is not a node type.` });
      graphNodes.push({ id: raw.id, type: raw.type, handles: [] });
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [head, ...rest] = issue.path;
        errors.push({ code: 'invalid-node-data', nodeId: raw.id, field: fieldOf(head === 'data' ? rest : issue.path), message: issue.message });
      }
      graphNodes.push({ id: raw.id, type: raw.type });
      continue;
    }
    const node = parsed.data as JourneyNode;
    nodes.push(node);
    graphNodes.push({ id: node.id, type: node.type, handles: nodeHandles(node), pauses: alwaysPauses(node) });
    errors.push(...checkNode(node));
  }

  const triggers = graphNodes.filter((node) => node.type === 'trigger');
  if (triggers.length === 0) errors.push({ code: 'no-trigger', message: 'Add a trigger: it says how customers enter the journey.' });
  for (const extra of triggers.slice(1)) {
    errors.push({ code: 'multiple-triggers', nodeId: extra.id, message: 'A journey has exactly one trigger; remove this one or make it a separate journey.' });
  }

  const edges: GraphEdge[] = outline.data.graph.edges.map((e) => ({ ...e, sourceHandle: e.sourceHandle ?? 'next' }));
  errors.push(...checkGraph(graphNodes, edges));

  if (settings.success) {
    errors.push(...checkSettings(settings.data));
    const trigger = nodes.find((node) => node.type === 'trigger');
    const refs = [...settingsReferences(settings.data), ...nodes.flatMap(nodeReferences)];
    errors.push(...checkReferences(refs, trigger, nodes, catalog));
  }
  if (errors.length > 0 || !settings.success) return { errors };
  const { schemaVersion, id, name } = outline.data;
  const description = (input as { description?: unknown }).description;
  const document = JourneyDocument.parse({ schemaVersion, id, name, description, settings: settings.data, graph: { nodes: [], edges } });
  document.graph.nodes = nodes;
  return { errors, document };
}

/**
 * Whether a node always holds a customer for a while: a duration wait longer than zero, a
 * time-of-day wait (always strictly later), or a wait for an event (its timeout is at least a
 * minute). A date wait can be already due, so it does not break a loop.
 */
function alwaysPauses(node: JourneyNode): boolean {
  if (node.type === 'wait-for-event') return true;
  if (node.type !== 'wait') return false;
  return node.data.wait.kind === 'time-of-day' || (node.data.wait.kind === 'duration' && node.data.wait.duration.amount > 0);
}

/** Checks inside one node that zod cannot express: templates, split weights, time zones. */
function checkNode(node: JourneyNode): CompileError[] {
  const errors: CompileError[] = [];
  for (const { field, source } of templateFields(node)) {
    const problem = templateSyntaxError(source);
    if (problem) errors.push({ code: 'template-syntax', nodeId: node.id, field, message: `Liquid error in ${field}: ${problem}` });
  }
  if (node.type === 'split') {
    const total = node.data.arms.reduce((sum, arm) => sum + arm.weight, 0);
    if (Math.abs(total - 100) > 1e-6) {
      errors.push({ code: 'split-weights', nodeId: node.id, field: 'arms', message: `Split weights add up to ${round(total)}%; they must add up to 100%.` });
    }
    const seen = new Set<string>();
    node.data.arms.forEach((arm, i) => {
      if (seen.has(arm.id)) errors.push({ code: 'duplicate-split-arm', nodeId: node.id, field: `arms.${i}.id`, message: `Two arms are called "${arm.id}".` });
      seen.add(arm.id);
    });
  }
  if (node.type === 'wait' && node.data.wait.kind !== 'duration') {
    const zone = node.data.wait.fallbackTimeZone;
    if (zone !== undefined && !isValidTimeZone(zone)) {
      errors.push({ code: 'invalid-time-zone', nodeId: node.id, field: 'wait.fallbackTimeZone', message: `"${zone}" is not a known time zone.` });
    }
  }
  return errors;
}

function checkSettings(settings: JourneySettings): CompileError[] {
  if (isValidTimeZone(settings.timeZone)) return [];
  return [{ code: 'invalid-time-zone', field: 'settings.timeZone', message: `"${settings.timeZone}" is not a known time zone.` }];
}

function checkReferences(refs: Reference[], trigger: JourneyNode | undefined, nodes: JourneyNode[], catalog?: Catalog): CompileError[] {
  const errors: CompileError[] = [];
  const eventTriggered = trigger?.type === 'trigger' && trigger.data.entry.kind === 'event';
  const triggerEvent = eventTriggered && trigger.data.entry.kind === 'event' ? trigger.data.entry.event : undefined;
  const sendIds = new Set(nodes.filter((n) => n.type === 'send').map((n) => n.id));
  const traits = catalog?.traits ? new Set(catalog.traits) : undefined;
  const events = catalog?.events;
  const at = (ref: Reference) => ({ nodeId: ref.nodeId, field: ref.field });

  for (const ref of refs) {
    if (ref.kind === 'trigger-property' && trigger && !eventTriggered) {
      errors.push({ code: 'trigger-reference-without-event', ...at(ref), message: `"${ref.name}" is read from the trigger event, but this journey is not started by an event.` });
    }
    if (ref.kind === 'message-node' && !sendIds.has(ref.name)) {
      errors.push({ code: 'unknown-message-node', ...at(ref), message: `"${ref.name}" is not a send node of this journey.` });
    }
    if (ref.kind === 'trait' && traits && !traits.has(ref.name)) {
      errors.push({ code: 'unknown-trait', ...at(ref), message: `No customer has a "${ref.name}" trait yet.` });
    }
    if (!events) continue;
    if (ref.kind === 'event' && !events[ref.name]) {
      errors.push({ code: 'unknown-event', ...at(ref), message: `No "${ref.name}" event has been received yet.` });
    }
    const event = ref.kind === 'event-property' ? ref.event : ref.kind === 'trigger-property' ? triggerEvent : undefined;
    const known = event ? events[event]?.properties : undefined;
    if ((ref.kind === 'event-property' || ref.kind === 'trigger-property') && known && !known.includes(ref.name)) {
      errors.push({ code: 'unknown-event', ...at(ref), message: `"${event}" events have no "${ref.name}" property.` });
    }
  }
  return errors;
}

const round = (n: number) => Math.round(n * 100) / 100;
