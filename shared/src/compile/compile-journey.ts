import type { JourneyNode } from '../graph/index.ts';
import type { Catalog } from './catalog.ts';
import { JourneyInvalidError } from './compile-error.ts';
import type { JourneyMachine, MachineState } from './journey-machine.ts';
import { inspectJourney } from './validate-journey.ts';

/**
 * Compiles a journey document into its state machine. Throws `JourneyInvalidError` (carrying the
 * `CompileError` list) when the document does not validate. Deterministic: the same document
 * gives a deep-equal machine.
 */
export function compileJourney(input: unknown, catalog?: Catalog): JourneyMachine {
  const { errors, document: doc } = inspectJourney(input, catalog);
  if (!doc) throw new JourneyInvalidError(errors);

  const targets = new Map<string, string>();
  for (const edge of doc.graph.edges) targets.set(`${edge.source}\u0000${edge.sourceHandle}`, edge.target);
  const target = (node: JourneyNode, handle: string) => targets.get(`${node.id}\u0000${handle}`) ?? null;
  const required = (node: JourneyNode, handle: string) => target(node, handle)!; // validated: present

  const states: Record<string, MachineState> = {};
  let trigger: Extract<JourneyNode, { type: 'trigger' }> | undefined;
  for (const node of doc.graph.nodes) {
    states[node.id] = toState(node);
    if (node.type === 'trigger') trigger = node;
  }
  return {
    machineVersion: 1,
    journeyId: doc.id,
    name: doc.name,
    initial: trigger!.id,
    entry: trigger!.data.entry,
    settings: doc.settings,
    states,
  };

  function toState(node: JourneyNode): MachineState {
    switch (node.type) {
      case 'trigger':
        return { type: 'trigger', next: required(node, 'next') };
      case 'wait':
        return { type: 'wait', ...node.data, next: target(node, 'next') };
      case 'wait-for-event':
        return { type: 'wait-for-event', ...node.data, onEvent: required(node, 'event'), onTimeout: required(node, 'timeout') };
      case 'condition':
        return { type: 'condition', ...node.data, onYes: required(node, 'yes'), onNo: required(node, 'no') };
      case 'split':
        return { type: 'split', arms: node.data.arms.map((arm) => ({ ...arm, next: target(node, arm.id) })) };
      case 'send':
        return { type: 'send', ...node.data, next: target(node, 'next') };
      case 'update-profile':
        return { type: 'update-profile', ...node.data, next: target(node, 'next') };
      case 'exit':
        return { type: 'exit', ...node.data };
    }
  }
}
