import type { JourneyDocumentInput } from '@waymark/shared';

type Node = JourneyDocumentInput['graph']['nodes'][number];
type Edge = JourneyDocumentInput['graph']['edges'][number];

/**
 * A valid journey of about `size` nodes: a trigger, then repeating blocks of
 * condition → (email | wait 1 day → SMS) → update-profile → split, merging back each time.
 */
export function generateJourney(size: number): JourneyDocumentInput {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const position = () => ({ x: (nodes.length % 7) * 240, y: Math.floor(nodes.length / 7) * 160 });
  const add = (node: Omit<Node, 'position'>) => nodes.push({ ...node, position: position() } as Node);
  const link = (source: string, target: string, sourceHandle = 'next') => edges.push({ id: `e${edges.length}`, source, sourceHandle, target });

  add({ id: 'trigger', type: 'trigger', data: { entry: { kind: 'event', event: 'signed_up' } } });
  let tail = 'trigger';
  for (let block = 0; nodes.length + 7 <= size; block++) {
    const id = (name: string) => `${name}-${block}`;
    add({
      id: id('if'),
      type: 'condition',
      data: { rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } },
    });
    add({
      id: id('email'),
      type: 'send',
      data: {
        delivery: { mode: 'channel', channel: 'email' },
        content: { email: { subject: `Step ${block} for {{ customer.first_name | default: "you" }}`, html: '<p>Hello {{ customer.first_name | default: "there" }}</p>' } },
      },
    });
    add({ id: id('wait'), type: 'wait', data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } });
    add({
      id: id('sms'),
      type: 'send',
      data: { delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: 'Step {{ journey.name }} for {{ customer.id }}' } } },
    });
    add({ id: id('update'), type: 'update-profile', data: { operations: [{ op: 'set', trait: 'last_step', value: `${block}`, as: 'number' }] } });
    add({
      id: id('split'),
      type: 'split',
      data: {
        arms: [
          { id: 'a', weight: 50 },
          { id: 'b', weight: 50 },
        ],
      },
    });
    add({ id: id('pause'), type: 'wait', data: { wait: { kind: 'time-of-day', time: '09:00' } } });
    link(tail, id('if'));
    link(id('if'), id('email'), 'yes');
    link(id('if'), id('wait'), 'no');
    link(id('wait'), id('sms'));
    link(id('email'), id('update'));
    link(id('sms'), id('update'));
    link(id('update'), id('split'));
    link(id('split'), id('pause'), 'a');
    link(id('split'), id('pause'), 'b');
    tail = id('pause');
  }
  while (nodes.length < size - 1) {
    const id = `tail-wait-${nodes.length}`;
    add({ id, type: 'wait', data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'hours' } } } });
    link(tail, id);
    tail = id;
  }
  add({ id: 'done', type: 'exit', data: {} });
  link(tail, 'done');
  return { schemaVersion: 1, id: `generated-${size}`, name: `Generated ${size}-node journey`, graph: { nodes, edges } };
}
