import type { JourneyNode, JourneySettings, PropertyFilter, Rule } from '../graph/index.ts';
import { templateFields, templateVariables } from '../template/index.ts';

/** Something a journey reads from the outside world, and where it does so. */
export type Reference =
  | { kind: 'trait'; name: string; nodeId?: string; field: string }
  | { kind: 'event'; name: string; nodeId?: string; field: string }
  | { kind: 'event-property'; event: string; name: string; nodeId?: string; field: string }
  | { kind: 'trigger-property'; name: string; nodeId?: string; field: string }
  | { kind: 'message-node'; name: string; nodeId?: string; field: string }
  | { kind: 'segment'; name: string; nodeId?: string; field: string };

const top = (path: string) => path.split('.')[0] ?? path;

/** Every trait, event, event property and trigger property a node reads. */
export function nodeReferences(node: JourneyNode): Reference[] {
  const refs: Reference[] = [];
  const nodeId = node.id;
  const filter = (event: string, rules: PropertyFilter | undefined, field: string) =>
    rules?.forEach((rule, i) => {
      refs.push({ kind: 'event-property', event, name: top(rule.path), nodeId, field: `${field}.${i}.path` });
      if (rule.valueFrom) refs.push(valueFrom(rule.valueFrom, nodeId, `${field}.${i}.valueFrom`));
    });
  const rules = (rule: Rule, field: string): void => {
    switch (rule.kind) {
      case 'group':
        rule.rules.forEach((child, i) => {
          rules(child, `${field}.rules.${i}`);
        });
        break;
      case 'trait':
        refs.push({ kind: 'trait', name: top(rule.path), nodeId, field: `${field}.path` });
        break;
      case 'event-property':
        refs.push({ kind: 'trigger-property', name: top(rule.path), nodeId, field: `${field}.path` });
        break;
      case 'event-count':
        refs.push({ kind: 'event', name: rule.event, nodeId, field: `${field}.event` });
        filter(rule.event, rule.filter, `${field}.filter`);
        break;
      case 'message':
        refs.push({ kind: 'message-node', name: rule.nodeId, nodeId, field: `${field}.nodeId` });
        break;
      case 'segment':
        refs.push({ kind: 'segment', name: rule.segmentId, nodeId, field: `${field}.segmentId` });
        break;
      case 'channel':
        break;
    }
    if ((rule.kind === 'trait' || rule.kind === 'event-property') && rule.valueFrom) {
      refs.push(valueFrom(rule.valueFrom, nodeId, `${field}.valueFrom`));
    }
  };

  switch (node.type) {
    case 'trigger': {
      const entry = node.data.entry;
      if (entry.kind === 'event') {
        refs.push({ kind: 'event', name: entry.event, nodeId, field: 'entry.event' });
        filter(entry.event, entry.filter, 'entry.filter');
      } else if (entry.kind === 'segment') rules(entry.rules, 'entry.rules');
      else if (entry.kind === 'schedule') {
        if (entry.segmentId) refs.push({ kind: 'segment', name: entry.segmentId, nodeId, field: 'entry.segmentId' });
        if (entry.rules) rules(entry.rules, 'entry.rules');
      } else if (entry.kind === 'segment-change') refs.push({ kind: 'segment', name: entry.segmentId, nodeId, field: 'entry.segmentId' });
      break;
    }
    case 'wait':
      if (node.data.wait.kind === 'date') {
        const { source, path } = node.data.wait;
        refs.push(valueFrom({ source, path }, nodeId, 'wait.path'));
      }
      break;
    case 'wait-for-event':
      refs.push({ kind: 'event', name: node.data.event, nodeId, field: 'event' });
      filter(node.data.event, node.data.filter, 'filter');
      break;
    case 'condition':
      rules(node.data.rules, 'rules');
      break;
    default:
      break;
  }
  for (const { field, source } of templateFields(node)) {
    for (const [root, name] of templateVariables(source)) {
      if (!name) continue;
      if (root === 'customer' && name !== 'id') refs.push({ kind: 'trait', name, nodeId, field });
      if (root === 'event') refs.push({ kind: 'trigger-property', name, nodeId, field });
    }
  }
  return refs;
}

/** Events and properties the settings read (goal and exit criteria). */
export function settingsReferences(settings: JourneySettings): Reference[] {
  const refs: Reference[] = [];
  const add = (event: string, filter: PropertyFilter | undefined, field: string) => {
    refs.push({ kind: 'event', name: event, field: `${field}.event` });
    filter?.forEach((rule, i) => {
      refs.push({ kind: 'event-property', event, name: top(rule.path), field: `${field}.filter.${i}.path` });
      if (rule.valueFrom) refs.push(valueFrom(rule.valueFrom, undefined, `${field}.filter.${i}.valueFrom`));
    });
  };
  if (settings.goal) add(settings.goal.event, settings.goal.filter, 'settings.goal');
  settings.exitCriteria?.events.forEach((c, i) => {
    add(c.event, c.filter, `settings.exitCriteria.events.${i}`);
  });
  settings.exitCriteria?.segments.forEach((c, i) => {
    refs.push({ kind: 'segment', name: c.segmentId, field: `settings.exitCriteria.segments.${i}.segmentId` });
  });
  if (settings.concurrency.mode === 'per-key') {
    refs.push({ kind: 'trigger-property', name: top(settings.concurrency.property), field: 'settings.concurrency.property' });
  }
  return refs;
}

function valueFrom(ref: { source: 'trait' | 'trigger-event'; path: string }, nodeId: string | undefined, field: string): Reference {
  return ref.source === 'trait' ? { kind: 'trait', name: top(ref.path), nodeId, field } : { kind: 'trigger-property', name: top(ref.path), nodeId, field };
}
