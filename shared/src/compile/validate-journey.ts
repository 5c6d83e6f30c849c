import { z } from 'zod';
import { JourneyDocument, JourneySettings, currentSchemaVersion, nodeHandles, nodeSchemas, type JourneyNode, type NodeType } from '../graph/index.ts';
import { isValidTimeZone } from '../time/index.ts';
import { templateFields, templateSyntaxError } from '../template/index.ts';
import type { Catalog } from './catalog.ts';
import { closestNames } from './closest-names.ts';
import { issueMessage } from './describe-issue.ts';
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
 * Every problem that stops a journey document from being published, each with a stable code and
 * the node, edge or field it is about, in sentences for people. An empty list means
 * `compileJourney` will succeed. Accepts anything (the canvas may hold half-typed data).
 */
export function validateJourney(input: unknown, catalog?: Pick<Catalog, 'segments'>): CompileError[] {
  return inspectJourney(input, catalog).errors;
}

/**
 * What the editor shows: `validateJourney`'s errors and the warnings that do not block publishing
 * (`severity: 'warning'`) — content of a channel the node no longer sends, and with the workspace's
 * catalog, traits and events never seen (with the closest seen names) and variables that some
 * customers lack used without a default.
 */
export function reviewJourney(input: unknown, catalog?: Catalog): CompileError[] {
  const { errors, warnings } = inspectJourney(input, catalog);
  return [...errors, ...warnings.map((w) => ({ ...w, severity: 'warning' as const }))];
}

/** Validates and, when there is no error, also returns the parsed document (defaults filled in); `warnings` never block. */
export function inspectJourney(input: unknown, catalog?: Catalog): { errors: CompileError[]; warnings: CompileError[]; document?: JourneyDocument } {
  const warnings: CompileError[] = [];
  const outline = DocumentOutline.safeParse(input);
  if (!outline.success) {
    const errors = outline.error.issues.map((issue): CompileError => ({ code: 'invalid-document', field: fieldOf(issue.path), message: issueMessage(issue) }));
    return { errors, warnings };
  }
  const errors: CompileError[] = [];
  const settings = JourneySettings.safeParse(outline.data.settings ?? {});
  if (!settings.success) {
    for (const issue of settings.error.issues) {
      errors.push({ code: 'invalid-settings', field: `settings.${fieldOf(issue.path)}`, message: issueMessage(issue) });
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
    const parsed = schema.safeParse(raw.type === 'send' ? withoutUnusedContent(raw, warnings) : raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [head, ...rest] = issue.path;
        errors.push({ code: 'invalid-node-data', nodeId: raw.id, field: fieldOf(head === 'data' ? rest : issue.path), message: issueMessage(issue) });
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
    for (const problem of checkReferences(refs, trigger, nodes, catalog)) (problem.severity === 'warning' ? warnings : errors).push(problem);
    if (catalog) warnings.push(...missingDefaults(nodes, catalog));
    if (trigger?.type === 'trigger' && trigger.data.entry.kind === 'api') {
      warnings.push({
        code: 'enrolled-only',
        nodeId: trigger.id,
        field: 'entry',
        message: 'Nobody enters this journey on their own: once it is live, use “Add customers” in the toolbar, or enroll them through the API (POST …/journeys/{id}/enrollments).',
      });
    }
  }
  if (errors.length > 0 || !settings.success) return { errors, warnings };
  const { schemaVersion, id, name } = outline.data;
  const description = (input as { description?: unknown }).description;
  const document = JourneyDocument.parse({ schemaVersion, id, name, description, settings: settings.data, graph: { nodes: [], edges } });
  document.graph.nodes = nodes;
  return { errors, warnings, document };
}

/**
 * A send node without the content of channels it no longer sends (the marketer switched email to
 * SMS): that content is not checked, is left out of what is published, and is a warning.
 */
function withoutUnusedContent(raw: { id: string; data: unknown }, warnings: CompileError[]) {
  const data = raw.data as { delivery?: { mode?: string; channel?: string; channels?: unknown }; content?: Record<string, unknown> } | undefined;
  if (!data?.content || typeof data.content !== 'object' || !data.delivery) return raw;
  const used = new Set(data.delivery.mode === 'preferred-channel' && Array.isArray(data.delivery.channels) ? data.delivery.channels : [data.delivery.channel]);
  const unused = Object.keys(data.content).filter((channel) => !used.has(channel) && data.content![channel] !== undefined);
  if (!unused.length) return raw;
  for (const channel of unused) {
    warnings.push({
      code: 'unused-content',
      nodeId: raw.id,
      field: `content.${channel}`,
      message: `This step no longer sends ${channelWords[channel] ?? channel}, but still holds its content; remove it, or it is left out when you publish.`,
    });
  }
  return { ...raw, data: { ...data, content: Object.fromEntries(Object.entries(data.content).filter(([channel]) => used.has(channel))) } };
}

const channelWords: Record<string, string> = { email: 'email', sms: 'SMS', push: 'push', webhook: 'webhooks', 'in-app': 'in-app messages' };

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
  if (node.type === 'condition' && node.data.rules.rules.length === 0) {
    errors.push({
      code: 'empty-condition',
      nodeId: node.id,
      field: 'rules',
      message: 'This condition has no rules, so every customer would take the same branch: add a rule, or remove the condition.',
    });
  }
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
  // An enrollment's properties are its trigger's (SPEC E4), so API-entry journeys read them too.
  const eventTriggered = trigger?.type === 'trigger' && ['event', 'api', 'segment-change'].includes(trigger.data.entry.kind);
  const triggerEvent = trigger?.type === 'trigger' && trigger.data.entry.kind === 'event' ? trigger.data.entry.event : undefined;
  const sendIds = new Set(nodes.filter((n) => n.type === 'send').map((n) => n.id));
  // A workspace that has received nothing yet has nothing to compare with: no warnings from it.
  const traits = catalog?.traits?.length ? new Set(catalog.traits) : undefined;
  const events = catalog?.events && Object.keys(catalog.events).length ? catalog.events : undefined;
  const at = (ref: Reference) => ({ nodeId: ref.nodeId, field: ref.field });
  const segments = catalog?.segments ? new Set(catalog.segments.map((s) => s.id)) : undefined;

  for (const ref of refs) {
    if (ref.kind === 'trigger-property' && trigger && !eventTriggered) {
      errors.push({ code: 'trigger-reference-without-event', ...at(ref), message: `"${ref.name}" is read from the trigger event, but this journey is not started by an event or an enrollment.` });
    }
    if (ref.kind === 'segment' && segments && ref.name && !segments.has(ref.name)) {
      errors.push({ code: 'unknown-segment', ...at(ref), message: 'This segment no longer exists (it was deleted, or belongs to another workspace); choose another.' });
    }
    if (ref.kind === 'message-node' && !sendIds.has(ref.name)) {
      errors.push({ code: 'unknown-message-node', ...at(ref), message: `"${ref.name}" is not a send node of this journey.` });
    }
    if (ref.kind === 'trait' && traits && !traits.has(ref.name)) {
      errors.push({ code: 'unknown-trait', severity: 'warning', ...at(ref), message: `No customer has a "${ref.name}" trait yet.${didYouMean(ref.name, traits)}` });
    }
    if (!events) continue;
    if (ref.kind === 'event' && !events[ref.name]) {
      errors.push({ code: 'unknown-event', severity: 'warning', ...at(ref), message: `No "${ref.name}" event has been received in this workspace yet.${didYouMean(ref.name, Object.keys(events))}` });
    }
    const event = ref.kind === 'event-property' ? ref.event : ref.kind === 'trigger-property' ? triggerEvent : undefined;
    const known = event ? events[event]?.properties : undefined;
    if ((ref.kind === 'event-property' || ref.kind === 'trigger-property') && known && !known.includes(ref.name)) {
      errors.push({ code: 'unknown-event', severity: 'warning', ...at(ref), message: `"${event}" events have had no "${ref.name}" property yet.${didYouMean(ref.name, known)}` });
    }
  }
  return errors;
}

/** " Did you mean “Order Completed”?" when a seen name is close, else nothing. */
function didYouMean(name: string, known: Iterable<string>): string {
  const close = closestNames(name, known);
  return close.length ? ` Did you mean ${close.map((c) => `“${c}”`).join(' or ')}?` : '';
}

/**
 * Templates that print a customer trait some customers lack, without a default: those customers'
 * message would be skipped. Only traits the catalog has seen on some but not all recent profiles.
 */
function missingDefaults(nodes: JourneyNode[], catalog: Catalog): CompileError[] {
  const coverage = catalog.traitCoverage;
  if (!coverage) return [];
  const warnings: CompileError[] = [];
  for (const node of nodes) {
    if (node.type !== 'send') continue;
    for (const { field, source } of templateFields(node)) {
      for (const trait of unguardedTraits(source)) {
        const share = coverage[trait];
        if (share === undefined || share >= 1) continue;
        const missing = Math.max(1, Math.round((1 - share) * 100));
        warnings.push({
          code: 'missing-default',
          nodeId: node.id,
          field,
          message: `${trait} is missing for ${missing}% of customers seen, who would not get this message; add a default: {{ customer.${trait} | default: "…" }}.`,
        });
      }
    }
  }
  return warnings;
}

/** Traits a template prints as `{{ customer.x }}` with no `default` filter and no `if`/`unless` on them. */
function unguardedTraits(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/\{\{-?\s*customer\.([A-Za-z_][\w]*)([^}]*)\}\}/g)) {
    const [, trait, rest] = match;
    if (/\|\s*default\b/.test(rest!)) continue;
    if (new RegExp(`\\{%-?\\s*(if|unless)\\s+customer\\.${trait}\\b`).test(source)) continue;
    found.add(trait!);
  }
  return [...found];
}

const round = (n: number) => Math.round(n * 100) / 100;
